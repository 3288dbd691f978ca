package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.Names;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.xml.TaggingDocuments;
import io.vertx.core.Future;

import java.util.Map;

/**
 * Get/Put/DeleteObjectTagging and Get/Put/DeleteBucketTagging. Object tags live in the object's
 * record and are changed in place (data, ETag and LastModified stay); a bucket's tag set is its
 * "tagging" bucket config, stored as the canonical Tagging document.
 */
public final class TaggingHandler {
    static final String BUCKET_CONFIG_KIND = "tagging";
    private static final int MAX_TAGGING_BODY = 64 * 1024;

    private final S3Services s;

    public TaggingHandler(S3Services services) {
        this.s = services;
    }

    public Future<Void> getObjectTagging(S3Exchange ex) {
        Names.checkKey(ex.key());
        VersionIds.check(ex);
        return s.requireObject(ex).compose(o -> ex.sendXml(200, TaggingDocuments.tagging(o.tags())));
    }

    public Future<Void> putObjectTagging(S3Exchange ex) {
        Names.checkKey(ex.key());
        VersionIds.check(ex);
        return s.requireBucket(ex)
                .compose(b -> SmallBodies.read(s, ex, MAX_TAGGING_BODY))
                .compose(body -> setObjectTags(ex, TagSets.objectTags(TaggingDocuments.parse(body))))
                .compose(v -> ex.sendEmpty(200));
    }

    public Future<Void> deleteObjectTagging(S3Exchange ex) {
        Names.checkKey(ex.key());
        VersionIds.check(ex);
        return s.requireBucket(ex)
                .compose(b -> setObjectTags(ex, Map.of()))
                .compose(v -> ex.sendEmpty(204));
    }

    private Future<Void> setObjectTags(S3Exchange ex, Map<String, String> tags) {
        return s.blocking(ex, () -> {
            s.metadata().setObjectTags(ex.bucket(), ex.key(), tags);
            return null;
        });
    }

    public Future<Void> getBucketTagging(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        return s.blocking(ex, () -> s.metadata().getBucketConfig(ex.bucket(), BUCKET_CONFIG_KIND))
                .compose(doc -> ex.sendXml(200, doc.orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_TAG_SET)
                        .with("BucketName", ex.bucket()))));
    }

    public Future<Void> putBucketTagging(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        return s.requireBucket(ex)
                .compose(b -> SmallBodies.read(s, ex, MAX_TAGGING_BODY))
                .compose(body -> {
                    byte[] canonical = TaggingDocuments.tagging(TagSets.bucketTags(TaggingDocuments.parse(body)));
                    return putBucketTagging(ex, canonical);
                })
                .compose(v -> ex.sendEmpty(204));
    }

    public Future<Void> deleteBucketTagging(S3Exchange ex) {
        Names.checkExistingBucket(ex.bucket());
        return putBucketTagging(ex, null).compose(v -> ex.sendEmpty(204));
    }

    private Future<Void> putBucketTagging(S3Exchange ex, byte[] document) {
        return s.blocking(ex, () -> {
            s.metadata().putBucketConfig(ex.bucket(), BUCKET_CONFIG_KIND, document);
            return null;
        });
    }
}
