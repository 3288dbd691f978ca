package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.access.ObjectOwnership;
import dev.cairn.s3.iam.Identities;
import dev.cairn.s3.iam.Principal;
import dev.cairn.s3.iam.acl.Acl;
import dev.cairn.s3.iam.acl.AclPermission;
import dev.cairn.s3.iam.acl.CannedAcl;
import dev.cairn.s3.iam.acl.Grantee;
import dev.cairn.s3.xml.AclDocuments;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;

/**
 * The ACL a request asks for ({@code x-amz-acl} or {@code x-amz-grant-*}, or an
 * AccessControlPolicy body) checked against the bucket's settings as S3 checks it: with ACLs
 * disabled (BucketOwnerEnforced) only ACLs that grant nothing beyond the owners are accepted
 * (and change nothing), anything else is 400 AccessControlListNotSupported; with ACLs enabled
 * a public ACL is 403 AccessDenied while BlockPublicAcls is on. Grantees must be Cairn's root or
 * one of its users.
 */
final class WriteAcls {
    static final String[] GRANT_HEADERS = {"x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp",
            "x-amz-grant-write-acp", "x-amz-grant-full-control"};

    private WriteAcls() {
    }

    /** Whether the headers ask for an ACL. */
    static boolean requested(MultiMap headers) {
        if (headers.get("x-amz-acl") != null) {
            return true;
        }
        for (String h : GRANT_HEADERS) {
            if (headers.get(h) != null) {
                return true;
            }
        }
        return false;
    }

    /** The canned ACL the headers name, or null (InvalidArgument for an unknown one). */
    static CannedAcl canned(String header) {
        if (header == null) {
            return null;
        }
        CannedAcl c = CannedAcl.named(header.trim());
        if (c == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT).with("ArgumentName", "x-amz-acl")
                    .with("ArgumentValue", header);
        }
        return c;
    }

    /**
     * The ACL of the headers for a resource owned by {@code ownerId} in a bucket owned by
     * {@code bucketOwnerId}; null when they ask for none.
     */
    static Acl fromHeaders(MultiMap headers, String ownerId, String bucketOwnerId) {
        CannedAcl canned = canned(headers.get("x-amz-acl"));
        List<Acl.Grant> grants = new ArrayList<>();
        for (String h : GRANT_HEADERS) {
            for (String value : headers.getAll(h)) {
                grants.addAll(AclDocuments.headerGrants(value, AclPermission.ofHeader(h)));
            }
        }
        if (canned != null && !grants.isEmpty()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "Specifying both Canned ACLs and Header Grants is not allowed");
        }
        if (canned != null) {
            return canned.acl(ownerId, bucketOwnerId);
        }
        return grants.isEmpty() ? null : new Acl(ownerId, grants);
    }

    /**
     * Checks a requested ACL against the bucket's settings and the known canonical ids, and
     * returns what to store: null for the default (owner-only, or ACLs disabled).
     */
    static byte[] toStore(Acl acl, BucketAccess bucket, Identities identities) {
        if (acl == null) {
            return null;
        }
        if (!bucket.aclsEnabled()) {
            if (!acl.onlyOwners(bucket.ownerId())) {
                throw new S3Exception(S3ErrorCode.ACCESS_CONTROL_LIST_NOT_SUPPORTED);
            }
            return null;
        }
        if (acl.isPublic() && bucket.block().blockPublicAcls()) {
            throw new S3Exception(S3ErrorCode.ACCESS_DENIED);
        }
        for (Acl.Grant g : acl.grants()) {
            if (g.grantee().type() == Grantee.Type.CANONICAL_USER && !identities.knows(g.grantee().id())) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid id").with("ArgumentName", "CanonicalUser/ID")
                        .with("ArgumentValue", g.grantee().id());
            }
        }
        return acl.equals(Acl.ownerOnly(acl.ownerId())) ? null : acl.encode();
    }

    /**
     * Who owns what {@code writer} writes to the bucket: the bucket owner under
     * BucketOwnerEnforced, and under BucketOwnerPreferred when the write gives it full control
     * (bucket-owner-full-control); the writer otherwise (an anonymous writer's object is the
     * bucket owner's).
     */
    static String objectOwner(BucketAccess bucket, Principal writer, String cannedHeader) {
        if (writer.isAnonymous() || !bucket.aclsEnabled()) {
            return bucket.ownerId();
        }
        if (bucket.ownership() == ObjectOwnership.BUCKET_OWNER_PREFERRED
                && cannedHeader != null && cannedHeader.trim().equals(CannedAcl.BUCKET_OWNER_FULL_CONTROL.header())) {
            return bucket.ownerId();
        }
        return writer.canonicalId();
    }

    /** Who owns a written object and the ACL to store with it (null: the default). */
    record ObjectAccess(String owner, byte[] acl) {
    }

    /** The owner and ACL of an object write (PutObject, CopyObject, CreateMultipartUpload, POST Object). */
    static ObjectAccess forObject(MultiMap headers, BucketAccess bucket, Principal writer, Identities identities) {
        String owner = objectOwner(bucket, writer, headers.get("x-amz-acl"));
        return new ObjectAccess(owner, toStore(fromHeaders(headers, owner, bucket.ownerId()), bucket, identities));
    }
}
