package dev.cairn.s3.http;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.auth.AuthResult;
import dev.cairn.s3.auth.SigV4Verifier;
import dev.cairn.s3.handler.AclHandler;
import dev.cairn.s3.handler.BucketHandler;
import dev.cairn.s3.handler.CopyHandler;
import dev.cairn.s3.handler.CorsHandler;
import dev.cairn.s3.handler.DeleteObjectsHandler;
import dev.cairn.s3.handler.ListHandler;
import dev.cairn.s3.handler.MultipartHandler;
import dev.cairn.s3.handler.ObjectAttributesHandler;
import dev.cairn.s3.handler.ObjectHandler;
import dev.cairn.s3.handler.PostObjectHandler;
import dev.cairn.s3.handler.S3Services;
import dev.cairn.s3.handler.TaggingHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The S3 request handler: gives each request an id, parses it into an operation, authenticates
 * it, dispatches it with one exhaustive switch, and sends every failure through
 * {@link ErrorResponder}.
 */
public final class S3Router implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(S3Router.class);
    /** AWS: the request header section may be at most 8 KB. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final String SERVER = dev.cairn.s3.BuildInfo.current().serverHeader();

    private final Vertx vertx;
    private final SigV4Verifier verifier;
    private final BucketHandler buckets;
    private final ObjectHandler objects;
    private final ListHandler lists;
    private final MultipartHandler multipart;
    private final DeleteObjectsHandler deletes;
    private final CopyHandler copies;
    private final CorsHandler cors;
    private final PostObjectHandler posts;
    private final List<String> domains;
    private final TaggingHandler tagging;
    private final AclHandler acls;
    private final ObjectAttributesHandler attributes;
    private final String idPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final RequestTracker tracker;
    private final S3Metrics metrics;

    public S3Router(Vertx vertx, SigV4Verifier verifier, S3Services services, RequestTracker tracker) {
        this(vertx, verifier, services, tracker, null);
    }

    /** @param metrics where requests are measured; null for none */
    public S3Router(Vertx vertx, SigV4Verifier verifier, S3Services services, RequestTracker tracker,
                    S3Metrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.verifier = verifier;
        this.buckets = new BucketHandler(services);
        this.objects = new ObjectHandler(services);
        this.lists = new ListHandler(services);
        this.multipart = new MultipartHandler(services);
        this.deletes = new DeleteObjectsHandler(services);
        this.copies = new CopyHandler(services, services.copier());
        this.cors = new CorsHandler(services);
        this.posts = new PostObjectHandler(services, verifier);
        this.domains = services.config().domains();
        this.tagging = new TaggingHandler(services);
        this.acls = new AclHandler(services);
        this.attributes = new ObjectAttributesHandler(services);
        this.tracker = tracker;
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        this.idPrefix = HexFormat.of().formatHex(b).toUpperCase();
    }

    @Override
    public void handle(HttpServerRequest request) {
        request.pause();
        String requestId = idPrefix + String.format("%012X", sequence.incrementAndGet());
        S3Exchange ex = new S3Exchange(request, requestId, vertx.getOrCreateContext());
        request.response().putHeader("x-amz-request-id", requestId);
        request.response().putHeader("x-amz-id-2", requestId);
        request.response().putHeader("Server", SERVER);
        tracker.started();
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Handler<Void> done0 = v -> {
            if (finished.compareAndSet(false, true)) {
                tracker.finished();
                if (metrics != null) {
                    metrics.finished(ex);
                }
            }
        };
        if (metrics != null) {
            metrics.started(ex);
        }
        request.response().endHandler(done0);
        request.response().closeHandler(done0);
        Future<Void> done;
        try {
            done = dispatch(ex);
        } catch (Throwable t) {
            done = Future.failedFuture(t);
        }
        done.onFailure(err -> ErrorResponder.respond(ex, err, metrics));
    }

    private Future<Void> dispatch(S3Exchange ex) {
        HttpServerRequest request = ex.request();
        checkHeaderSize(request);
        VertxRequestView view = new VertxRequestView(request);
        ParsedRequest parsed = RequestParser.parse(request.method().name(),
                VirtualHost.bucket(request.getHeader("Host"), domains), view.rawPath(), view.rawQuery(),
                request::getHeader);
        ex.parsed(parsed);
        if (parsed.operation() == S3Operation.PREFLIGHT) {
            return cors.preflight(ex);
        }
        // CORS headers go on before the request is handled, so that error answers carry them too
        return cors.decorate(ex).compose(v -> authenticateAndRun(ex, view));
    }

    private Future<Void> authenticateAndRun(S3Exchange ex, VertxRequestView view) {
        ParsedRequest parsed = ex.parsed();
        if (!parsed.operation().authenticatesItself()) {
            AuthResult auth = verifier.verify(view);
            if (auth == null) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
            }
            ex.auth(auth);
        }
        HttpServerRequest request = ex.request();
        if (LOG.isDebugEnabled()) {
            MDC.put("requestId", ex.requestId());
            LOG.debug("[{}] {} {} bucket={} key={}", ex.requestId(), parsed.operation().awsName(),
                    request.method(), parsed.bucket(), parsed.key());
            MDC.remove("requestId");
        }
        return switch (parsed.operation()) {
            case LIST_BUCKETS -> buckets.listBuckets(ex);
            case CREATE_BUCKET -> buckets.create(ex);
            case HEAD_BUCKET -> buckets.head(ex);
            case DELETE_BUCKET -> buckets.delete(ex);
            case GET_BUCKET_LOCATION -> buckets.location(ex);
            case GET_BUCKET_VERSIONING -> buckets.versioning(ex);
            case LIST_OBJECTS -> lists.listObjects(ex, false);
            case LIST_OBJECTS_V2 -> lists.listObjects(ex, true);
            case LIST_MULTIPART_UPLOADS -> lists.listUploads(ex);
            case DELETE_OBJECTS -> deletes.deleteObjects(ex);
            case PUT_BUCKET_CORS -> cors.put(ex);
            case GET_BUCKET_CORS -> cors.get(ex);
            case DELETE_BUCKET_CORS -> cors.delete(ex);
            case PREFLIGHT -> cors.preflight(ex);
            case POST_OBJECT -> posts.post(ex);
            case LIST_OBJECT_VERSIONS -> lists.listVersions(ex);
            case GET_BUCKET_TAGGING -> tagging.getBucketTagging(ex);
            case PUT_BUCKET_TAGGING -> tagging.putBucketTagging(ex);
            case DELETE_BUCKET_TAGGING -> tagging.deleteBucketTagging(ex);
            case GET_BUCKET_ACL -> acls.getBucketAcl(ex);
            case PUT_BUCKET_ACL -> acls.putBucketAcl(ex);
            case PUT_OBJECT -> objects.put(ex);
            case GET_OBJECT -> objects.get(ex);
            case HEAD_OBJECT -> objects.head(ex);
            case DELETE_OBJECT -> objects.delete(ex);
            case COPY_OBJECT -> copies.copyObject(ex);
            case GET_OBJECT_TAGGING -> tagging.getObjectTagging(ex);
            case PUT_OBJECT_TAGGING -> tagging.putObjectTagging(ex);
            case DELETE_OBJECT_TAGGING -> tagging.deleteObjectTagging(ex);
            case GET_OBJECT_ACL -> acls.getObjectAcl(ex);
            case PUT_OBJECT_ACL -> acls.putObjectAcl(ex);
            case GET_OBJECT_ATTRIBUTES -> attributes.getObjectAttributes(ex);
            case UPLOAD_PART_COPY -> copies.uploadPartCopy(ex);
            case CREATE_MULTIPART_UPLOAD -> multipart.create(ex);
            case UPLOAD_PART -> multipart.uploadPart(ex);
            case COMPLETE_MULTIPART_UPLOAD -> multipart.complete(ex);
            case ABORT_MULTIPART_UPLOAD -> multipart.abort(ex);
            case LIST_PARTS -> multipart.listParts(ex);
            case UNSUPPORTED -> throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    parsed.unsupported() + " is not implemented by Cairn");
        };
    }

    private static void checkHeaderSize(HttpServerRequest request) {
        int bytes = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            bytes += h.getKey().length() + h.getValue().length() + 4;
        }
        if (bytes > MAX_HEADER_BYTES) {
            throw new S3Exception(S3ErrorCode.REQUEST_HEADER_SECTION_TOO_LARGE)
                    .with("MaxSizeAllowed", Integer.toString(MAX_HEADER_BYTES));
        }
    }
}
