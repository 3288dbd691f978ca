package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;

/**
 * Cairn's buckets are never versioned, so every object is its "null" version: {@code versionId=null}
 * names the current object and any other version id is refused as AWS refuses it on an
 * unversioned bucket (400 InvalidArgument "Invalid version id specified").
 */
public final class VersionIds {
    /** The version id of every object in an unversioned bucket. */
    public static final String NULL = "null";

    private VersionIds() {
    }

    static void check(S3Exchange ex) {
        check(ex.param("versionId"), "versionId");
    }

    static void check(String versionId, String argumentName) {
        if (versionId != null && !NULL.equals(versionId)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified")
                    .with("ArgumentName", argumentName).with("ArgumentValue", versionId);
        }
    }
}
