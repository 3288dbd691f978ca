package dev.cairn.s3.handler;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

import dev.cairn.placement.storage.ProtectionPolicy;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.lifecycle.LifecycleConfiguration;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.xml.LifecycleDocuments;
import io.vertx.core.Future;

/**
 * PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration, DeleteBucketLifecycle: the
 * bucket's lifecycle rules, stored as its "lifecycle" bucket config (one PutBucketConfig command)
 * in the canonical form {@link LifecycleDocuments#write} gives, which the lifecycle worker reads
 * on each pass. A PUT replaces the whole configuration, needs Content-MD5 or a checksum (as on AWS)
 * and gives a rule without an ID one, as AWS does (base64 of a random UUID). Transitions may name
 * only the storage classes this server maps onto a protection ({@code --storage-classes}).
 */
final class LifecycleHandler {
    /** 1,000 rules with long prefixes and a few tags each fit. */
    private static final int MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;
    private final S3Services s;

    LifecycleHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> put(S3Exchange ex, BucketRequest.PutBucketLifecycle op) {
        if (!ObjectLocks.hasIntegrityHeader(ex.request().headers())) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Content-MD5 OR x-amz-checksum- HTTP header is required for this request");
        }
        return s.requireBucket(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_DOCUMENT_BYTES))
                .compose(body -> s.blocking(ex, () -> {
                    LifecycleConfiguration config = LifecycleDocuments.parse(body, LifecycleHandler::newRuleId,
                            servedClasses()::contains);
                    try {
                        s.metadata().putBucketConfig(op.bucket().value(), LifecycleConfiguration.CONFIG_KIND,
                                LifecycleDocuments.write(config));
                    } finally {
                        s.access().invalidate(op.bucket().value()); // and the cached expiration rules
                    }
                    return null;
                }))
                .compose(v -> ex.sendEmpty(200));
    }

    Future<Void> get(S3Exchange ex, BucketRequest.GetBucketLifecycle op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> s.blocking(ex, () -> s.metadata().getBucketConfig(op.bucket().value(),
                        LifecycleConfiguration.CONFIG_KIND)))
                .compose(doc -> ex.sendXml(200, doc.orElseThrow(() -> new S3Exception(
                        S3ErrorCode.NO_SUCH_LIFECYCLE_CONFIGURATION).with("BucketName", op.bucket().value()))));
    }

    Future<Void> delete(S3Exchange ex, BucketRequest.DeleteBucketLifecycle op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> s.blocking(ex, () -> {
                    try {
                        s.metadata().putBucketConfig(op.bucket().value(), LifecycleConfiguration.CONFIG_KIND, null);
                    } finally {
                        s.access().invalidate(op.bucket().value());
                    }
                    return null;
                }))
                .compose(v -> ex.sendEmpty(204));
    }

    /** The storage classes this server maps onto a protection of their own: what a transition may name. */
    private Set<String> servedClasses() {
        String mapping = s.config().storageClasses();
        return mapping == null ? Set.of() : ProtectionPolicy.automatic().withClasses(mapping).classes().keySet();
    }

    private static String newRuleId() {
        return Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
    }
}
