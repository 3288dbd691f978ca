package dev.cairn.s3.request;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

import java.nio.charset.StandardCharsets;

/** An object key: any text of at most 1,024 UTF-8 bytes (KeyTooLongError above). */
public record ObjectKey(String value) {
    public static final int MAX_BYTES = 1024;

    public ObjectKey {
        if (value == null) {
            throw new IllegalArgumentException("no key");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new S3Exception(S3ErrorCode.KEY_TOO_LONG)
                    .with("Size", Integer.toString(bytes))
                    .with("MaxSizeAllowed", Integer.toString(MAX_BYTES));
        }
    }

    public static ObjectKey of(String key) {
        return new ObjectKey(key);
    }

    /** The key as an object key, or null when it is none (absent or too long). */
    public static ObjectKey orNull(String key) {
        return key == null || key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES ? null : new ObjectKey(key);
    }

    /** The object's resource ARN in {@code bucket}, {@code arn:aws:s3:::bucket/key}. */
    public String arn(BucketName bucket) {
        return bucket.arn() + "/" + value;
    }

    @Override
    public String toString() {
        return value;
    }
}
