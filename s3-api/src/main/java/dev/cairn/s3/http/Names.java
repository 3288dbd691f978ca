package dev.cairn.s3.http;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Validation of bucket names (AWS general-purpose bucket naming rules) and object keys. */
public final class Names {
    public static final int MAX_KEY_BYTES = 1024;
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private Names() {
    }

    /** Throws InvalidBucketName unless {@code name} follows AWS's rules for new buckets. */
    public static void checkNewBucket(String name) {
        if (!isValidBucket(name)) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME).with("BucketName", name);
        }
    }

    public static boolean isValidBucket(String name) {
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

    /**
     * Names an existing bucket may have: looser than the rules for new buckets (so that a bad
     * name simply is not found), but never anything that could be confused with a path.
     */
    public static void checkExistingBucket(String name) {
        if (name.isEmpty() || name.length() > 255 || name.indexOf('/') >= 0) {
            throw new S3Exception(S3ErrorCode.INVALID_BUCKET_NAME).with("BucketName", name);
        }
    }

    /** Throws KeyTooLongError for keys over 1,024 UTF-8 bytes. */
    public static void checkKey(String key) {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG)
                    .with("Size", Integer.toString(key.getBytes(StandardCharsets.UTF_8).length))
                    .with("MaxSizeAllowed", Integer.toString(MAX_KEY_BYTES));
        }
    }
}
