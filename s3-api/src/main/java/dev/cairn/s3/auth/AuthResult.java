package dev.cairn.s3.auth;

import dev.cairn.s3.iam.Principal;

/**
 * An authenticated request: the key it was signed with and who that key belongs to.
 * {@code payloadSha256Hex} is set (lower-case) only for {@link PayloadMode#SIGNED}: the caller
 * must compare it with the SHA-256 of the body it receives and answer XAmzContentSHA256Mismatch
 * on a difference.
 */
public record AuthResult(String accessKeyId, Principal principal, PayloadMode payloadMode, String payloadSha256Hex,
                         boolean presigned, SigningContext signing) {
}
