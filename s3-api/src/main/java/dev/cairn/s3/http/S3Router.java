package dev.cairn.s3.http;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.auth.AuthResult;
import dev.cairn.s3.auth.SigV4Verifier;
import dev.cairn.s3.request.RequestParser;
import dev.cairn.s3.request.VirtualHost;
import dev.cairn.s3.request.S3Operation;
import dev.cairn.s3.request.S3Request;
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
 * The S3 request handler: gives each request an id, parses it into a typed operation
 * ({@link RequestParser}), authenticates it, authorizes it ({@link Authorizer}), dispatches it to
 * the handlers ({@link S3Handlers}, one method per operation), and sends every failure through
 * {@link ErrorResponder}. It knows the handlers only through that interface.
 */
public final class S3Router implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(S3Router.class);
    /** AWS: the request header section may be at most 8 KB. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    private static final String SERVER = dev.cairn.s3.BuildInfo.current().serverHeader();

    private final Vertx vertx;
    private final SigV4Verifier verifier;
    private final Authorizer authorizer;
    private final S3Handlers handlers;
    private final List<String> domains;
    private final String idPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final RequestTracker tracker;
    private final S3Metrics metrics;
    private final String mount;

    /**
     * @param domains    the domains of virtual-hosted-style addressing (empty: path style only)
     * @param metrics    where requests are measured; null for none
     */
    public S3Router(Vertx vertx, SigV4Verifier verifier, Authorizer authorizer, S3Handlers handlers, List<String> domains, RequestTracker tracker,
                    S3Metrics metrics) {
        this(vertx, verifier, authorizer, handlers, domains, tracker, metrics, "");
    }

    /**
     * @param mount a path prefix this router is mounted under (the console's {@code /s3} on the
     *              admin port): requests are parsed and their signatures checked on the path after
     *              it, exactly as if they had come to the S3 port; "" for the S3 port itself
     */
    public S3Router(Vertx vertx, SigV4Verifier verifier, Authorizer authorizer, S3Handlers handlers, List<String> domains,
                    RequestTracker tracker, S3Metrics metrics, String mount) {
        this.mount = mount;
        this.vertx = vertx;
        this.verifier = verifier;
        this.authorizer = authorizer;
        this.handlers = handlers;
        this.domains = domains;
        this.tracker = tracker;
        this.metrics = metrics;
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
        request.response().closeHandler(v -> {
            ex.connectionClosed();
            done0.handle(v);
        });
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
        VertxRequestView view = new VertxRequestView(request, mount);
        S3Request op = RequestParser.parse(request.method().name(),
                VirtualHost.bucket(request.getHeader("Host"), domains), view.rawPath(), view.rawQuery(),
                request::getHeader);
        ex.op(op);
        if (op.operation() == S3Operation.PREFLIGHT) {
            return op.accept(handlers, ex);
        }
        // CORS headers go on before the request is handled, so that error answers carry them too
        return handlers.corsHeaders(ex).compose(v -> authenticateAndRun(ex, view));
    }

    private Future<Void> authenticateAndRun(S3Exchange ex, VertxRequestView view) {
        S3Request op = ex.op();
        if (LOG.isDebugEnabled()) {
            MDC.put("requestId", ex.requestId());
            LOG.debug("[{}] {} {} bucket={} key={}", ex.requestId(), op.operation().awsName(),
                    ex.request().method(), op.bucketName(), op.keyName());
            MDC.remove("requestId");
        }
        if (op.operation().authenticatesItself()) {
            return op.accept(handlers, ex);
        }
        AuthResult auth = verifier.verify(view);
        if (auth != null) {
            ex.auth(auth);
            ex.principal(auth.principal());
        }
        return authorizer.authorize(ex, op.permissions()).compose(v -> op.accept(handlers, ex));
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
