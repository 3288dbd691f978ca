package dev.cairn.s3.request;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

import java.util.regex.Pattern;

/**
 * A bucket name a request names. {@link #of} takes any name an existing bucket may have (looser
 * than the rules for new buckets, so that a bad name simply is not found, but never anything that
 * could be confused with a path); {@link #forNewBucket} applies AWS's general-purpose naming rules.
 */
public record BucketName(String value) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    public BucketName {
        if (value == null || value.isEmpty() || value.length() > 255 || value.indexOf('/') >= 0) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME).with("BucketName", value);
        }
    }

    /** The name of a bucket that should exist; InvalidBucketName when no bucket could have it. */
    public static BucketName of(String name) {
        return new BucketName(name);
    }

    /** The name as a bucket name, or null when no bucket could have it. */
    public static BucketName orNull(String name) {
        return name == null || name.isEmpty() || name.length() > 255 || name.indexOf('/') >= 0 ? null
                : new BucketName(name);
    }

    /** The name of a bucket to create; InvalidBucketName unless it follows AWS's rules for new buckets. */
    public static BucketName forNewBucket(String name) {
        if (!isValidNew(name)) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME).with("BucketName", name);
        }
        return new BucketName(name);
    }

    public static boolean isValidNew(String name) {
        return name != null
                && BUCKET.matcher(name).matches()
                && !name.contains("..")
                && !name.contains(".-")
                && !name.contains("-.")
                && !IPV4.matcher(name).matches()
                && !name.startsWith("xn--")
                && !name.startsWith("sthree-")
                && !name.startsWith("amzn-s3-demo-")
                && !name.endsWith("-s3alias")
                && !name.endsWith("--ol-s3")
                && !name.endsWith(".mrap")
                && !name.endsWith("--x-s3")
                && !name.endsWith("--table-s3");
    }

    /** The bucket's resource ARN, {@code arn:aws:s3:::name}. */
    public String arn() {
        return "arn:aws:s3:::" + value;
    }

    @Override
    public String toString() {
        return value;
    }
}
