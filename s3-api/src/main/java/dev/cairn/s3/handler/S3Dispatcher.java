package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.auth.SigV4Verifier;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.http.S3Handlers;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.request.S3Request;
import io.vertx.core.Future;

/**
 * The handlers as the router sees them: every typed operation to the method of its family's
 * handler (one class per family). The visitor makes this the exhaustive switch: an operation
 * without a line here does not compile.
 */
public final class S3Dispatcher implements S3Handlers {
    private final BucketHandler buckets;
    private final ObjectHandler objects;
    private final ListHandler lists;
    private final MultipartHandler multipart;
    private final DeleteObjectsHandler deletes;
    private final CopyHandler copies;
    private final CorsHandler cors;
    private final EncryptionHandler encryption;
    private final LifecycleHandler lifecycle;
    private final PostObjectHandler posts;
    private final TaggingHandler tagging;
    private final AclHandler acls;
    private final ObjectAttributesHandler attributes;
    private final PolicyHandler policies;
    private final AccessSettingsHandler settings;
    private final ObjectLockHandler locks;

    public S3Dispatcher(S3Services services, SigV4Verifier verifier) {
        this.buckets = new BucketHandler(services);
        this.objects = new ObjectHandler(services);
        this.lists = new ListHandler(services);
        this.multipart = new MultipartHandler(services);
        this.deletes = new DeleteObjectsHandler(services);
        this.copies = new CopyHandler(services, services.copier());
        this.cors = new CorsHandler(services);
        this.encryption = new EncryptionHandler(services);
        this.lifecycle = new LifecycleHandler(services);
        this.posts = new PostObjectHandler(services, verifier);
        this.tagging = new TaggingHandler(services);
        this.acls = new AclHandler(services);
        this.attributes = new ObjectAttributesHandler(services);
        this.policies = new PolicyHandler(services);
        this.settings = new AccessSettingsHandler(services);
        this.locks = new ObjectLockHandler(services);
    }

    @Override
    public Future<Void> corsHeaders(S3Exchange ex) {
        return cors.decorate(ex);
    }

    @Override
    public Future<Void> listBuckets(S3Request.ListBuckets op, S3Exchange ex) {
        return buckets.listBuckets(ex, op);
    }

