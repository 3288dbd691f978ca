package dev.cairn.s3.handler;

import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.QueryString;
import dev.cairn.s3.http.S3Exchange;


/**
 * The x-amz-copy-source of a copy request ("bucket/key" or "/bucket/key", URL-encoded, with an
 * optional "?versionId=") and its x-amz-copy-source-if-* conditions, which fail with 412.
 */
record CopySource(String bucket, String key) {

    static CopySource parse(String header) {
        String h = header.trim();
        String version = null;
        int q = h.indexOf('?');
        if (q >= 0) {
            String query = h.substring(q + 1);
            h = h.substring(0, q);
            if (query.startsWith("versionId=")) {
                version = query.substring("versionId=".length());
            }
        }
        String decoded = QueryString.decode(h, false);
        if (decoded.startsWith("/")) {
            decoded = decoded.substring(1);
        }
        int slash = decoded.indexOf('/');
        if (slash <= 0 || slash == decoded.length() - 1) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Copy Source must mention the source bucket and key: "
                    + "sourcebucket/sourcekey").with("ArgumentName", "x-amz-copy-source").with("ArgumentValue", header);
        }
        if (version != null && !version.equals("null")) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_VERSION).with("VersionId", version);
        }
        return new CopySource(decoded.substring(0, slash), decoded.substring(slash + 1));
    }

    /** Applies the x-amz-copy-source-if-* headers to the source object. */
    static void checkConditions(S3Exchange ex, ObjectRecord source) {
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
