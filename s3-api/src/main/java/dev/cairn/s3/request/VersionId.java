package dev.cairn.s3.request;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

/**
 * A version id a request names. Cairn's buckets are never versioned, so every object is its
 * "null" version: {@code versionId=null} names the current object and any other version id is
 * refused as AWS refuses it on an unversioned bucket (400 InvalidArgument "Invalid version id
 * specified").
 */
public record VersionId(String value) {
    /** The version id of every object in an unversioned bucket. */
    public static final String NULL = "null";

    /**
     * The version id of parameter {@code argumentName}, or null when {@code value} is null.
     */
    public static VersionId parse(String value, String argumentName) {
        if (value == null) {
            return null;
        }
        if (!NULL.equals(value)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid version id specified")
                    .with("ArgumentName", argumentName).with("ArgumentValue", value);
        }
        return new VersionId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
