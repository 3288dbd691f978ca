package dev.cairn.s3.auth;

import dev.cairn.s3.iam.Principal;

/**
 * An authenticated request: the key it was signed with, who that key belongs to, and how it was
 * signed ({@code sigV2}; {@code signing} is null then, as SigV2 signs no payload).
 * {@code payloadSha256Hex} is set (lower-case) only for {@link PayloadMode#SIGNED}: the caller
 * must compare it with the SHA-256 of the body it receives and answer XAmzContentSHA256Mismatch
 * on a difference.
 */
public record AuthResult(String accessKeyId, Principal principal, PayloadMode payloadMode, String payloadSha256Hex,
                         boolean presigned, SigningContext signing, boolean sigV2) {

    /** The s3:signatureversion condition value: "AWS" for SigV2, "AWS4-HMAC-SHA256" for SigV4. */
    public String signatureVersion() {
        return sigV2 ? "AWS" : "AWS4-HMAC-SHA256";
    }
}
