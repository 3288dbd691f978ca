package dev.cairn.metadata;

import java.util.Map;

/**
 * A multipart upload in progress. {@code uploadId} is 32 lowercase hex digits (16 random bytes).
 * {@code checksumAlgorithm}/{@code checksumType} are null when the upload was created without one.
 */
public record UploadRecord(
        String bucket,
        String key,
        String uploadId,
        long initiatedMillis,
        Map<String, String> headers,
        Map<String, String> userMetadata,
        String checksumAlgorithm,
        String checksumType,
        String storageClass,
        String owner) {

    public UploadRecord {
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
    }
}
