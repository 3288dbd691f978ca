package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.access.ObjectOwnership;
import dev.cairn.s3.access.PublicAccessBlock;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.xml.AccessDocuments;
import io.vertx.core.Future;

/**
 * Put/Get/DeletePublicAccessBlock and Put/Get/DeleteBucketOwnershipControls: the settings the
 * authorizer and {@link WriteAcls} enforce. New buckets have every block on and
 * BucketOwnerEnforced; a deleted configuration answers NoSuchPublicAccessBlockConfiguration /
 * OwnershipControlsNotFoundError and blocks nothing (ACLs then count, as ObjectWriter).
 */
final class AccessSettingsHandler {
    private static final int MAX_BODY = 16 * 1024;

    private final S3Services s;

    AccessSettingsHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> getPublicAccessBlock(S3Exchange ex, BucketRequest.GetPublicAccessBlock op) {
        return s.bucketAccess(ex, op.bucket()).compose(b -> {
            if (b.publicAccessBlock() == null) {
                throw new S3Exception(S3ErrorCode.NO_SUCH_PUBLIC_ACCESS_BLOCK_CONFIGURATION)
                        .with("BucketName", b.bucket());
            }
            return ex.sendXml(200, AccessDocuments.publicAccessBlock(b.publicAccessBlock()));
        });
    }

    Future<Void> putPublicAccessBlock(S3Exchange ex, BucketRequest.PutPublicAccessBlock op) {
        return s.bucketAccess(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_BODY).compose(body -> {
                    PublicAccessBlock block = AccessDocuments.parsePublicAccessBlock(body);
                    return s.blocking(ex, () -> {
                        s.access().putPublicAccessBlock(b.bucket(), block);
                        return null;
                    });
                }))
                .compose(v -> ex.sendEmpty(200));
    }

    Future<Void> deletePublicAccessBlock(S3Exchange ex, BucketRequest.DeletePublicAccessBlock op) {
        return s.bucketAccess(ex, op.bucket()).compose(b -> s.blocking(ex, () -> {
            s.access().putPublicAccessBlock(b.bucket(), null);
            return null;
        })).compose(v -> ex.sendEmpty(204));
    }

    Future<Void> getOwnership(S3Exchange ex, BucketRequest.GetBucketOwnershipControls op) {
        return s.bucketAccess(ex, op.bucket()).compose(b -> {
            if (b.ownership() == null) {
                throw new S3Exception(S3ErrorCode.OWNERSHIP_CONTROLS_NOT_FOUND_ERROR).with("BucketName", b.bucket());
            }
            return ex.sendXml(200, AccessDocuments.ownershipControls(b.ownership()));
        });
    }

    /** BucketOwnerEnforced is refused while the bucket's ACL shares anything (InvalidBucketAclWithObjectOwnership). */
    Future<Void> putOwnership(S3Exchange ex, BucketRequest.PutBucketOwnershipControls op) {
        return s.bucketAccess(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_BODY).compose(body -> {
                    ObjectOwnership o = AccessDocuments.parseOwnershipControls(body);
                    if (!o.aclsEnabled() && b.aclsEnabled() && !b.acl().onlyOwners(b.ownerId())) {
                        throw new S3Exception(S3ErrorCode.INVALID_BUCKET_ACL_WITH_OBJECT_OWNERSHIP);
                    }
                    return s.blocking(ex, () -> {
                        s.access().putOwnership(b.bucket(), o);
                        return null;
                    });
                }))
                .compose(v -> ex.sendEmpty(200));
    }

    Future<Void> deleteOwnership(S3Exchange ex, BucketRequest.DeleteBucketOwnershipControls op) {
        return s.bucketAccess(ex, op.bucket()).compose(b -> s.blocking(ex, () -> {
            s.access().putOwnership(b.bucket(), null);
            return null;
        })).compose(v -> ex.sendEmpty(204));
    }
}
