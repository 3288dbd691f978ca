package dev.cairn.metadata;

import java.util.Map;

/**
 * A multipart upload in progress. {@code uploadId} is 32 lowercase hex digits (16 random bytes).
 * {@code checksumAlgorithm}/{@code checksumType} are null when the upload was created without one.
 * {@code tags} is the tag set the completed object gets (empty for none), {@code acl} its ACL
 * (null: the default). {@code sealing} is what encrypts its parts' data (the S3 layer's encoding),
 * or null.
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
        String owner,
        Map<String, String> tags,
        byte[] acl,
        byte[] sealing) {

    public UploadRecord {
        tags = Map.copyOf(tags);
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
    }

    /** An unencrypted upload. */
    public UploadRecord(String bucket, String key, String uploadId, long initiatedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, String checksumAlgorithm, String checksumType,
                        String storageClass, String owner, Map<String, String> tags, byte[] acl) {
        this(bucket, key, uploadId, initiatedMillis, headers, userMetadata, checksumAlgorithm, checksumType,
                storageClass, owner, tags, acl, null);
    }

    /** An upload whose object gets the default ACL. */
    public UploadRecord(String bucket, String key, String uploadId, long initiatedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, String checksumAlgorithm, String checksumType,
                        String storageClass, String owner, Map<String, String> tags) {
        this(bucket, key, uploadId, initiatedMillis, headers, userMetadata, checksumAlgorithm, checksumType,
                storageClass, owner, tags, null);
    }

    /** An upload whose object gets no tags. */
    public UploadRecord(String bucket, String key, String uploadId, long initiatedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, String checksumAlgorithm, String checksumType,
                        String storageClass, String owner) {
        this(bucket, key, uploadId, initiatedMillis, headers, userMetadata, checksumAlgorithm, checksumType,
                storageClass, owner, Map.of());
    }
}
