package dev.cairn.s3.request;

import dev.cairn.s3.S3Exception;

import java.util.List;
import java.util.Map;

/**
 * An S3 request parsed into the operation it asks for, carrying exactly that operation's
 * validated parameters ({@link RequestParser#parse} builds them). Bucket operations are
 * {@link BucketRequest}s, object operations {@link ObjectRequest}s. Each knows the IAM action and
 * resource it needs ({@link #permissions}); handlers take their typed request and never read the
 * query string. Dispatch is exhaustive through {@link Visitor}: a new operation does not compile
 * until every visitor handles it.
 */
public sealed interface S3Request permits S3Request.ListBuckets, S3Request.Unsupported, S3Request.Invalid,
        BucketRequest {

    /** The kind of operation (its AWS name, its general IAM action). */
    S3Operation operation();

    /** The bucket the request names, as sent (null when none); for error documents and logs. */
    default String bucketName() {
        return null;
    }

    /** The object key the request names, as sent (null when none). */
    default String keyName() {
        return null;
    }

    /** What the caller needs permission for, in order; empty for requests that authorize themselves. */
    List<Permission> permissions();

    /**
     * The policy condition keys this request's own parameters give (s3:prefix, s3:delimiter and
     * s3:max-keys of a listing as sent, s3:VersionId...); header and connection keys are the
     * authorizer's.
     */
    default Map<String, String> conditionKeys() {
        return Map.of();
    }

    <C, R> R accept(Visitor<C, R> visitor, C context);

    /**
     * ListBuckets; {@code paged()} when any of max-buckets, continuation-token, prefix or
     * bucket-region was given ({@code startAfter} is the token decoded).
     */
    record ListBuckets(Integer maxBuckets, String continuationToken, String startAfter, String prefix,
                       String region) implements S3Request {
        public boolean paged() {
            return maxBuckets != null || continuationToken != null || prefix != null || region != null;
        }

        @Override
        public S3Operation operation() {
            return S3Operation.LIST_BUCKETS;
        }

        @Override
        public List<Permission> permissions() {
            return List.of(new Permission(operation().action(), null, null));
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.listBuckets(this, c);
        }
    }

    /** A request Cairn recognises but does not implement: 501 NotImplemented naming {@code name}. */
    record Unsupported(String name, String bucketName, String keyName) implements S3Request {
        @Override
        public S3Operation operation() {
            return S3Operation.UNSUPPORTED;
        }

        @Override
        public List<Permission> permissions() {
            return List.of();
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.unsupported(this, c);
        }
    }

    /**
     * A request for {@code operation} whose parameters are not valid: answered with {@code error}
     * after authentication, as the operation itself would have answered.
     */
    record Invalid(S3Operation operation, String bucketName, String keyName, S3Exception error) implements S3Request {
        /**
         * The operation's action on the bucket and key as named, when they are names at all: a
         * caller who may not do the operation is refused (AccessDenied) before learning what
         * was wrong with its parameters.
         */
        @Override
        public List<Permission> permissions() {
            String action = operation.action();
            if (action == null) {
                return List.of();
            }
            BucketName bucket = BucketName.orNull(bucketName);
            if (bucket == null) {
                return operation == S3Operation.LIST_BUCKETS || operation == S3Operation.CREATE_BUCKET
                        ? List.of(new Permission(action, null, null)) : List.of();
            }
            return List.of(new Permission(action, bucket, ObjectKey.orNull(keyName)));
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.invalid(this, c);
        }
    }

    /** One method per request type, so that dispatch is checked for completeness by the compiler. */
    interface Visitor<C, R> {
        R listBuckets(ListBuckets op, C c);

        R unsupported(Unsupported op, C c);

        R invalid(Invalid op, C c);

        R createBucket(BucketRequest.CreateBucket op, C c);

        R headBucket(BucketRequest.HeadBucket op, C c);

        R deleteBucket(BucketRequest.DeleteBucket op, C c);

        R getBucketLocation(BucketRequest.GetBucketLocation op, C c);

        R getBucketVersioning(BucketRequest.GetBucketVersioning op, C c);

        R listObjects(BucketRequest.ListObjects op, C c);

        R listObjectsV2(BucketRequest.ListObjectsV2 op, C c);

        R listObjectVersions(BucketRequest.ListObjectVersions op, C c);

        R listMultipartUploads(BucketRequest.ListMultipartUploads op, C c);

        R deleteObjects(BucketRequest.DeleteObjects op, C c);

        R putBucketCors(BucketRequest.PutBucketCors op, C c);

        R putBucketEncryption(BucketRequest.PutBucketEncryption op, C c);

        R putBucketLifecycle(BucketRequest.PutBucketLifecycle op, C c);

        R getBucketLifecycle(BucketRequest.GetBucketLifecycle op, C c);

        R deleteBucketLifecycle(BucketRequest.DeleteBucketLifecycle op, C c);

        R getBucketEncryption(BucketRequest.GetBucketEncryption op, C c);

        R deleteBucketEncryption(BucketRequest.DeleteBucketEncryption op, C c);

        R getBucketCors(BucketRequest.GetBucketCors op, C c);

        R deleteBucketCors(BucketRequest.DeleteBucketCors op, C c);

        R preflight(BucketRequest.Preflight op, C c);

        R postObject(BucketRequest.PostObject op, C c);

        R getBucketTagging(BucketRequest.GetBucketTagging op, C c);

        R putBucketTagging(BucketRequest.PutBucketTagging op, C c);

        R putBucketVersioning(BucketRequest.PutBucketVersioning op, C c);

        R getObjectLockConfiguration(BucketRequest.GetObjectLockConfiguration op, C c);

        R putObjectLockConfiguration(BucketRequest.PutObjectLockConfiguration op, C c);

        R getObjectRetention(ObjectRequest.GetObjectRetention op, C c);

        R putObjectRetention(ObjectRequest.PutObjectRetention op, C c);

        R getObjectLegalHold(ObjectRequest.GetObjectLegalHold op, C c);

        R putObjectLegalHold(ObjectRequest.PutObjectLegalHold op, C c);

        R deleteBucketTagging(BucketRequest.DeleteBucketTagging op, C c);

        R getBucketAcl(BucketRequest.GetBucketAcl op, C c);

        R putBucketAcl(BucketRequest.PutBucketAcl op, C c);

        R getBucketPolicy(BucketRequest.GetBucketPolicy op, C c);

        R putBucketPolicy(BucketRequest.PutBucketPolicy op, C c);

        R deleteBucketPolicy(BucketRequest.DeleteBucketPolicy op, C c);

        R getBucketPolicyStatus(BucketRequest.GetBucketPolicyStatus op, C c);

        R getPublicAccessBlock(BucketRequest.GetPublicAccessBlock op, C c);

        R putPublicAccessBlock(BucketRequest.PutPublicAccessBlock op, C c);

        R deletePublicAccessBlock(BucketRequest.DeletePublicAccessBlock op, C c);

        R getBucketOwnershipControls(BucketRequest.GetBucketOwnershipControls op, C c);

        R putBucketOwnershipControls(BucketRequest.PutBucketOwnershipControls op, C c);

        R deleteBucketOwnershipControls(BucketRequest.DeleteBucketOwnershipControls op, C c);

        R putObject(ObjectRequest.PutObject op, C c);

        R getObject(ObjectRequest.GetObject op, C c);

        R headObject(ObjectRequest.HeadObject op, C c);

        R deleteObject(ObjectRequest.DeleteObject op, C c);

        R copyObject(ObjectRequest.CopyObject op, C c);

        R getObjectTagging(ObjectRequest.GetObjectTagging op, C c);

        R putObjectTagging(ObjectRequest.PutObjectTagging op, C c);

        R deleteObjectTagging(ObjectRequest.DeleteObjectTagging op, C c);

        R getObjectAcl(ObjectRequest.GetObjectAcl op, C c);

        R putObjectAcl(ObjectRequest.PutObjectAcl op, C c);

        R getObjectAttributes(ObjectRequest.GetObjectAttributes op, C c);

        R createMultipartUpload(ObjectRequest.CreateMultipartUpload op, C c);

        R uploadPart(ObjectRequest.UploadPart op, C c);

        R uploadPartCopy(ObjectRequest.UploadPartCopy op, C c);

        R completeMultipartUpload(ObjectRequest.CompleteMultipartUpload op, C c);

        R abortMultipartUpload(ObjectRequest.AbortMultipartUpload op, C c);

        R listParts(ObjectRequest.ListParts op, C c);
    }
}
