package dev.cairn.s3.handler;

import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * The preconditions a write or delete carries, as {@link WriteCondition}s that metadata checks
 * atomically with the change; none is ever ignored.
 * <ul>
 *   <li>PutObject, CopyObject, CompleteMultipartUpload: {@code If-Match} (ETags or *; no object is
 *       404 NoSuchKey, as AWS answers) and {@code If-None-Match} ({@code *}: the key must not
 *       exist; entity tags: the current ETag must be none of them, as RFC 7232 says);
 *   <li>DeleteObject: {@code If-Match}, {@code x-amz-if-match-size} and
 *       {@code x-amz-if-match-last-modified-time} (whole seconds); a size or time condition on a
 *       key that does not exist holds, as AWS documents;
 *   <li>DeleteObjects: each object's {@code ETag}, {@code Size} and {@code LastModifiedTime}.
 * </ul>
 */
final class WriteConditions {
    private WriteConditions() {
    }

    static WriteCondition ofWrite(S3Exchange ex) {
        WriteCondition c = WriteCondition.NONE;
        String ifMatch = ex.header("If-Match");
        if (ifMatch != null) {
            c = c.andEtagIn(etags(ifMatch));
        }
        String ifNoneMatch = ex.header("If-None-Match");
        if (ifNoneMatch != null) {
            List<String> tags = etags(ifNoneMatch);
            if (tags.contains("*")) {
                c = c.andMustNotExist();
            }
            c = c.andEtagNotIn(tags.stream().filter(t -> !t.equals("*")).toList());
        }
        return c;
    }

    static WriteCondition ofDelete(S3Exchange ex) {
        return of(ex.header("If-Match"), ex.header("x-amz-if-match-size"), "x-amz-if-match-size",
                time(ex.header("x-amz-if-match-last-modified-time"), "x-amz-if-match-last-modified-time"));
    }

    /** The conditions of one DeleteObjects entry: ETag, Size and LastModifiedTime, each optional. */
    static WriteCondition ofDeleteEntry(String etag, String size, String lastModifiedTime) {
        return of(etag, size, "Size", time(lastModifiedTime, "LastModifiedTime"));
    }

    private static WriteCondition of(String etag, String size, String sizeName, Long modifiedSecond) {
        WriteCondition c = WriteCondition.NONE;
        if (etag != null) {
            c = c.andEtagIn(etags(etag));
        }
        if (size != null) {
            c = c.andSize(size(size, sizeName));
        }
        if (modifiedSecond != null) {
            c = c.andModifiedSecond(modifiedSecond);
        }
        return c;
    }

    /** A list of entity tags (quoted or not, weak or strong) or "*". */
    static List<String> etags(String header) {
        return Arrays.stream(header.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    private static long size(String value, String name) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw invalid(name, value);
    }

    /** A timestamp as the SDKs send it (an HTTP date; ISO 8601 accepted too), in epoch seconds. */
    private static Long time(String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value.trim()).getEpochSecond();
            } catch (DateTimeParseException notIso) {
                throw invalid(name, value);
            }
        }
    }

    private static S3Exception invalid(String name, String value) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid " + name + ": " + value)
                .with("ArgumentName", name).with("ArgumentValue", value);
    }
}
