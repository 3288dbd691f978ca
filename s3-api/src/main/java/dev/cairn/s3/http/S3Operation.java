package dev.cairn.s3.http;

/**
 * Every S3 operation the router recognises, with its AWS name. Operations Cairn does not
 * implement are recognised too, so they answer NotImplemented naming the operation instead of
 * falling through to a wrong handler.
 */
public enum S3Operation {
    LIST_BUCKETS("ListBuckets"),
    CREATE_BUCKET("CreateBucket"),
    HEAD_BUCKET("HeadBucket"),
    DELETE_BUCKET("DeleteBucket"),
    GET_BUCKET_LOCATION("GetBucketLocation"),
    GET_BUCKET_VERSIONING("GetBucketVersioning"),
    LIST_OBJECTS("ListObjects"),
    LIST_OBJECTS_V2("ListObjectsV2"),
    LIST_MULTIPART_UPLOADS("ListMultipartUploads"),
    DELETE_OBJECTS("DeleteObjects"),
    PUT_BUCKET_CORS("PutBucketCors"),
    GET_BUCKET_CORS("GetBucketCors"),
    DELETE_BUCKET_CORS("DeleteBucketCors"),
    /** A CORS preflight ({@code OPTIONS}): anonymous, answered from the bucket's CORS rules. */
    PREFLIGHT("PreflightRequest"),
    /** A browser form upload: authenticated by its signed policy, not by SigV4 headers. */
    POST_OBJECT("PostObject"),
    LIST_OBJECT_VERSIONS("ListObjectVersions"),
    GET_BUCKET_TAGGING("GetBucketTagging"),
    PUT_BUCKET_TAGGING("PutBucketTagging"),
    DELETE_BUCKET_TAGGING("DeleteBucketTagging"),
    GET_BUCKET_ACL("GetBucketAcl"),
    PUT_BUCKET_ACL("PutBucketAcl"),

    PUT_OBJECT("PutObject"),
    GET_OBJECT("GetObject"),
    HEAD_OBJECT("HeadObject"),
    DELETE_OBJECT("DeleteObject"),
    COPY_OBJECT("CopyObject"),
    GET_OBJECT_TAGGING("GetObjectTagging"),
    PUT_OBJECT_TAGGING("PutObjectTagging"),
    DELETE_OBJECT_TAGGING("DeleteObjectTagging"),
    GET_OBJECT_ACL("GetObjectAcl"),
    PUT_OBJECT_ACL("PutObjectAcl"),
    GET_OBJECT_ATTRIBUTES("GetObjectAttributes"),

    CREATE_MULTIPART_UPLOAD("CreateMultipartUpload"),
    UPLOAD_PART("UploadPart"),
    UPLOAD_PART_COPY("UploadPartCopy"),
    COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload"),
    ABORT_MULTIPART_UPLOAD("AbortMultipartUpload"),
    LIST_PARTS("ListParts"),

    /** Recognised but not implemented: answered with 501 NotImplemented naming {@link ParsedRequest#unsupported()}. */
    UNSUPPORTED("Unsupported");

    private final String awsName;

    S3Operation(String awsName) {
        this.awsName = awsName;
    }

    public String awsName() {
        return awsName;
    }

    /**
     * Whether the operation is not authenticated by SigV4 headers or query: a preflight is
     * anonymous, a form upload carries its own signed policy.
     */
    public boolean authenticatesItself() {
        return this == PREFLIGHT || this == POST_OBJECT;
    }

    /** Whether the operation reads a request body that must be streamed (never buffered whole). */
    public boolean streamsBody() {
        return this == PUT_OBJECT || this == UPLOAD_PART || this == POST_OBJECT;
    }
}
