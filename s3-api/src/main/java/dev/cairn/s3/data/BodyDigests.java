package dev.cairn.s3.data;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.auth.PayloadMode;
import dev.cairn.s3.auth.StreamingSignatureChain;
import dev.cairn.s3.checksum.Hasher;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The digest stage of an upload: hashes the original bytes in order (MD5 for the ETag, the S3
 * checksum, the signed SHA-256 or the aws-chunked signature chain) and, after the last byte,
 * checks each against what the client declared. Not thread-safe: one upload's serial lane feeds it.
 */
final class BodyDigests {
    /** The end of an aws-chunked chunk at {@code offset} in a sealed buffer, with its signature. */
    record ChunkEnd(int offset, String signature) {
    }

    /** The trailers of an aws-chunked body. */
    record Trailers(Map<String, String> values, String block, String signature) {
    }

    /** The verified digests of a whole body. */
    record Verified(byte[] md5, byte[] checksumDigest) {
    }

    /** Staging for hashing direct buffers: small enough to stay in the CPU's cache between digests. */
    private static final ThreadLocal<byte[]> STAGING = ThreadLocal.withInitial(() -> new byte[32 * 1024]);

    private final BodyExpectations expect;
    private final MessageDigest md5 = newDigest("MD5");
    private final MessageDigest sha256;
    private final Hasher checksumHasher;
    private final StreamingSignatureChain chain;

    BodyDigests(BodyExpectations expect) {
        this.expect = expect;
        PayloadMode mode = expect.payloadMode();
        this.sha256 = mode == PayloadMode.SIGNED ? newDigest("SHA-256") : null;
        this.checksumHasher = expect.checksum() != null ? expect.checksum().newHasher() : null;
        this.chain = mode.signedChunks() ? new StreamingSignatureChain(expect.signing()) : null;
    }

    /**
     * Hashes the bytes of {@code chunk} from index 0 to its limit, checking chunk signatures at
     * their ends. A direct buffer is read through a small per-thread staging array that every
     * digest then reads while it is in the CPU's cache: one pass over the chunk's memory.
     */
    void absorb(ByteBuffer chunk, List<ChunkEnd> ends) {
        int from = 0;
        for (ChunkEnd end : ends) {
            update(chunk, from, end.offset() - from);
            from = end.offset();
            if (chain != null) {
                chain.chunkEnd(end.signature());
            }
        }
        update(chunk, from, chunk.limit() - from);
    }

    private void update(ByteBuffer data, int off, int len) {
        if (data.hasArray()) {
            update(data.array(), data.arrayOffset() + off, len);
            return;
        }
        byte[] scratch = STAGING.get();
        while (len > 0) {
            int n = Math.min(len, scratch.length);
            data.get(off, scratch, 0, n);
            update(scratch, 0, n);
            off += n;
            len -= n;
        }
    }

    private void update(byte[] data, int off, int len) {
        if (len == 0) {
            return;
        }
        md5.update(data, off, len);
        if (sha256 != null) {
            sha256.update(data, off, len);
        }
        if (checksumHasher != null) {
            checksumHasher.update(ByteBuffer.wrap(data, off, len));
        }
        if (chain != null) {
            chain.update(ByteBuffer.wrap(data, off, len));
        }
    }

    /** Checks everything the client declared, after the last byte; throws the S3 error of the first mismatch. */
    Verified finish(Trailers trailers) {
        if (trailers != null && chain != null) {
            chain.trailer(trailers.block(), trailers.signature());
        }
        byte[] md5Digest = md5.digest();
        if (sha256 != null) {
            String actual = HexFormat.of().formatHex(sha256.digest());
            if (!actual.equalsIgnoreCase(expect.payloadSha256Hex())) {
                throw new S3Exception(S3ErrorCode.X_AMZ_CONTENT_SHA256_MISMATCH)
                        .with("ClientComputedContentSHA256", expect.payloadSha256Hex())
                        .with("S3ComputedContentSHA256", actual);
            }
        }
        if (expect.contentMd5() != null && !MessageDigest.isEqual(expect.contentMd5(), md5Digest)) {
            throw new S3Exception(S3ErrorCode.BAD_DIGEST)
                    .with("ExpectedDigest", Base64.getEncoder().encodeToString(expect.contentMd5()))
                    .with("CalculatedDigest", Base64.getEncoder().encodeToString(md5Digest));
        }
        return new Verified(md5Digest, checksumHasher == null ? null : checkChecksum(trailers));
    }

    private byte[] checkChecksum(Trailers trailers) {
        byte[] digest = checksumHasher.digest();
        String expected = expect.checksumValue();
        if (expect.checksumInTrailer()) {
            expected = trailers == null ? null : trailers.values().get(expect.checksum().headerName());
            if (expected == null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "The trailer " + expect.checksum().headerName() + " was declared but not sent");
            }
            if (!expect.checksum().isValidValue(expected.trim())) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "Value for " + expect.checksum().headerName() + " trailing header is invalid.");
            }
        }
        if (expected != null) {
            String actual = Base64.getEncoder().encodeToString(digest);
            if (!actual.equals(expected.trim())) {
                throw new S3Exception(S3ErrorCode.BAD_DIGEST, "The " + expect.checksum().name()
                        + " you specified did not match the calculated checksum.");
            }
        }
        return digest;
    }

    private static MessageDigest newDigest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
