package dev.cairn.s3.request;

/**
 * One thing a request needs permission for: an IAM action on a bucket (and object), or on no
 * bucket at all (ListBuckets, whose resource is every bucket).
 */
public record Permission(String action, BucketName bucket, ObjectKey key) {
    /** The resource of ListAllMyBuckets. */
    public static final String ALL_BUCKETS = "arn:aws:s3:::*";

    /** The resource ARN: {@code arn:aws:s3:::bucket}, {@code arn:aws:s3:::bucket/key} or {@link #ALL_BUCKETS}. */
    public String resource() {
        if (bucket == null) {
            return ALL_BUCKETS;
        }
        return key == null ? bucket.arn() : key.arn(bucket);
    }
}
