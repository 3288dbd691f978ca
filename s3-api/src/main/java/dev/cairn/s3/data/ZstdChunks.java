package dev.cairn.s3.data;

import com.github.luben.zstd.Zstd;

import java.nio.ByteBuffer;

/**
 * zstd compression of one chunk, kept only when it pays: a chunk whose first block does not
 * shrink by {@link #MIN_SAVING} is stored as it is (already compressed media, random data) after
 * compressing that block alone, and so is a chunk that does not shrink as a whole.
 */
public final class ZstdChunks {
    static final int PROBE = 64 * 1024;
    static final double MIN_SAVING = 0.10;
    static final int MIN_SIZE = 4096;
    private static final int LEVEL = 3;
    private static final ThreadLocal<byte[]> PROBE_IN = ThreadLocal.withInitial(() -> new byte[PROBE]);
    private static final ThreadLocal<byte[]> PROBE_OUT =
            ThreadLocal.withInitial(() -> new byte[(int) Zstd.compressBound(PROBE)]);

    private ZstdChunks() {
    }

    /** The compressed bytes when they are at least 10% smaller than {@code plain}; null otherwise. */
    public static ByteBuffer compressIfWorth(ByteBuffer plain) {
        int len = plain.remaining();
        if (len < MIN_SIZE) {
            return null;
        }
        if (len > PROBE && !probeShrinks(plain)) {
            return null;
        }
        byte[] src;
        int off;
        if (plain.hasArray()) {
            src = plain.array();
            off = plain.arrayOffset() + plain.position();
        } else {
            src = new byte[len];
            plain.get(plain.position(), src);
            off = 0;
        }
        byte[] out = new byte[(int) Zstd.compressBound(len)];
        long n = Zstd.compressByteArray(out, 0, out.length, src, off, len, LEVEL);
        if (Zstd.isError(n) || n > len * (1 - MIN_SAVING)) {
            return null;
        }
        return ByteBuffer.wrap(out, 0, (int) n);
    }

    /**
     * Whether the first {@link #PROBE} bytes shrink by {@link #MIN_SAVING}; the probe reads a
     * direct buffer through per-thread scratch, so data that does not compress costs no copy of the
     * whole chunk and no allocation.
     */
    private static boolean probeShrinks(ByteBuffer plain) {
        byte[] src;
        int off;
        if (plain.hasArray()) {
            src = plain.array();
            off = plain.arrayOffset() + plain.position();
        } else {
            src = PROBE_IN.get();
            plain.get(plain.position(), src, 0, PROBE);
            off = 0;
        }
        byte[] out = PROBE_OUT.get();
        long n = Zstd.compressByteArray(out, 0, out.length, src, off, PROBE, LEVEL);
        return !Zstd.isError(n) && n <= PROBE * (1 - MIN_SAVING);
    }

    /** The original {@code logicalSize} bytes of a compressed chunk. */
    public static ByteBuffer decompress(ByteBuffer stored, long logicalSize) {
        byte[] src = new byte[stored.remaining()];
        stored.duplicate().get(src);
        byte[] out = new byte[Math.toIntExact(logicalSize)];
        long n = Zstd.decompressByteArray(out, 0, out.length, src, 0, src.length);
        if (Zstd.isError(n) || n != logicalSize) {
            throw new ChunkCodec.ChunkIntegrityException("a compressed chunk does not decompress to "
                    + logicalSize + " bytes" + (Zstd.isError(n) ? ": " + Zstd.getErrorName(n) : ""), null);
        }
        return ByteBuffer.wrap(out);
    }
}