    @Override
    public Future<Void> unsupported(S3Request.Unsupported op, S3Exchange ex) {
        throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, op.name() + " is not implemented by Cairn");
    }

    @Override
    public Future<Void> invalid(S3Request.Invalid op, S3Exchange ex) {
        throw op.error();
    }

    @Override
    public Future<Void> createBucket(BucketRequest.CreateBucket op, S3Exchange ex) {
        return buckets.create(ex, op);
    }

    @Override
    public Future<Void> headBucket(BucketRequest.HeadBucket op, S3Exchange ex) {
        return buckets.head(ex, op);
    }

    @Override
    public Future<Void> deleteBucket(BucketRequest.DeleteBucket op, S3Exchange ex) {
        return buckets.delete(ex, op);
    }

    @Override
    public Future<Void> getBucketLocation(BucketRequest.GetBucketLocation op, S3Exchange ex) {
        return buckets.location(ex, op);
    }

    @Override
    public Future<Void> getBucketVersioning(BucketRequest.GetBucketVersioning op, S3Exchange ex) {
        return buckets.versioning(ex, op);
    }

    @Override
    public Future<Void> listObjects(BucketRequest.ListObjects op, S3Exchange ex) {
        return lists.listObjects(ex, op);
    }

    @Override
    public Future<Void> listObjectsV2(BucketRequest.ListObjectsV2 op, S3Exchange ex) {
        return lists.listObjectsV2(ex, op);
    }

    @Override
    public Future<Void> listObjectVersions(BucketRequest.ListObjectVersions op, S3Exchange ex) {
        return lists.listVersions(ex, op);
    }

    @Override
    public Future<Void> listMultipartUploads(BucketRequest.ListMultipartUploads op, S3Exchange ex) {
        return lists.listUploads(ex, op);
    }

    @Override
    public Future<Void> deleteObjects(BucketRequest.DeleteObjects op, S3Exchange ex) {
        return deletes.deleteObjects(ex, op);
    }

    @Override
    public Future<Void> putBucketLifecycle(BucketRequest.PutBucketLifecycle op, S3Exchange ex) {
        return lifecycle.put(ex, op);
    }

    @Override
    public Future<Void> getBucketLifecycle(BucketRequest.GetBucketLifecycle op, S3Exchange ex) {
        return lifecycle.get(ex, op);
    }

    @Override
    public Future<Void> deleteBucketLifecycle(BucketRequest.DeleteBucketLifecycle op, S3Exchange ex) {
        return lifecycle.delete(ex, op);
    }

    @Override
    public Future<Void> putBucketEncryption(BucketRequest.PutBucketEncryption op, S3Exchange ex) {
        return encryption.put(ex, op);
    }

    @Override
    public Future<Void> getBucketEncryption(BucketRequest.GetBucketEncryption op, S3Exchange ex) {
        return encryption.get(ex, op);
    }

    @Override
    public Future<Void> deleteBucketEncryption(BucketRequest.DeleteBucketEncryption op, S3Exchange ex) {
        return encryption.delete(ex, op);
    }

    @Override
    public Future<Void> putBucketCors(BucketRequest.PutBucketCors op, S3Exchange ex) {
        return cors.put(ex, op);
    }

    @Override
    public Future<Void> getBucketCors(BucketRequest.GetBucketCors op, S3Exchange ex) {
        return cors.get(ex, op);
    }

    @Override
    public Future<Void> deleteBucketCors(BucketRequest.DeleteBucketCors op, S3Exchange ex) {
        return cors.delete(ex, op);
    }

    @Override
    public Future<Void> preflight(BucketRequest.Preflight op, S3Exchange ex) {
        return cors.preflight(ex, op);
    }

    @Override
    public Future<Void> postObject(BucketRequest.PostObject op, S3Exchange ex) {
        return posts.post(ex, op);
    }

    @Override
    public Future<Void> getBucketTagging(BucketRequest.GetBucketTagging op, S3Exchange ex) {
        return tagging.getBucketTagging(ex, op);
    }

    @Override
    public Future<Void> putBucketVersioning(BucketRequest.PutBucketVersioning op, S3Exchange ex) {
        return buckets.putVersioning(ex, op);
    }

    @Override
    public Future<Void> getObjectLockConfiguration(BucketRequest.GetObjectLockConfiguration op, S3Exchange ex) {
        return locks.getConfiguration(ex, op);
    }

    @Override
    public Future<Void> putObjectLockConfiguration(BucketRequest.PutObjectLockConfiguration op, S3Exchange ex) {
        return locks.putConfiguration(ex, op);
    }

    @Override
    public Future<Void> getObjectRetention(ObjectRequest.GetObjectRetention op, S3Exchange ex) {
        return locks.getRetention(ex, op);
    }

    @Override
    public Future<Void> putObjectRetention(ObjectRequest.PutObjectRetention op, S3Exchange ex) {
        return locks.putRetention(ex, op);
    }

    @Override
    public Future<Void> getObjectLegalHold(ObjectRequest.GetObjectLegalHold op, S3Exchange ex) {
        return locks.getLegalHold(ex, op);
    }

    @Override
    public Future<Void> putObjectLegalHold(ObjectRequest.PutObjectLegalHold op, S3Exchange ex) {
        return locks.putLegalHold(ex, op);
    }

    @Override
    public Future<Void> putBucketTagging(BucketRequest.PutBucketTagging op, S3Exchange ex) {
        return tagging.putBucketTagging(ex, op);
    }

    @Override
    public Future<Void> deleteBucketTagging(BucketRequest.DeleteBucketTagging op, S3Exchange ex) {
        return tagging.deleteBucketTagging(ex, op);
    }

    @Override
    public Future<Void> getBucketAcl(BucketRequest.GetBucketAcl op, S3Exchange ex) {
        return acls.getBucketAcl(ex, op);
    }

    @Override
    public Future<Void> putBucketAcl(BucketRequest.PutBucketAcl op, S3Exchange ex) {
        return acls.putBucketAcl(ex, op);
    }

    @Override
    public Future<Void> getBucketPolicy(BucketRequest.GetBucketPolicy op, S3Exchange ex) {
        return policies.get(ex, op);
    }

    @Override
    public Future<Void> putBucketPolicy(BucketRequest.PutBucketPolicy op, S3Exchange ex) {
        return policies.put(ex, op);
    }

    @Override
    public Future<Void> deleteBucketPolicy(BucketRequest.DeleteBucketPolicy op, S3Exchange ex) {
        return policies.delete(ex, op);
    }

    @Override
    public Future<Void> getBucketPolicyStatus(BucketRequest.GetBucketPolicyStatus op, S3Exchange ex) {
        return policies.status(ex, op);
    }

    @Override
    public Future<Void> getPublicAccessBlock(BucketRequest.GetPublicAccessBlock op, S3Exchange ex) {
        return settings.getPublicAccessBlock(ex, op);
    }

    @Override
    public Future<Void> putPublicAccessBlock(BucketRequest.PutPublicAccessBlock op, S3Exchange ex) {
        return settings.putPublicAccessBlock(ex, op);
    }

    @Override
    public Future<Void> deletePublicAccessBlock(BucketRequest.DeletePublicAccessBlock op, S3Exchange ex) {
        return settings.deletePublicAccessBlock(ex, op);
    }

    @Override
    public Future<Void> getBucketOwnershipControls(BucketRequest.GetBucketOwnershipControls op, S3Exchange ex) {
        return settings.getOwnership(ex, op);
    }

    @Override
    public Future<Void> putBucketOwnershipControls(BucketRequest.PutBucketOwnershipControls op, S3Exchange ex) {
        return settings.putOwnership(ex, op);
    }

    @Override
    public Future<Void> deleteBucketOwnershipControls(BucketRequest.DeleteBucketOwnershipControls op, S3Exchange ex) {
        return settings.deleteOwnership(ex, op);
    }

    @Override
    public Future<Void> putObject(ObjectRequest.PutObject op, S3Exchange ex) {
        return objects.put(ex, op);
    }

    @Override
    public Future<Void> getObject(ObjectRequest.GetObject op, S3Exchange ex) {
        return objects.get(ex, op);
    }

    @Override
    public Future<Void> headObject(ObjectRequest.HeadObject op, S3Exchange ex) {
        return objects.head(ex, op);
    }

    @Override
    public Future<Void> deleteObject(ObjectRequest.DeleteObject op, S3Exchange ex) {
        return objects.delete(ex, op);
    }

    @Override
    public Future<Void> copyObject(ObjectRequest.CopyObject op, S3Exchange ex) {
        return copies.copyObject(ex, op);
    }

    @Override
    public Future<Void> getObjectTagging(ObjectRequest.GetObjectTagging op, S3Exchange ex) {
        return tagging.getObjectTagging(ex, op);
    }

    @Override
    public Future<Void> putObjectTagging(ObjectRequest.PutObjectTagging op, S3Exchange ex) {
        return tagging.putObjectTagging(ex, op);
    }

    @Override
    public Future<Void> deleteObjectTagging(ObjectRequest.DeleteObjectTagging op, S3Exchange ex) {
        return tagging.deleteObjectTagging(ex, op);
    }

    @Override
    public Future<Void> getObjectAcl(ObjectRequest.GetObjectAcl op, S3Exchange ex) {
        return acls.getObjectAcl(ex, op);
    }

    @Override
    public Future<Void> putObjectAcl(ObjectRequest.PutObjectAcl op, S3Exchange ex) {
        return acls.putObjectAcl(ex, op);
    }

    @Override
    public Future<Void> getObjectAttributes(ObjectRequest.GetObjectAttributes op, S3Exchange ex) {
        return attributes.getObjectAttributes(ex, op);
    }

    @Override
    public Future<Void> createMultipartUpload(ObjectRequest.CreateMultipartUpload op, S3Exchange ex) {
        return multipart.create(ex, op);
    }

    @Override
    public Future<Void> uploadPart(ObjectRequest.UploadPart op, S3Exchange ex) {
        return multipart.uploadPart(ex, op);
    }

    @Override
    public Future<Void> uploadPartCopy(ObjectRequest.UploadPartCopy op, S3Exchange ex) {
        return copies.uploadPartCopy(ex, op);
    }

    @Override
    public Future<Void> completeMultipartUpload(ObjectRequest.CompleteMultipartUpload op, S3Exchange ex) {
        return multipart.complete(ex, op);
    }

    @Override
    public Future<Void> abortMultipartUpload(ObjectRequest.AbortMultipartUpload op, S3Exchange ex) {
        return multipart.abort(ex, op);
    }

    @Override
    public Future<Void> listParts(ObjectRequest.ListParts op, S3Exchange ex) {
        return multipart.listParts(ex, op);
    }
}
