package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketName;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.request.VersionId;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.xml.TaggingDocuments;
import io.vertx.core.Future;

import java.util.Map;

/**
 * Get/Put/DeleteObjectTagging and Get/Put/DeleteBucketTagging. Object tags live in the object's
 * record and are changed in place (data, ETag and LastModified stay); a bucket's tag set is its
 * "tagging" bucket config, stored as the canonical Tagging document.
 */
final class TaggingHandler {
    static final String BUCKET_CONFIG_KIND = "tagging";
    private static final int MAX_TAGGING_BODY = 64 * 1024;

    private final S3Services s;

    TaggingHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> getObjectTagging(S3Exchange ex, ObjectRequest.GetObjectTagging op) {
        return s.requireVersion(ex, op.bucket(), op.key(), op.versionId())
                .compose(o -> ex.sendXml(200, TaggingDocuments.tagging(o.tags())));
    }

    Future<Void> putObjectTagging(S3Exchange ex, ObjectRequest.PutObjectTagging op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_TAGGING_BODY))
                .compose(body -> setObjectTags(ex, op, op.versionId(), TagSets.objectTags(TaggingDocuments.parse(body))))
                .compose(v -> ex.sendEmpty(200));
    }

    Future<Void> deleteObjectTagging(S3Exchange ex, ObjectRequest.DeleteObjectTagging op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> setObjectTags(ex, op, op.versionId(), Map.of()))
                .compose(v -> ex.sendEmpty(204));
    }

    /** Sets the tags of the current object, or of the version named; answers with that version's id. */
    private Future<Void> setObjectTags(S3Exchange ex, ObjectRequest op, VersionId versionId, Map<String, String> tags) {
        return s.blocking(ex, () -> {
            ObjectRecord o = versionId == null
                    ? s.metadata().setObjectTags(op.bucket().value(), op.key().value(), tags)
                    : s.metadata().commitAndWait(new MetaCommand.SetVersionTags(op.bucket().value(), op.key().value(),
                            versionId.value(), tags)).object();
            if (o.version() != null) {
                ex.response().putHeader("x-amz-version-id", o.versionId());
            }
            return null;
        });
    }

    Future<Void> getBucketTagging(S3Exchange ex, BucketRequest.GetBucketTagging op) {
        String bucket = op.bucket().value();
        return s.blocking(ex, () -> s.metadata().getBucketConfig(bucket, BUCKET_CONFIG_KIND))
                .compose(doc -> ex.sendXml(200, doc.orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_TAG_SET)
                        .with("BucketName", bucket))));
    }

    Future<Void> putBucketTagging(S3Exchange ex, BucketRequest.PutBucketTagging op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_TAGGING_BODY))
                .compose(body -> {
                    byte[] canonical = TaggingDocuments.tagging(TagSets.bucketTags(TaggingDocuments.parse(body)));
                    return putBucketTagging(ex, op.bucket(), canonical);
                })
                .compose(v -> ex.sendEmpty(204));
    }

    Future<Void> deleteBucketTagging(S3Exchange ex, BucketRequest.DeleteBucketTagging op) {
        return putBucketTagging(ex, op.bucket(), null).compose(v -> ex.sendEmpty(204));
    }

    private Future<Void> putBucketTagging(S3Exchange ex, BucketName bucket, byte[] document) {
        return s.blocking(ex, () -> {
            s.metadata().putBucketConfig(bucket.value(), BUCKET_CONFIG_KIND, document);
            return null;
        });
    }
}
