package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.request.QueryString;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.xml.TaggingDocuments.Tag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * AWS's rules for tag sets: keys of 1..128 and values of 0..256 Unicode characters made of
 * letters, digits, white space and {@code + - = . _ : / @}; keys unique and not starting with
 * {@code aws:}; at most 10 tags on an object, 50 on a bucket.
 */
final class TagSets {
    static final int MAX_OBJECT_TAGS = 10;
    static final int MAX_BUCKET_TAGS = 50;
    private static final int MAX_KEY = 128;
    private static final int MAX_VALUE = 256;
    private static final Pattern ALLOWED = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private TagSets() {
    }

    /** The x-amz-tagging header (a URL-encoded query string) as an object tag set; empty when absent. */
    static Map<String, String> fromHeader(S3Exchange ex) {
        String header = ex.header("x-amz-tagging");
        if (header == null || header.isEmpty()) {
            return Map.of();
        }
        List<Tag> tags = new ArrayList<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String pair : header.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decodeHeaderPart(eq < 0 ? pair : pair.substring(0, eq), header);
            String value = decodeHeaderPart(eq < 0 ? "" : pair.substring(eq + 1), header);
            if (!keys.add(key)) {
                throw badHeader(header);
            }
            tags.add(new Tag(key, value));
        }
        return objectTags(tags);
    }

    private static String decodeHeaderPart(String raw, String header) {
        try {
            return QueryString.decode(raw, true);
        } catch (S3Exception e) {
            throw badHeader(header);
        }
    }

    /** AWS's answer to an x-amz-tagging header that is not a query string of unique keys. */
    private static S3Exception badHeader(String header) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The header 'x-amz-tagging' shall be encoded as UTF-8 "
                + "then URLEncoded URL query parameters without tag name duplicates.")
                .with("ArgumentName", "x-amz-tagging").with("ArgumentValue", header);
    }

    /** Checks an object's tags: InvalidTag (AWS's documented code) over 10 tags or for a bad tag. */
    static Map<String, String> objectTags(List<Tag> tags) {
        if (tags.size() > MAX_OBJECT_TAGS) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "Object tags cannot be greater than " + MAX_OBJECT_TAGS);
        }
        return check(tags);
    }

    /** Checks a bucket's tags: InvalidTag over 50 tags or for a bad tag. */
    static Map<String, String> bucketTags(List<Tag> tags) {
        if (tags.size() > MAX_BUCKET_TAGS) {
            throw new S3Exception(S3ErrorCode.INVALID_TAG, "Bucket tag count cannot be greater than " + MAX_BUCKET_TAGS);
        }
        return check(tags);
    }

    private static Map<String, String> check(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Tag t : tags) {
            if (t.key().isEmpty() || !ALLOWED.matcher(t.key()).matches()) {
                throw invalid("The TagKey you have provided is invalid", t);
            }
            if (t.key().codePointCount(0, t.key().length()) > MAX_KEY) {
                throw invalid("The TagKey you have provided is too long, max " + MAX_KEY, t);
            }
            if (!ALLOWED.matcher(t.value()).matches()) {
                throw invalid("The TagValue you have provided is invalid", t);
            }
            if (t.value().codePointCount(0, t.value().length()) > MAX_VALUE) {
                throw invalid("The TagValue you have provided is too long, max " + MAX_VALUE, t);
            }
            if (t.key().startsWith("aws:")) {
                throw invalid("Your TagKey cannot be prefixed with aws:", t);
            }
            if (out.put(t.key(), t.value()) != null) {
                throw invalid("Cannot provide multiple Tags with the same key", t);
            }
        }
        return out;
    }

    private static S3Exception invalid(String message, Tag t) {
        return new S3Exception(S3ErrorCode.INVALID_TAG, message).with("TagKey", t.key()).with("TagValue", t.value());
    }
}
