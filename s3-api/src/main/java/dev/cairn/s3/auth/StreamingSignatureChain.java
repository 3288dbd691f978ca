package dev.cairn.s3.auth;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * The signature chain of a signed streaming body. Runs on a worker thread (it hashes every
 * payload byte): {@link #update} with every payload byte in order, {@link #chunkEnd} at each
 * chunk boundary (including the final 0-length chunk), {@link #trailer} once. Each chunk
 * signature signs
 * <pre>
 * AWS4-HMAC-SHA256-PAYLOAD \n amzDate \n scope \n previousSignature \n hex(sha256("")) \n hex(sha256(chunk))
 * </pre>
 * starting from the seed (request) signature; the trailer signature signs
 * <pre>
 * AWS4-HMAC-SHA256-TRAILER \n amzDate \n scope \n previousSignature \n hex(sha256(canonicalTrailerBlock))
 * </pre>
 * A mismatch throws 403 SignatureDoesNotMatch. Not thread-safe.
 */
public final class StreamingSignatureChain {
    private final Mac mac;
    private final MessageDigest sha = SigningKeys.sha256();
    private final String prefix;
    private String previous;
    private long chunkBytes;
    private boolean finalChunkSeen;
    private boolean trailerSeen;

    public StreamingSignatureChain(SigningContext ctx) {
        this.mac = SigningKeys.newMac(ctx.signingKey());
        this.prefix = ctx.amzDate() + '\n' + ctx.scope() + '\n';
        this.previous = ctx.seedSignature();
    }

    /** Hashes payload bytes; the buffer's position is left unchanged. */
    public void update(ByteBuffer data) {
        if (finalChunkSeen && data.hasRemaining()) {
            throw new IllegalStateException("payload after the final chunk");
        }
        chunkBytes += data.remaining();
        sha.update(data.duplicate());
    }

    /** Verifies the signature of the chunk whose bytes were passed to update since the last boundary. */
    public void chunkEnd(String chunkSignature) {
        if (finalChunkSeen) {
            throw new IllegalStateException("chunk after the final chunk");
        }
        String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + prefix + previous + '\n' + SigningKeys.EMPTY_SHA256 + '\n'
                + SigningKeys.hex(sha.digest());
        previous = check(stringToSign, chunkSignature);
        finalChunkSeen = chunkBytes == 0;
        chunkBytes = 0;
    }

    /** Verifies the trailer signature; call after the final chunk. */
    public void trailer(String canonicalTrailerBlock, String trailerSignature) {
        if (!finalChunkSeen || trailerSeen) {
            throw new IllegalStateException("trailer before the final chunk, or twice");
        }
        trailerSeen = true;
        String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + prefix + previous + '\n'
                + SigningKeys.sha256Hex(canonicalTrailerBlock);
        previous = check(stringToSign, trailerSignature);
    }

    /** Whether the final (0-length) chunk has been verified. */
    public boolean finalChunkSeen() {
        return finalChunkSeen;
    }

    private String check(String stringToSign, String provided) {
        String expected = SigningKeys.hex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        if (!SigningKeys.signaturesEqual(expected, provided)) {
            throw new S3Exception(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH)
                    .with("StringToSign", stringToSign)
                    .with("SignatureProvided", String.valueOf(provided));
        }
        return expected;
    }
}
