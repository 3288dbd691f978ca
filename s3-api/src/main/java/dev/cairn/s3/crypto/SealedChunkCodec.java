package dev.cairn.s3.crypto;

import dev.cairn.s3.data.ChunkCodec;
import dev.cairn.s3.data.ZstdChunks;

import javax.crypto.AEADBadTagException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encryption of an object's chunks with its data key, after optional compression. A stored chunk
 * is a flags byte (bit 0: compressed), then AES-256-GCM's nonce, ciphertext and tag. The
 * associated data binds the object's identity, the part and chunk index and the flags, so a chunk
 * moved to another object or position, or flipped between compressed and not, fails to open.
 */
public final class SealedChunkCodec implements ChunkCodec {
    private static final byte[] LABEL = "cairn chunk v1".getBytes(StandardCharsets.US_ASCII);
    private static final int COMPRESSED = 1;
    private final byte[] dataKey;
    private final byte[] objectId;
    private final boolean compress;

    public SealedChunkCodec(byte[] dataKey, byte[] objectId, boolean compress) {
        this.dataKey = dataKey.clone();
        this.objectId = objectId.clone();
        this.compress = compress;
    }

    @Override
    public ByteBuffer encode(ByteBuffer plain, int part, int index) {
        ByteBuffer compressed = compress ? ZstdChunks.compressIfWorth(plain) : null;
        ByteBuffer body = compressed != null ? compressed : plain;
        int flags = compressed != null ? COMPRESSED : 0;
        ByteBuffer out = ByteBuffer.allocate(1 + Aead.NONCE_BYTES + body.remaining() + Aead.TAG_BYTES);
        out.put((byte) flags);
        Aead.seal(dataKey, body, aad(part, index, flags), out);
        return out.flip();
    }

    @Override
    public ByteBuffer decode(ByteBuffer stored, long logicalSize, int part, int index) {
        if (!stored.hasRemaining()) {
            throw new ChunkIntegrityException("an encrypted chunk is empty", null);
        }
        ByteBuffer in = stored.duplicate();
        int flags = in.get() & 0xFF;
        ByteBuffer plain;
        try {
            plain = Aead.openInPlace(dataKey, in, aad(part, index, flags)); // the stored chunk is ours alone
        } catch (AEADBadTagException e) {
            throw new ChunkIntegrityException("chunk " + part + "/" + index
                    + " fails authentication (altered, moved, or another key)", e);
        }
        return (flags & COMPRESSED) != 0 ? ZstdChunks.decompress(plain, logicalSize) : plain;
    }

    @Override
    public boolean transforms() {
        return true;
    }

    @Override
    public boolean wholeChunk(long storedSize, long logicalSize) {
        return true;
    }

    private byte[] aad(int part, int index, int flags) {
        return ByteBuffer.allocate(LABEL.length + objectId.length + 9).put(LABEL).put(objectId)
                .putInt(part).putInt(index).put((byte) flags).array();
    }
}
