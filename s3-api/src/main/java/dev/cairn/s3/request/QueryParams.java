package dev.cairn.s3.request;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Typed readers of S3 parameters, failing with the error and wording AWS answers a bad value with. */
public final class QueryParams {
    /** AWS: a listing page holds at most 1,000 entries. */
    public static final int MAX_KEYS = 1000;
    /** AWS: a ListBuckets page holds 1 to 10,000 buckets, 10,000 when the request names no max-buckets. */
    public static final int MAX_BUCKETS = 10_000;
    /** AWS: part numbers run from 1 to 10,000. */
    public static final int MAX_PARTS = 10_000;

    private QueryParams() {
    }

    /** A page size (max-keys, max-uploads, max-parts...): 1,000 when absent, at most 1,000. */
    public static int limit(String value, String name) {
        if (value == null || value.isEmpty()) {
            return MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return Math.min(n, MAX_KEYS);
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Provided " + name + " not an integer or within integer range")
                .with("ArgumentName", name).with("ArgumentValue", value);
    }

    /** ListBuckets' max-buckets: null when absent, else 1 to 10,000. */
    static Integer maxBuckets(String value) {
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_BUCKETS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                "Argument max-buckets must be an integer between 1 and " + MAX_BUCKETS + ".")
                .with("ArgumentName", "max-buckets").with("ArgumentValue", value);
    }

    /** encoding-type: true for "url", false when absent, InvalidArgument otherwise. */
    static boolean urlEncoding(String value) {
        if (value == null) {
            return false;
        }
        if (!value.equals("url")) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid Encoding Method specified in Request")
                    .with("ArgumentName", "encoding-type").with("ArgumentValue", value);
        }
        return true;
    }

    /** A part number, 1 to 10,000. */
    public static int partNumber(String value) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n >= 1 && n <= MAX_PARTS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive")
                .with("ArgumentName", "partNumber").with("ArgumentValue", value);
    }

    /** A part-number marker: 0 when absent, else a non-negative integer. */
    public static int partNumberMarker(String value, String name) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid " + name)
                .with("ArgumentName", name).with("ArgumentValue", value);
    }

    /** The opaque continuation token Cairn gives out for a listing that goes on after {@code key}. */
    public static String encodeToken(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a continuation token goes on after; InvalidArgument when it is not one of Cairn's. */
    public static String decodeToken(String token) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(token);
            return new String(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The continuation token provided is incorrect")
                    .with("ArgumentName", "continuation-token");
        }
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
