package dev.cairn.s3.iam.acl;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

import java.util.ArrayList;
import java.util.List;

/** S3's canned ACLs ({@code x-amz-acl}) and the grants each stands for. */
public enum CannedAcl {
    PRIVATE("private"),
    PUBLIC_READ("public-read"),
    PUBLIC_READ_WRITE("public-read-write"),
    AUTHENTICATED_READ("authenticated-read"),
    BUCKET_OWNER_READ("bucket-owner-read"),
    BUCKET_OWNER_FULL_CONTROL("bucket-owner-full-control"),
    LOG_DELIVERY_WRITE("log-delivery-write"),
    AWS_EXEC_READ("aws-exec-read");

    private final String header;

    CannedAcl(String header) {
        this.header = header;
    }

    public String header() {
        return header;
    }

    /** The canned ACL named by an x-amz-acl value, or null. */
    public static CannedAcl named(String value) {
        for (CannedAcl c : values()) {
            if (c.header.equals(value)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The ACL it gives a resource owned by {@code ownerId} in a bucket owned by
     * {@code bucketOwnerId} (the same id for a bucket). aws-exec-read grants to Amazon EC2, which
     * Cairn does not have: 501 NotImplemented rather than a grant that means nothing.
     */
    public Acl acl(String ownerId, String bucketOwnerId) {
        if (this == AWS_EXEC_READ) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "The canned ACL aws-exec-read grants to Amazon EC2, which Cairn does not have");
        }
        List<Acl.Grant> grants = new ArrayList<>(Acl.ownerOnly(ownerId).grants());
        switch (this) {
            case PUBLIC_READ -> grants.add(new Acl.Grant(Grantee.group(Grantee.ALL_USERS), AclPermission.READ));
            case PUBLIC_READ_WRITE -> {
                grants.add(new Acl.Grant(Grantee.group(Grantee.ALL_USERS), AclPermission.READ));
                grants.add(new Acl.Grant(Grantee.group(Grantee.ALL_USERS), AclPermission.WRITE));
            }
            case AUTHENTICATED_READ -> grants.add(new Acl.Grant(Grantee.group(Grantee.AUTHENTICATED_USERS),
                    AclPermission.READ));
            case BUCKET_OWNER_READ -> {
                if (!bucketOwnerId.equals(ownerId)) {
                    grants.add(new Acl.Grant(Grantee.user(bucketOwnerId), AclPermission.READ));
                }
            }
            case BUCKET_OWNER_FULL_CONTROL -> {
                if (!bucketOwnerId.equals(ownerId)) {
                    grants.add(new Acl.Grant(Grantee.user(bucketOwnerId), AclPermission.FULL_CONTROL));
                }
            }
            case LOG_DELIVERY_WRITE -> {
                grants.add(new Acl.Grant(Grantee.group(Grantee.LOG_DELIVERY), AclPermission.WRITE));
                grants.add(new Acl.Grant(Grantee.group(Grantee.LOG_DELIVERY), AclPermission.READ_ACP));
            }
            default -> {
                // private: the owner only
            }
        }
        return new Acl(ownerId, grants);
    }
}
