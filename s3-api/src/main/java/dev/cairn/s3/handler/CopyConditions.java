package dev.cairn.s3.handler;

import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;

/** The x-amz-copy-source-if-* conditions of a copy, applied to its source object; each fails with 412. */
final class CopyConditions {
    private CopyConditions() {
    }

    static void check(S3Exchange ex, ObjectRecord source) {
        String etag = ObjectHeaders.quote(source.etag());
        long modified = source.modifiedMillis() / 1000;
        String ifMatch = ex.header("x-amz-copy-source-if-match");
        String ifNoneMatch = ex.header("x-amz-copy-source-if-none-match");
        Long unmodifiedSince = Preconditions.date(ex.header("x-amz-copy-source-if-unmodified-since"));
        Long modifiedSince = Preconditions.date(ex.header("x-amz-copy-source-if-modified-since"));
        if (ifMatch != null && !Preconditions.matches(ifMatch, etag)) {
            throw failed("x-amz-copy-source-If-Match");
        }
        if (ifMatch == null && unmodifiedSince != null && modified > unmodifiedSince) {
            throw failed("x-amz-copy-source-If-Unmodified-Since");
        }
        if (ifNoneMatch != null && Preconditions.matches(ifNoneMatch, etag)) {
            throw failed("x-amz-copy-source-If-None-Match");
        }
        if (ifNoneMatch == null && modifiedSince != null && modified <= modifiedSince) {
            throw failed("x-amz-copy-source-If-Modified-Since");
        }
    }

    private static S3Exception failed(String condition) {
        return new S3Exception(S3ErrorCode.PRECONDITION_FAILED).with("Condition", condition);
    }
}
