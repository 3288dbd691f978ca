package dev.cairn.s3.handler;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.ObjectVersion;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketName;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.xml.ObjectLockDocuments;
import io.vertx.core.Future;

/**
 * Get/PutObjectLockConfiguration, Get/PutObjectRetention and Get/PutObjectLegalHold. The rules a
 * retention change must follow (COMPLIANCE never shortened, GOVERNANCE only when bypassing) are
 * checked by the metadata command, against the version as it is when the command applies.
 */
final class ObjectLockHandler {
    private static final int MAX_BODY = 64 * 1024;
    private final S3Services s;

    ObjectLockHandler(S3Services services) {
        this.s = services;
    }

    /** The bucket, which must have object lock: else InvalidRequest, as AWS answers. */
    private Future<BucketRecord> lockedBucket(S3Exchange ex, BucketName bucket) {
        return s.requireBucket(ex, bucket).map(b -> {
            if (!b.objectLock()) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Bucket is missing Object Lock Configuration");
            }
            return b;
        });
    }

    /** A body of one of these requests must carry Content-MD5 or a checksum, as AWS requires. */
    private static void requireIntegrity(S3Exchange ex) {
        if (!ObjectLocks.hasIntegrityHeader(ex.request().headers())) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Content-MD5 OR x-amz-checksum- HTTP header is required for this request");
        }
    }

    Future<Void> getConfiguration(S3Exchange ex, BucketRequest.GetObjectLockConfiguration op) {
        String bucket = op.bucket().value();
        return s.requireBucket(ex, op.bucket()).compose(b -> {
            if (!b.objectLock()) {
                throw new S3Exception(S3ErrorCode.OBJECT_LOCK_CONFIGURATION_NOT_FOUND).with("BucketName", bucket);
            }
            return s.blocking(ex, () -> ObjectLockDocuments.configuration(ObjectLocks.defaults(s, bucket)));
        }).compose(doc -> ex.sendXml(200, doc));
    }

    Future<Void> putConfiguration(S3Exchange ex, BucketRequest.PutObjectLockConfiguration op) {
        requireIntegrity(ex);
        String bucket = op.bucket().value();
        return s.requireBucket(ex, op.bucket())
                .map(b -> {
                    if (!b.objectLock()) {
                        throw new S3Exception(S3ErrorCode.INVALID_BUCKET_STATE,
                                "Object Lock configuration cannot be enabled on existing buckets");
                    }
                    return b;
                })
                .compose(b -> SmallBodies.read(s, ex, MAX_BODY))
                .compose(body -> {
                    byte[] canonical = ObjectLockDocuments.configuration(ObjectLockDocuments.parseConfiguration(body));
                    return s.blocking(ex, () -> {
                        s.metadata().putBucketConfig(bucket, ObjectLocks.CONFIG_KIND, canonical);
                        return null;
                    });
                })
                .compose(v -> ex.sendEmpty(200));
    }

    Future<Void> getRetention(S3Exchange ex, ObjectRequest.GetObjectRetention op) {
        return lockedBucket(ex, op.bucket())
                .compose(b -> s.requireVersion(ex, op.bucket(), op.key(), op.versionId()))
                .compose(o -> {
                    ObjectVersion v = o.version();
                    if (v == null || v.lockMode() == null) {
                        throw new S3Exception(S3ErrorCode.NO_SUCH_OBJECT_LOCK_CONFIGURATION);
                    }
                    return ex.sendXml(200, ObjectLockDocuments.retention(v.lockMode(), v.retainUntilMillis()));
                });
    }

    Future<Void> putRetention(S3Exchange ex, ObjectRequest.PutObjectRetention op) {
        requireIntegrity(ex);
        String[] versionId = {op.versionId() == null ? null : op.versionId().value()};
        return lockedBucket(ex, op.bucket())
                .compose(b -> ObjectLocks.bypass(s, ex, op.bucket(), op.key()))
                .compose(bypass -> SmallBodies.read(s, ex, MAX_BODY).compose(body -> {
                    ObjectLockDocuments.Retention r = ObjectLockDocuments.parseRetention(body);
                    long now = s.clock().millis();
                    if (r.mode() != null && r.retainUntilMillis() <= now) {
                        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be in the future!")
                                .with("ArgumentName", "RetainUntilDate");
                    }
                    return s.blocking(ex, () -> s.metadata().commitAndWait(new MetaCommand.SetVersionRetention(
                            op.bucket().value(), op.key().value(), versionId[0], r.mode(), r.retainUntilMillis(), now,
                            bypass)).object());
                }))
                .compose(o -> answered(ex, o));
    }

    Future<Void> getLegalHold(S3Exchange ex, ObjectRequest.GetObjectLegalHold op) {
        return lockedBucket(ex, op.bucket())
                .compose(b -> s.requireVersion(ex, op.bucket(), op.key(), op.versionId()))
                .compose(o -> ex.sendXml(200, ObjectLockDocuments.legalHold(o.version() != null
                        && o.version().legalHold())));
    }

    Future<Void> putLegalHold(S3Exchange ex, ObjectRequest.PutObjectLegalHold op) {
        requireIntegrity(ex);
        String versionId = op.versionId() == null ? null : op.versionId().value();
        return lockedBucket(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_BODY))
                .compose(body -> {
                    boolean on = ObjectLockDocuments.parseLegalHold(body);
                    return s.blocking(ex, () -> s.metadata().commitAndWait(new MetaCommand.SetVersionLegalHold(
                            op.bucket().value(), op.key().value(), versionId, on)).object());
                })
                .compose(o -> answered(ex, o));
    }

    private static Future<Void> answered(S3Exchange ex, ObjectRecord o) {
        if (o.version() != null) {
            ex.response().putHeader("x-amz-version-id", o.versionId());
        }
        return ex.sendEmpty(200);
    }
}
