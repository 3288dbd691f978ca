package dev.cairn.s3.request;

import java.util.List;
import java.util.Map;

/** A request on one bucket; by default it needs its operation's action on the bucket. */
public sealed interface BucketRequest extends S3Request permits BucketRequest.CreateBucket, BucketRequest.HeadBucket,
        BucketRequest.DeleteBucket, BucketRequest.GetBucketLocation, BucketRequest.GetBucketVersioning,
        BucketRequest.ListObjects, BucketRequest.ListObjectsV2, BucketRequest.ListObjectVersions,
        BucketRequest.ListMultipartUploads, BucketRequest.DeleteObjects, BucketRequest.PutBucketCors, BucketRequest.PutBucketEncryption,
        BucketRequest.GetBucketEncryption, BucketRequest.DeleteBucketEncryption,
        BucketRequest.PutBucketLifecycle, BucketRequest.GetBucketLifecycle, BucketRequest.DeleteBucketLifecycle,
        BucketRequest.GetBucketCors, BucketRequest.DeleteBucketCors, BucketRequest.Preflight, BucketRequest.PostObject,
        BucketRequest.GetBucketTagging, BucketRequest.PutBucketTagging, BucketRequest.PutBucketVersioning, BucketRequest.DeleteBucketTagging,
        BucketRequest.GetObjectLockConfiguration, BucketRequest.PutObjectLockConfiguration,
        BucketRequest.GetBucketAcl, BucketRequest.PutBucketAcl,
        BucketRequest.GetBucketPolicy, BucketRequest.PutBucketPolicy, BucketRequest.DeleteBucketPolicy,
        BucketRequest.GetBucketPolicyStatus, BucketRequest.GetPublicAccessBlock, BucketRequest.PutPublicAccessBlock,
        BucketRequest.DeletePublicAccessBlock, BucketRequest.GetBucketOwnershipControls,
        BucketRequest.PutBucketOwnershipControls, BucketRequest.DeleteBucketOwnershipControls,
        ObjectRequest {

    BucketName bucket();

    @Override
    default String bucketName() {
        return bucket().value();
    }

    @Override
    default List<Permission> permissions() {
        return List.of(new Permission(operation().action(), bucket(), null));
    }

    record CreateBucket(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.CREATE_BUCKET;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.createBucket(this, c);
        }
    }

    record HeadBucket(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.HEAD_BUCKET;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.headBucket(this, c);
        }
    }

    record DeleteBucket(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_BUCKET;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteBucket(this, c);
        }
    }

    record GetBucketLocation(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_LOCATION;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketLocation(this, c);
        }
    }

    record GetBucketVersioning(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_VERSIONING;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketVersioning(this, c);
        }
    }

    /** PutBucketVersioning: the VersioningConfiguration document is the body. */
    record PutBucketVersioning(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_BUCKET_VERSIONING;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putBucketVersioning(this, c);
        }
    }

    record GetObjectLockConfiguration(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_OBJECT_LOCK_CONFIGURATION;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getObjectLockConfiguration(this, c);
        }
    }

    record PutObjectLockConfiguration(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_OBJECT_LOCK_CONFIGURATION;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putObjectLockConfiguration(this, c);
        }
    }

    /** ListObjects (v1): {@code prefix} is never null, {@code delimiter} and {@code marker} null when empty. */
    record ListObjects(BucketName bucket, String prefix, String delimiter, int maxKeys, boolean urlEncoding,
                       String marker, Map<String, String> conditionKeys) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.LIST_OBJECTS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.listObjects(this, c);
        }
    }

    /** ListObjectsV2; {@code after} is where the listing starts: the token decoded, else start-after. */
    record ListObjectsV2(BucketName bucket, String prefix, String delimiter, int maxKeys, boolean urlEncoding,
                         String continuationToken, String startAfter, String after, boolean fetchOwner,
                         Map<String, String> conditionKeys) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.LIST_OBJECTS_V2;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.listObjectsV2(this, c);
        }
    }

    record ListObjectVersions(BucketName bucket, String prefix, String delimiter, int maxKeys, boolean urlEncoding,
                              String keyMarker, VersionId versionIdMarker, Map<String, String> conditionKeys)
            implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.LIST_OBJECT_VERSIONS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.listObjectVersions(this, c);
        }
    }

    record ListMultipartUploads(BucketName bucket, String prefix, String delimiter, int maxUploads,
                                boolean urlEncoding, String keyMarker, String uploadIdMarker,
                                Map<String, String> conditionKeys) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.LIST_MULTIPART_UPLOADS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.listMultipartUploads(this, c);
        }
    }

    /** DeleteObjects: the keys are in the body, and each is authorized (s3:DeleteObject) on its own. */
    record DeleteObjects(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_OBJECTS;
        }

        @Override
        public List<Permission> permissions() {
            return List.of();
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteObjects(this, c);
        }
    }

    /** PutBucketLifecycleConfiguration: the LifecycleConfiguration document is the body. */
    record PutBucketLifecycle(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_BUCKET_LIFECYCLE;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putBucketLifecycle(this, c);
        }
    }

    record GetBucketLifecycle(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_LIFECYCLE;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketLifecycle(this, c);
        }
    }

    record DeleteBucketLifecycle(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_BUCKET_LIFECYCLE;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteBucketLifecycle(this, c);
        }
    }

    record PutBucketEncryption(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_BUCKET_ENCRYPTION;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putBucketEncryption(this, c);
        }
    }

    record GetBucketEncryption(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_ENCRYPTION;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketEncryption(this, c);
        }
    }

    record DeleteBucketEncryption(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_BUCKET_ENCRYPTION;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteBucketEncryption(this, c);
        }
    }

    record PutBucketCors(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_BUCKET_CORS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putBucketCors(this, c);
        }
    }

    record GetBucketCors(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_CORS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketCors(this, c);
        }
    }

    record DeleteBucketCors(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_BUCKET_CORS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteBucketCors(this, c);
        }
    }

    /** A CORS preflight on the bucket or one of its objects ({@code key} null for the bucket): anonymous. */
    record Preflight(BucketName bucket, ObjectKey key) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PREFLIGHT;
        }

        @Override
        public List<Permission> permissions() {
            return List.of();
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.preflight(this, c);
        }
    }

    /** A browser form upload: the key is a form field, so the handler authorizes it once the form is read. */
    record PostObject(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.POST_OBJECT;
        }

        @Override
        public List<Permission> permissions() {
            return List.of();
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.postObject(this, c);
        }
    }

    record GetBucketTagging(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_TAGGING;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketTagging(this, c);
        }
    }

    record PutBucketTagging(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_BUCKET_TAGGING;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putBucketTagging(this, c);
        }
    }

    record DeleteBucketTagging(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_BUCKET_TAGGING;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteBucketTagging(this, c);
        }
    }

    record GetBucketAcl(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_ACL;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketAcl(this, c);
        }
    }

    record PutBucketAcl(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_BUCKET_ACL;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putBucketAcl(this, c);
        }
    }

    record GetBucketPolicy(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_POLICY;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketPolicy(this, c);
        }
    }

    record PutBucketPolicy(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_BUCKET_POLICY;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putBucketPolicy(this, c);
        }
    }

    record DeleteBucketPolicy(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_BUCKET_POLICY;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteBucketPolicy(this, c);
        }
    }

    record GetBucketPolicyStatus(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_POLICY_STATUS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketPolicyStatus(this, c);
        }
    }

    record GetPublicAccessBlock(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_PUBLIC_ACCESS_BLOCK;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getPublicAccessBlock(this, c);
        }
    }

    record PutPublicAccessBlock(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_PUBLIC_ACCESS_BLOCK;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putPublicAccessBlock(this, c);
        }
    }

    record DeletePublicAccessBlock(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_PUBLIC_ACCESS_BLOCK;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deletePublicAccessBlock(this, c);
        }
    }

    record GetBucketOwnershipControls(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_BUCKET_OWNERSHIP_CONTROLS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getBucketOwnershipControls(this, c);
        }
    }

    record PutBucketOwnershipControls(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_BUCKET_OWNERSHIP_CONTROLS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putBucketOwnershipControls(this, c);
        }
    }

    record DeleteBucketOwnershipControls(BucketName bucket) implements BucketRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_BUCKET_OWNERSHIP_CONTROLS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteBucketOwnershipControls(this, c);
        }
    }
}
