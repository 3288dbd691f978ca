package dev.cairn.s3.iam.acl;

import java.util.Set;

/**
 * The permissions an ACL grants and the actions each allows (S3's mapping of ACL permissions to
 * access policy permissions): on a bucket READ lists it, WRITE creates and deletes its objects;
 * on an object READ reads it; READ_ACP and WRITE_ACP read and write the ACL itself.
 */
public enum AclPermission {
    READ(Set.of("s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"),
            Set.of("s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent")),
    WRITE(Set.of("s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"), Set.of()),
    READ_ACP(Set.of("s3:GetBucketAcl"), Set.of("s3:GetObjectAcl", "s3:GetObjectVersionAcl")),
    WRITE_ACP(Set.of("s3:PutBucketAcl"), Set.of("s3:PutObjectAcl", "s3:PutObjectVersionAcl")),
    FULL_CONTROL(Set.of(), Set.of());

    private final Set<String> bucketActions;
    private final Set<String> objectActions;

    AclPermission(Set<String> bucketActions, Set<String> objectActions) {
        this.bucketActions = bucketActions;
        this.objectActions = objectActions;
    }

    /** Whether this permission in a bucket's ACL allows {@code action} (on the bucket, or on objects in it for WRITE). */
    public boolean allowsOnBucket(String action) {
        if (this == FULL_CONTROL) {
            return READ.allowsOnBucket(action) || WRITE.allowsOnBucket(action) || READ_ACP.allowsOnBucket(action)
                    || WRITE_ACP.allowsOnBucket(action);
        }
        return bucketActions.contains(action);
    }

    /** Whether this permission in an object's ACL allows {@code action} on the object. */
    public boolean allowsOnObject(String action) {
        if (this == FULL_CONTROL) {
            return READ.allowsOnObject(action) || READ_ACP.allowsOnObject(action) || WRITE_ACP.allowsOnObject(action);
        }
        return objectActions.contains(action);
    }

    /** The permission of an x-amz-grant-* header name, or null. */
    public static AclPermission ofHeader(String header) {
        return switch (header) {
            case "x-amz-grant-read" -> READ;
            case "x-amz-grant-write" -> WRITE;
            case "x-amz-grant-read-acp" -> READ_ACP;
            case "x-amz-grant-write-acp" -> WRITE_ACP;
            case "x-amz-grant-full-control" -> FULL_CONTROL;
            default -> null;
        };
    }
}
