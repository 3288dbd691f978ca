package dev.cairn.s3.data;


import java.nio.ByteBuffer;

/**
 * Compression without encryption. A chunk is stored compressed only when that makes it smaller,
 * so a stored chunk smaller than its original size is compressed and one of equal size is the
 * original bytes: no marker is needed, and chunks written before compression existed read as they are.
 */
public final class CompressingCodec implements ChunkCodec {
    public static final CompressingCodec INSTANCE = new CompressingCodec();

    private CompressingCodec() {
    }

    @Override
    public ByteBuffer encode(ByteBuffer plain, int part, int index) {
        ByteBuffer c = ZstdChunks.compressIfWorth(plain);
        return c == null ? plain : c;
    }

    @Override
    public ByteBuffer decode(ByteBuffer stored, long logicalSize, int part, int index) {
        return stored.remaining() == logicalSize ? stored : ZstdChunks.decompress(stored, logicalSize);
    }

    @Override
    public boolean transforms() {
        return true;
    }

    @Override
    public boolean wholeChunk(long storedSize, long logicalSize) {
        return storedSize != logicalSize;
    }

    /** Whether a stored chunk of an unencrypted object must go through {@link #decode}. */
    public static boolean isCompressed(long storedSize, long logicalSize) {
        return storedSize != logicalSize;
    }
}
