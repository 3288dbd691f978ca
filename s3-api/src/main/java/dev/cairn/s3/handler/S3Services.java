package dev.cairn.s3.handler;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.BlockingCalls;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.ServerConfig;
import dev.cairn.placement.storage.ChunkWriter;
import dev.cairn.s3.crypto.DataProtection;
import dev.cairn.s3.data.ObjectCopier;
import dev.cairn.s3.data.ObjectStreamer;
import dev.cairn.s3.http.Authorizer;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.access.BucketAccessStore;
import dev.cairn.s3.iam.Identities;
import dev.cairn.s3.iam.Owner;
import dev.cairn.s3.lifecycle.ExpirationRules;
import dev.cairn.s3.request.BucketName;
import dev.cairn.s3.request.ObjectKey;
import dev.cairn.s3.request.VersionId;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * What every handler needs: metadata, the worker pool, the data path, configuration, the clock,
 * identities (owners' names, ACL grantees), the buckets' access settings, the authorizer (for
 * what only a handler knows: each key of DeleteObjects, a form's key), and data protection
 * (encryption keys, compression), and the buckets' expiration rules (x-amz-expiration).
 */
public record S3Services(
        MetadataStore metadata,
        ExecutorService pool,
        ChunkWriter writer,
        ObjectStreamer streamer,
        ObjectCopier copier,
        ServerConfig config,
        Clock clock,
        Identities identities,
        BucketAccessStore access,
        Quotas quotas,
        Authorizer authorizer,
        DataProtection protection,
        ExpirationRules expirations) {

    /** The owner (canonical id and display name) of a canonical id, for documents. */
    public Owner owner(String canonicalId) {
        return identities.owner(canonicalId);
    }

    /** The access settings of a bucket (cached, else read on the worker pool); NoSuchBucket when there is none. */
    public Future<BucketAccess> bucketAccess(S3Exchange ex, BucketName bucket) {
        BucketAccess cached = access.cached(bucket.value());
        if (cached != null) {
            return Future.succeededFuture(cached);
        }
        return blocking(ex, () -> access.load(bucket.value()).orElseThrow(() ->
                new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", bucket.value())));
    }

    /** Runs blocking work (RocksDB, disk) on the worker pool; the future completes on the request's context. */
    public <T> Future<T> blocking(S3Exchange ex, Callable<T> work) {
        return BlockingCalls.run(pool, ex.context(), work);
    }

    /** Looks up a bucket, failing with NoSuchBucket. */
    public Future<BucketRecord> requireBucket(S3Exchange ex, BucketName bucket) {
        return blocking(ex, () -> metadata.getBucket(bucket.value())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", bucket.value())));
    }

    /** Looks up the current object, failing with NoSuchBucket or NoSuchKey (also when a delete marker is on top). */
    public Future<ObjectRecord> requireObject(S3Exchange ex, BucketName bucket, ObjectKey key) {
        return requireVersion(ex, bucket, key, null);
    }

    /**
     * Looks up version {@code versionId} of an object (null: the current one), as AWS answers:
     * NoSuchKey when the key has none or a delete marker is on top (with
     * {@code x-amz-delete-marker: true} and the marker's version id), NoSuchVersion when the named
     * version does not exist, 405 MethodNotAllowed when it is a delete marker. On success the
     * response gets {@code x-amz-version-id} when the bucket is versioned or was.
     */
    public Future<ObjectRecord> requireVersion(S3Exchange ex, BucketName bucket, ObjectKey key, VersionId versionId) {
        return blocking(ex, () -> { // one trip to the worker pool for both reads: a small GET is mostly such trips
            BucketRecord b = metadata.getBucket(bucket.value()).orElseThrow(() ->
                    new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", bucket.value()));
            String id = versionId == null ? null : versionId.value();
            ObjectRecord o = metadata.getObjectVersion(bucket.value(), key.value(), id).orElse(null);
            if (o == null) {
                throw id == null ? new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", key.value())
                        : new S3Exception(S3ErrorCode.NO_SUCH_VERSION).with("Key", key.value()).with("VersionId", id);
            }
            if (o.isDeleteMarker()) {
                S3Exception e = id == null ? new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", key.value())
                        : new S3Exception(S3ErrorCode.METHOD_NOT_ALLOWED).with("Method", ex.request().method().name())
                        .with("ResourceType", "DeleteMarker").header("Allow", "DELETE")
                        .header("Last-Modified", S3Exchange.httpDate(o.modifiedMillis()));
                throw e.header("x-amz-delete-marker", "true").header("x-amz-version-id", o.versionId());
            }
            if (o.version() != null || b.versioning() != BucketRecord.Versioning.UNVERSIONED) {
                ex.response().putHeader("x-amz-version-id", o.versionId());
            }
            return o;
        });
    }
}
