package dev.cairn.s3.crypto;

/**
 * A bucket's default encryption (PutBucketEncryption): what new objects get when their request
 * asks for none.
 *
 * @param mode     SSE-S3 or SSE-KMS
 * @param kmsKeyId the keyring key for SSE-KMS (null: the keyring's first key)
 */
public record BucketEncryption(ObjectSealing.Mode mode, String kmsKeyId) {
    public static final String CONFIG_KIND = "encryption";

    /** The request a write without encryption headers stands for under this default. */
    public SseRequest asRequest() {
        return new SseRequest(mode, kmsKeyId, null, null);
    }
}
