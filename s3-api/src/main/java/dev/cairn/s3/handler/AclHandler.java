package dev.cairn.s3.handler;

import dev.cairn.metadata.MetaCommand;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.iam.acl.Acl;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.xml.AclDocuments;
import io.vertx.core.Future;

/**
 * Get/PutBucketAcl and Get/PutObjectAcl. With ACLs disabled (BucketOwnerEnforced, the default)
 * every ACL reads as the bucket owner's FULL_CONTROL and only ACLs granting nothing beyond the
 * owners may be put (and change nothing); with ACLs enabled the bucket's and each object's ACL are
 * stored and enforced by the authorizer ({@link WriteAcls} checks what is put).
 */
final class AclHandler {
    private static final int MAX_ACL_BODY = 64 * 1024;

    private final S3Services s;

    AclHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> getBucketAcl(S3Exchange ex, BucketRequest.GetBucketAcl op) {
        return s.bucketAccess(ex, op.bucket()).compose(b -> ex.sendXml(200, AclDocuments.policy(
                b.aclsEnabled() ? b.acl() : Acl.ownerOnly(b.ownerId()), s::owner)));
    }

    Future<Void> getObjectAcl(S3Exchange ex, ObjectRequest.GetObjectAcl op) {
        return s.bucketAccess(ex, op.bucket()).compose(b -> s.requireVersion(ex, op.bucket(), op.key(), op.versionId())
                .compose(o -> ex.sendXml(200, AclDocuments.policy(b.aclsEnabled() ? Acl.decode(o.acl(), o.owner())
                        : Acl.ownerOnly(b.ownerId()), s::owner))));
    }

    Future<Void> putBucketAcl(S3Exchange ex, BucketRequest.PutBucketAcl op) {
        return s.bucketAccess(ex, op.bucket())
                .compose(b -> requested(ex, b.ownerId(), b.ownerId()).compose(acl -> s.blocking(ex, () -> {
                    byte[] stored = WriteAcls.toStore(acl, b, s.identities());
                    if (b.aclsEnabled()) {
                        s.access().putAcl(b.bucket(), stored == null ? Acl.ownerOnly(b.ownerId()) : acl);
                    }
                    return null;
                })))
                .compose(v -> ex.sendEmpty(200));
    }

    Future<Void> putObjectAcl(S3Exchange ex, ObjectRequest.PutObjectAcl op) {
        BucketAccess[] bucket = new BucketAccess[1];
        return s.bucketAccess(ex, op.bucket())
                .compose(b -> {
                    bucket[0] = b;
                    return s.requireVersion(ex, op.bucket(), op.key(), op.versionId());
                })
                .compose(o -> requested(ex, o.owner(), bucket[0].ownerId()))
                .compose(acl -> s.blocking(ex, () -> {
                    byte[] stored = WriteAcls.toStore(acl, bucket[0], s.identities());
                    if (bucket[0].aclsEnabled() && op.versionId() == null) {
                        s.metadata().setObjectAcl(op.bucket().value(), op.key().value(), stored);
                    } else if (bucket[0].aclsEnabled()) {
                        s.metadata().commitAndWait(new MetaCommand.SetVersionAcl(op.bucket().value(),
                                op.key().value(), op.versionId().value(), stored));
                    }
                    return null;
                }))
                .compose(v -> ex.sendEmpty(200));
    }

    /**
     * The ACL the request puts: from x-amz-acl or x-amz-grant-* headers (then the body must be
     * empty), else from its AccessControlPolicy body.
     */
    private Future<Acl> requested(S3Exchange ex, String ownerId, String bucketOwnerId) {
        Acl fromHeaders = WriteAcls.fromHeaders(ex.request().headers(), ownerId, bucketOwnerId);
        return SmallBodies.read(s, ex, MAX_ACL_BODY).map(body -> {
            if (fromHeaders != null) {
                if (body.length > 0) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "Specify an ACL either with the x-amz-acl header or in the request body, not both");
                }
                return fromHeaders;
            }
            if (body.length == 0) {
                throw new S3Exception(S3ErrorCode.MALFORMED_ACL_ERROR,
                        "An ACL must be given with the x-amz-acl header or as an AccessControlPolicy body");
            }
            AclDocuments.Parsed parsed = AclDocuments.parse(body);
            if (parsed.ownerId() != null && !parsed.ownerId().equals(ownerId)) {
                throw new S3Exception(S3ErrorCode.ACCESS_DENIED, "The owner of an ACL cannot be changed");
            }
            return new Acl(ownerId, parsed.grants());
        });
    }
}
