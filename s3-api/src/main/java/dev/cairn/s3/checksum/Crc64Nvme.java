package dev.cairn.s3.checksum;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * CRC-64/NVME (the checksum S3 calls CRC64NVME): reflected polynomial 0x9a6c9329ac4bc9b5
 * (0xad93d23594c93659 unreflected), initial value and final xor all ones; check value for
 * "123456789" is 0xae8b14860a799888.
 *
 * <p>Design note: table-driven "slicing-by-8". {@code T[k][b]} is the CRC register
 * contribution of byte {@code b} followed by {@code k} zero bytes, so eight input bytes are
 * folded into the register with eight independent lookups per 64-bit little-endian load.
 */
final class Crc64Nvme implements Hasher {
    static final long POLY = 0x9a6c9329ac4bc9b5L;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long[] T0 = new long[256];
    private static final long[] T1 = new long[256];
    private static final long[] T2 = new long[256];
    private static final long[] T3 = new long[256];
    private static final long[] T4 = new long[256];
    private static final long[] T5 = new long[256];
    private static final long[] T6 = new long[256];
    private static final long[] T7 = new long[256];

    static {
        long[][] t = {T0, T1, T2, T3, T4, T5, T6, T7};
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            T0[n] = crc;
        }
        for (int k = 1; k < 8; k++) {
            for (int n = 0; n < 256; n++) {
                long prev = t[k - 1][n];
                t[k][n] = (prev >>> 8) ^ T0[(int) (prev & 0xff)];
            }
        }
    }

    /** The CRC register (pre-inverted); the value is its complement. */
    private long crc = -1L;

    @Override
    public void update(ByteBuffer data) {
        if (data.hasArray()) {
            crc = update(crc, data.array(), data.arrayOffset() + data.position(), data.remaining());
        } else {
            crc = updateDirect(crc, data.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    @Override
    public void update(byte[] data) {
        crc = update(crc, data, 0, data.length);
    }

    /** The CRC value so far (unsigned 64-bit). */
    long value() {
        return ~crc;
    }

    @Override
    public byte[] digest() {
        long v = value();
        byte[] out = new byte[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return out;
    }

    private static long update(long crc, byte[] b, int off, int len) {
        int end = off + len;
        while (end - off >= 8) {
            crc = fold(crc ^ (long) LONG_LE.get(b, off));
            off += 8;
        }
        while (off < end) {
            crc = (crc >>> 8) ^ T0[(int) ((crc ^ b[off++]) & 0xff)];
        }
        return crc;
    }

    private static long updateDirect(long crc, ByteBuffer buf) {
        while (buf.remaining() >= 8) {
            crc = fold(crc ^ buf.getLong());
        }
        while (buf.hasRemaining()) {
            crc = (crc >>> 8) ^ T0[(int) ((crc ^ buf.get()) & 0xff)];
        }
        return crc;
    }

    private static long fold(long v) {
        return T7[(int) (v & 0xff)]
                ^ T6[(int) ((v >>> 8) & 0xff)]
                ^ T5[(int) ((v >>> 16) & 0xff)]
                ^ T4[(int) ((v >>> 24) & 0xff)]
                ^ T3[(int) ((v >>> 32) & 0xff)]
                ^ T2[(int) ((v >>> 40) & 0xff)]
                ^ T1[(int) ((v >>> 48) & 0xff)]
                ^ T0[(int) (v >>> 56)];
    }
}
