package dev.cairn.s3.auth;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

/** How the request body is protected, from the {@code x-amz-content-sha256} value. */
public enum PayloadMode {
    /** A hex SHA-256 of the body is given (the caller must check it: XAmzContentSHA256Mismatch). */
    SIGNED(false, false, false),
    /** {@code UNSIGNED-PAYLOAD}. */
    UNSIGNED(false, false, false),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}: aws-chunked with a chunk-signature chain. */
    STREAMING_SIGNED(true, true, false),
    /** {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER}: as above plus signed trailers. */
    STREAMING_SIGNED_TRAILER(true, true, true),
    /** {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}: aws-chunked, no signatures, trailers. */
    STREAMING_UNSIGNED_TRAILER(true, false, true);

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final String V4A_PREFIX = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD";

    private final boolean streaming;
    private final boolean signedChunks;
    private final boolean trailer;

    PayloadMode(boolean streaming, boolean signedChunks, boolean trailer) {
        this.streaming = streaming;
        this.signedChunks = signedChunks;
        this.trailer = trailer;
    }

    /** The body is aws-chunked ({@code Content-Encoding: aws-chunked}). */
    public boolean streaming() {
        return streaming;
    }

    /** Every chunk carries a chunk-signature to verify with {@link StreamingSignatureChain}. */
    public boolean signedChunks() {
        return signedChunks;
    }

    /** Trailer lines follow the final chunk. */
    public boolean trailer() {
        return trailer;
    }

    /**
     * The mode of an {@code x-amz-content-sha256} value. Anything else answers 400
     * InvalidArgument with the message S3 uses; the SigV4a streaming values answer
     * NotImplemented.
     */
    public static PayloadMode fromContentSha256(String value) {
        switch (value) {
            case UNSIGNED_PAYLOAD:
                return UNSIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD":
                return STREAMING_SIGNED;
            case "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER":
                return STREAMING_SIGNED_TRAILER;
            case "STREAMING-UNSIGNED-PAYLOAD-TRAILER":
                return STREAMING_UNSIGNED_TRAILER;
            default:
                if (isSha256Hex(value)) {
                    return SIGNED;
                }
                if (value.equals(V4A_PREFIX) || value.equals(V4A_PREFIX + "-TRAILER")) {
                    throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                            "SigV4a (AWS4-ECDSA-P256-SHA256) streaming payloads are not supported.");
                }
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                        "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
                                + "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
                                + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, "
                                + "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
                        .with("ArgumentName", "x-amz-content-sha256")
                        .with("ArgumentValue", value);
        }
    }

    private static boolean isSha256Hex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
