package dev.cairn.s3.auth;

/**
 * An authenticated request. {@code payloadSha256Hex} is set (lower-case) only for
 * {@link PayloadMode#SIGNED}: the caller must compare it with the SHA-256 of the body it
 * receives and answer XAmzContentSHA256Mismatch on a difference.
 */
public record AuthResult(String accessKeyId, PayloadMode payloadMode, String payloadSha256Hex, boolean presigned,
                         SigningContext signing) {
}
