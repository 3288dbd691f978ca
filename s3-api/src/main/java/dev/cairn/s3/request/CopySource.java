package dev.cairn.s3.request;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

/**
 * The x-amz-copy-source of a copy request: "bucket/key" or "/bucket/key", URL-encoded, with an
 * optional "?versionId=" (a malformed one is InvalidArgument).
 */
public record CopySource(BucketName bucket, ObjectKey key, VersionId versionId) {

    public static CopySource parse(String header) {
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
        return new CopySource(BucketName.of(decoded.substring(0, slash)), ObjectKey.of(decoded.substring(slash + 1)),
                VersionId.parse(version, "x-amz-copy-source"));
    }

    /** What reading the source needs: s3:GetObject (s3:GetObjectVersion when a version is named). */
    public Permission permission() {
        return new Permission(versionId == null ? "s3:GetObject" : "s3:GetObjectVersion", bucket, key);
    }
}
