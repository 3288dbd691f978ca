package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.xml.AclDocuments;
import io.vertx.core.Future;

import java.util.List;

/**
 * Get/PutBucketAcl and Get/PutObjectAcl for clients that manage ACLs: every bucket and object
 * has the one ACL Cairn enforces, owner FULL_CONTROL. A PUT of that ACL (canned or as a policy
 * document) succeeds and changes nothing; anything granting more is refused (see {@link AclRules}).
 */
final class AclHandler {
    private static final int MAX_ACL_BODY = 64 * 1024;

    private final S3Services s;

    AclHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> getBucketAcl(S3Exchange ex, BucketRequest.GetBucketAcl op) {
        return s.requireBucket(ex, op.bucket()).compose(b -> sendAcl(ex));
    }

    Future<Void> getObjectAcl(S3Exchange ex, ObjectRequest.GetObjectAcl op) {
        return s.requireObject(ex, op.bucket(), op.key()).compose(o -> sendAcl(ex));
    }

    Future<Void> putBucketAcl(S3Exchange ex, BucketRequest.PutBucketAcl op) {
        boolean canned = AclRules.checkHeaders(ex);
        return s.requireBucket(ex, op.bucket())
                .compose(b -> readPolicy(ex, canned))
                .compose(v -> ex.sendEmpty(200));
    }

    Future<Void> putObjectAcl(S3Exchange ex, ObjectRequest.PutObjectAcl op) {
        boolean canned = AclRules.checkHeaders(ex);
        return s.requireObject(ex, op.bucket(), op.key())
                .compose(o -> readPolicy(ex, canned))
                .compose(v -> ex.sendEmpty(200));
    }

    private Future<Void> sendAcl(S3Exchange ex) {
        return ex.sendXml(200, AclDocuments.ownerFullControl(s.owner()));
    }

    /** Reads the request body: a canned ACL comes without one, otherwise it must be the owner-only policy. */
    private Future<Void> readPolicy(S3Exchange ex, boolean canned) {
        return SmallBodies.read(s, ex, MAX_ACL_BODY).map(body -> {
            if (canned) {
                if (body.length > 0) {
                    throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                            "Specify an ACL either with the x-amz-acl header or in the request body, not both");
                }
                return null;
            }
            if (body.length == 0) {
                throw new S3Exception(S3ErrorCode.MALFORMED_ACL_ERROR,
                        "An ACL must be given with the x-amz-acl header or as an AccessControlPolicy body");
            }
            checkOwnerOnly(AclDocuments.parseGrants(body));
            return null;
        });
    }

    private void checkOwnerOnly(List<AclDocuments.Grant> grants) {
        if (grants.isEmpty()) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "An ACL that does not grant the owner FULL_CONTROL is not supported by Cairn");
        }
        for (AclDocuments.Grant g : grants) {
            boolean owner = "CanonicalUser".equals(g.granteeType()) && s.owner().id().equals(g.grantee());
            if (!owner || !"FULL_CONTROL".equals(g.permission())) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "The grant of " + g.permission() + " to "
                        + g.granteeType() + " " + g.grantee() + " is not supported by Cairn: only the owner's "
                        + "FULL_CONTROL grant is");
            }
        }
    }
}
