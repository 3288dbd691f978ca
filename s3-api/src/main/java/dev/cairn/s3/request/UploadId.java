package dev.cairn.s3.request;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

import java.util.regex.Pattern;

/** A multipart upload id as Cairn issues them (32 lower-case hex digits); any other is NoSuchUpload. */
public record UploadId(String value) {
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

    public UploadId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).with("UploadId", value);
        }
    }

    public static UploadId of(String value) {
        return new UploadId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
