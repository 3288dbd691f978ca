package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

/**
 * A single HTTP byte range resolved against an object size. As AWS does, a Range header that
 * does not parse (or asks for several ranges) is ignored and the whole object is sent; a range
 * that parses but cannot be satisfied is 416 InvalidRange with {@code Content-Range: bytes *}{@code /size}.
 */
public record ByteRange(long start, long length) {

    /** The range to send, or null for the whole object. */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (!h.startsWith("bytes=")) {
            return null;
        }
        String spec = h.substring("bytes=".length()).trim();
        if (spec.contains(",")) {
            return null;
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty()) {
                    return null;
                }
                long suffix = Long.parseLong(b);
                if (suffix < 0) {
                    return null;
                }
                if (suffix == 0 || size == 0) {
                    throw unsatisfiable(size);
                }
                long n = Math.min(suffix, size);
                return new ByteRange(size - n, n);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return null;
            }
            if (first >= size) {
                throw unsatisfiable(size);
            }
            long end = Math.min(last, size - 1);
            return new ByteRange(first, end - first + 1);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public String contentRange(long size) {
        return "bytes " + start + "-" + (start + length - 1) + "/" + size;
    }

    private static S3Exception unsatisfiable(long size) {
        return new S3Exception(S3ErrorCode.INVALID_RANGE)
                .with("RangeRequested", "")
                .with("ActualObjectSize", Long.toString(size))
                .header("Content-Range", "bytes */" + size);
    }
}
