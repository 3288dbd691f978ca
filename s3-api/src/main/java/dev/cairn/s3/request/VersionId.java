package dev.cairn.s3.request;

import java.util.concurrent.ThreadLocalRandom;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

/**
 * A version id a request names: {@code "null"} (the null version: every object of a bucket that
 * was never versioned, and what a suspended bucket writes) or an id Cairn gave, 32 lowercase hex
 * digits. Anything else is refused as AWS refuses a malformed id (400 InvalidArgument "Invalid
 * version id specified"); a well-formed id that names no version is NoSuchVersion where it is used.
 */
public record VersionId(String value) {
    /** The version id of the null version. */
    public static final String NULL = "null";
    private static final int LENGTH = 32;

    /**
     * The version id of parameter {@code argumentName}, or null when {@code value} is null.
     */
    public static VersionId parse(String value, String argumentName) {
        if (value == null) {
            return null;
        }
        if (!NULL.equals(value) && !wellFormed(value)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified")
                    .with("ArgumentName", argumentName).with("ArgumentValue", value);
        }
        return new VersionId(value);
    }

    private static boolean wellFormed(String id) {
        if (id.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A new version id for a write made at {@code millis}: 12 hex digits of the time, then 20
     * random ones (the order of a key's versions is kept by the metadata, not by the id).
     */
    public static String fresh(long millis) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("%012x%08x%012x", millis & 0xFFFF_FFFF_FFFFL, r.nextInt(), r.nextLong() & 0xFFFF_FFFF_FFFFL);
    }

    @Override
    public String toString() {
        return value;
    }
}
