package dev.cairn.metadata;

/**
 * What a completed multipart upload answered, kept for a while after it completed so that a
 * retried CompleteMultipartUpload can be answered the same way.
 *
 * @param completedMillis when it completed (the object's modification time)
 * @param checksum        the object's checksum, or null
 * @param partsDigest     a digest of the part list the completion named, chosen by the caller;
 *                        a retry naming other parts has another digest
 */
public record CompletedUpload(String bucket, String key, String uploadId, long completedMillis, long size,
                              String etag, Checksum checksum, byte[] partsDigest) {
}
