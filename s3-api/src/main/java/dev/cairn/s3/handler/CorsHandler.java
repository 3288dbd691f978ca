package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.cors.CorsResponse;
import dev.cairn.s3.cors.CorsRule;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketName;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.xml.CorsDocuments;
import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * PutBucketCors, GetBucketCors, DeleteBucketCors, the anonymous preflight ({@code OPTIONS}) and
 * the Access-Control-* headers of actual requests that carry an Origin. Rules are stored as the
 * bucket's "cors" document and read per request on the worker pool (no cache to invalidate).
 */
final class CorsHandler {
    static final String KIND = "cors";
    private static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    private final S3Services s;

    CorsHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> put(S3Exchange ex, BucketRequest.PutBucketCors op) {
        return SmallBodies.read(s, ex, MAX_DOCUMENT_BYTES)
                .compose(body -> s.blocking(ex, () -> {
                    List<CorsRule> rules = CorsDocuments.parse(body);
                    s.metadata().putBucketConfig(op.bucket().value(), KIND, CorsDocuments.write(rules));
                    return null;
                }))
                .compose(v -> ex.sendEmpty(200));
    }

    Future<Void> get(S3Exchange ex, BucketRequest.GetBucketCors op) {
        return s.blocking(ex, () -> s.metadata().getBucketConfig(op.bucket().value(), KIND))
                .compose(doc -> ex.sendXml(200, doc.orElseThrow(() -> noConfiguration(op.bucket()))));
    }

    Future<Void> delete(S3Exchange ex, BucketRequest.DeleteBucketCors op) {
        return s.blocking(ex, () -> {
            s.metadata().putBucketConfig(op.bucket().value(), KIND, null);
            return null;
        }).compose(v -> ex.sendEmpty(204));
    }

    /** OPTIONS: anonymous; 200 with the matching rule's headers, else 403 AccessForbidden. */
    Future<Void> preflight(S3Exchange ex, BucketRequest.Preflight op) {
        String origin = ex.header("Origin");
        if (origin == null) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST, "Insufficient information. Origin request header needed.");
        }
        String method = ex.header("Access-Control-Request-Method");
        if (method == null || !CorsRule.METHODS.contains(method)) {
            throw new S3Exception(S3ErrorCode.BAD_REQUEST, "Invalid Access-Control-Request-Method: " + method);
        }
        List<String> headers = CorsResponse.requestedHeaders(ex.header("Access-Control-Request-Headers"));
        return s.blocking(ex, () -> rules(op.bucket().value())).compose(rules -> {
            if (rules.isEmpty()) {
                throw forbidden(op, method, "CORSResponse: CORS is not enabled for this bucket.");
            }
            CorsRule rule = CorsResponse.match(rules.get(), origin, method, headers);
            if (rule == null) {
                throw forbidden(op, method, "CORSResponse: This CORS request is not allowed. This is usually because "
                        + "the evalution of Origin, request method / Access-Control-Request-Method or "
                        + "Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.");
            }
            CorsResponse.apply(ex.response(), rule, origin, headers);
            return ex.sendEmpty(200);
        });
    }

    /**
     * For an actual request with an Origin header: sets the Access-Control-* headers of the first
     * rule matching origin and method, before the request is handled (so errors carry them too).
     * Never fails: a missing bucket or configuration just adds nothing.
     */
    Future<Void> decorate(S3Exchange ex) {
        String origin = ex.header("Origin");
        String bucket = ex.op().bucketName();
        if (origin == null || bucket == null) {
            return Future.succeededFuture();
        }
        String method = ex.request().method().name();
        return s.blocking(ex, () -> rules(bucket))
                .map(rules -> {
                    CorsRule rule = rules.map(r -> CorsResponse.match(r, origin, method, List.of())).orElse(null);
                    if (rule != null) {
                        CorsResponse.apply(ex.response(), rule, origin, List.of());
                    }
                    return (Void) null;
                })
                .otherwise((Void) null);
    }

    /** The bucket's rules; empty when it has none (NoSuchBucket when the bucket does not exist). */
    private Optional<List<CorsRule>> rules(String bucket) {
        return s.metadata().getBucketConfig(BucketName.of(bucket).value(), KIND).map(CorsDocuments::parse);
    }

    /** 403 AccessForbidden as S3 words it (the message is S3's, typo included). */
    private static S3Exception forbidden(BucketRequest.Preflight op, String method, String message) {
        return new S3Exception(S3ErrorCode.ACCESS_FORBIDDEN, message)
                .with("Method", method).with("ResourceType", op.key() == null ? "BUCKET" : "OBJECT");
    }

    private static S3Exception noConfiguration(BucketName bucket) {
        return new S3Exception(S3ErrorCode.NO_SUCH_CORS_CONFIGURATION).with("BucketName", bucket.value());
    }
}
