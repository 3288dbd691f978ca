package dev.cairn.s3.request;

/**
 * Every kind of S3 request the parser recognises, with its AWS operation name and the IAM action
 * it needs (as the S3 documentation's "actions, resources and condition keys" page lists it).
 * Operations Cairn does not implement are recognised too, so they answer NotImplemented naming
 * the operation instead of falling through to a wrong handler. The closed set of names is also
 * what metrics tag requests with.
 */
public enum S3Operation {
    LIST_BUCKETS("ListBuckets", "s3:ListAllMyBuckets"),
    CREATE_BUCKET("CreateBucket", "s3:CreateBucket"),
    HEAD_BUCKET("HeadBucket", "s3:ListBucket"),
    DELETE_BUCKET("DeleteBucket", "s3:DeleteBucket"),
    GET_BUCKET_LOCATION("GetBucketLocation", "s3:GetBucketLocation"),
    GET_BUCKET_VERSIONING("GetBucketVersioning", "s3:GetBucketVersioning"),
    PUT_BUCKET_VERSIONING("PutBucketVersioning", "s3:PutBucketVersioning"),
    LIST_OBJECTS("ListObjects", "s3:ListBucket"),
    LIST_OBJECTS_V2("ListObjectsV2", "s3:ListBucket"),
    LIST_MULTIPART_UPLOADS("ListMultipartUploads", "s3:ListBucketMultipartUploads"),
    /** Authorized key by key ({@code s3:DeleteObject} on each), as S3 does. */
    DELETE_OBJECTS("DeleteObjects", "s3:DeleteObject"),
    PUT_BUCKET_CORS("PutBucketCors", "s3:PutBucketCORS"),
    GET_BUCKET_CORS("GetBucketCors", "s3:GetBucketCORS"),
    DELETE_BUCKET_CORS("DeleteBucketCors", "s3:PutBucketCORS"),
    PUT_BUCKET_ENCRYPTION("PutBucketEncryption", "s3:PutEncryptionConfiguration"),
    GET_BUCKET_ENCRYPTION("GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    DELETE_BUCKET_ENCRYPTION("DeleteBucketEncryption", "s3:PutEncryptionConfiguration"),
    PUT_BUCKET_LIFECYCLE("PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
    GET_BUCKET_LIFECYCLE("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
    DELETE_BUCKET_LIFECYCLE("DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"),
    /** A CORS preflight ({@code OPTIONS}): anonymous, answered from the bucket's CORS rules. */
    PREFLIGHT("PreflightRequest", null),
    /** A browser form upload: authenticated by its signed policy, not by SigV4 headers. */
    POST_OBJECT("PostObject", "s3:PutObject"),
    LIST_OBJECT_VERSIONS("ListObjectVersions", "s3:ListBucketVersions"),
    GET_BUCKET_TAGGING("GetBucketTagging", "s3:GetBucketTagging"),
    PUT_BUCKET_TAGGING("PutBucketTagging", "s3:PutBucketTagging"),
    DELETE_BUCKET_TAGGING("DeleteBucketTagging", "s3:PutBucketTagging"),
    GET_BUCKET_ACL("GetBucketAcl", "s3:GetBucketAcl"),
    PUT_BUCKET_ACL("PutBucketAcl", "s3:PutBucketAcl"),
    GET_BUCKET_POLICY("GetBucketPolicy", "s3:GetBucketPolicy"),
    PUT_BUCKET_POLICY("PutBucketPolicy", "s3:PutBucketPolicy"),
    DELETE_BUCKET_POLICY("DeleteBucketPolicy", "s3:DeleteBucketPolicy"),
    GET_BUCKET_POLICY_STATUS("GetBucketPolicyStatus", "s3:GetBucketPolicyStatus"),
    GET_PUBLIC_ACCESS_BLOCK("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    PUT_PUBLIC_ACCESS_BLOCK("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
    DELETE_PUBLIC_ACCESS_BLOCK("DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
    GET_BUCKET_OWNERSHIP_CONTROLS("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls"),
    PUT_BUCKET_OWNERSHIP_CONTROLS("PutBucketOwnershipControls", "s3:PutBucketOwnershipControls"),
    DELETE_BUCKET_OWNERSHIP_CONTROLS("DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls"),

    PUT_OBJECT("PutObject", "s3:PutObject"),
    GET_OBJECT("GetObject", "s3:GetObject"),
    HEAD_OBJECT("HeadObject", "s3:GetObject"),
    DELETE_OBJECT("DeleteObject", "s3:DeleteObject"),
    /** Also needs {@code s3:GetObject} on the source. */
    COPY_OBJECT("CopyObject", "s3:PutObject"),
    GET_OBJECT_TAGGING("GetObjectTagging", "s3:GetObjectTagging"),
    PUT_OBJECT_TAGGING("PutObjectTagging", "s3:PutObjectTagging"),
    DELETE_OBJECT_TAGGING("DeleteObjectTagging", "s3:DeleteObjectTagging"),
    GET_OBJECT_ACL("GetObjectAcl", "s3:GetObjectAcl"),
    PUT_OBJECT_ACL("PutObjectAcl", "s3:PutObjectAcl"),
    GET_OBJECT_ATTRIBUTES("GetObjectAttributes", "s3:GetObjectAttributes"),

    CREATE_MULTIPART_UPLOAD("CreateMultipartUpload", "s3:PutObject"),
    UPLOAD_PART("UploadPart", "s3:PutObject"),
    /** Also needs {@code s3:GetObject} on the source. */
    UPLOAD_PART_COPY("UploadPartCopy", "s3:PutObject"),
    COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload", "s3:PutObject"),
    ABORT_MULTIPART_UPLOAD("AbortMultipartUpload", "s3:AbortMultipartUpload"),
    LIST_PARTS("ListParts", "s3:ListMultipartUploadParts"),

    GET_OBJECT_LOCK_CONFIGURATION("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
    PUT_OBJECT_LOCK_CONFIGURATION("PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"),
    GET_OBJECT_RETENTION("GetObjectRetention", "s3:GetObjectRetention"),
    PUT_OBJECT_RETENTION("PutObjectRetention", "s3:PutObjectRetention"),
    GET_OBJECT_LEGAL_HOLD("GetObjectLegalHold", "s3:GetObjectLegalHold"),
    PUT_OBJECT_LEGAL_HOLD("PutObjectLegalHold", "s3:PutObjectLegalHold"),

    /** Recognised but not implemented: answered with 501 NotImplemented naming the operation. */
    UNSUPPORTED("Unsupported", null);

    private final String awsName;
    private final String action;

    S3Operation(String awsName, String action) {
        this.awsName = awsName;
        this.action = action;
    }

    public String awsName() {
        return awsName;
    }

    /** The IAM action the operation needs in general (null: not authorized by policy). */
    public String action() {
        return action;
    }

    /**
     * Whether the operation is not authenticated by SigV4 headers or query: a preflight is
     * anonymous, a form upload carries its own signed policy.
     */
    public boolean authenticatesItself() {
        return this == PREFLIGHT || this == POST_OBJECT;
    }
}
