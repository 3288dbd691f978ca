package dev.cairn.s3.handler;

import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Conditional GET and HEAD as S3 evaluates them: If-Match and If-Unmodified-Since fail with 412;
 * If-None-Match and If-Modified-Since answer 304. If-Match that holds overrides a failing
 * If-Unmodified-Since; If-None-Match that fails overrides a holding If-Modified-Since.
 * Unparseable dates are ignored, as HTTP says.
 */
final class Preconditions {
    private Preconditions() {
    }

    static void check(S3Exchange ex, ObjectRecord object) {
        String etag = ObjectHeaders.quote(object.etag());
        long modifiedSeconds = object.modifiedMillis() / 1000;
        String ifMatch = ex.header("If-Match");
        String ifNoneMatch = ex.header("If-None-Match");
        Long ifModifiedSince = date(ex.header("If-Modified-Since"));
        Long ifUnmodifiedSince = date(ex.header("If-Unmodified-Since"));

        if (ifMatch != null) {
            if (!matches(ifMatch, etag)) {
                throw failed("If-Match");
            }
        } else if (ifUnmodifiedSince != null && modifiedSeconds > ifUnmodifiedSince) {
            throw failed("If-Unmodified-Since");
        }
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag)) {
                throw notModified(ex, object);
            }
        } else if (ifModifiedSince != null && modifiedSeconds <= ifModifiedSince) {
            throw notModified(ex, object);
        }
    }

    static boolean matches(String header, String quotedEtag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.equals("*")) {
                return true;
            }
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (!c.startsWith("\"")) {
                c = "\"" + c + "\"";
            }
            if (c.equals(quotedEtag)) {
                return true;
            }
        }
        return false;
    }

    private static S3Exception failed(String condition) {
        return new S3Exception(S3ErrorCode.PRECONDITION_FAILED).with("Condition", condition);
    }

    private static S3Exception notModified(S3Exchange ex, ObjectRecord object) {
        return new S3Exception(S3ErrorCode.NOT_MODIFIED)
                .header("ETag", ObjectHeaders.quote(object.etag()))
                .header("Last-Modified", S3Exchange.httpDate(object.modifiedMillis()));
    }

    /** An HTTP date in seconds, or null when absent or unparseable. */
    static Long date(String header) {
        if (header == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
