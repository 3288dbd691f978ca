package dev.cairn.chunkstore.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The hot loops of the codec: XOR and "times two" over byte arrays, eight bytes at a time.
 *
 * <p>Each loop works on {@code n} longs: sources are byte arrays read through a byte-array
 * view VarHandle at their own byte offsets, the destination is a {@code long[]} accumulator
 * indexed from 0. Two measured constraints shape this (JDK 17 C2 on x86):
 * <ul>
 *   <li>bodies must be tiny: C2 unrolls and auto-vectorises (AVX2/AVX-512) loops this
 *       small, while larger fused bodies exceed its unrolling budget and stay scalar;</li>
 *   <li>the destination must not be a byte array: a VarHandle store into a byte[] next to
 *       VarHandle loads from other byte[]s at run-time offsets is not vectorised (C2 cannot
 *       rule out aliasing), a store into a long[] is. {@link #store} moves the finished
 *       accumulator to the output, which is a single streaming pass.</li>
 * </ul>
 * Vectorised, each pass moves tens of GB/s; a 256-entry table lookup loop does about 1 GB/s.
 *
 * <p>{@link #times2(long)} multiplies the eight bytes of a long by 2 in GF(2^8)
 * independently (SWAR): shift every byte left by one, and where a byte's top bit fell off
 * XOR in the low byte of the polynomial, 0x1D. {@code h - (h >>> 7)} turns each 0x80 into
 * 0x7F without borrowing across bytes, which the AND then narrows to 0x1D.
 *
 * <p>Naming: {@code setN} writes {@code d = s1 ^ ... ^ sN}, {@code xorN} does
 * {@code d ^= s1 ^ ... ^ sN}, and {@code shiftN} does {@code d = 2*d ^ s1 ^ ... ^ sN}.
 */
final class XorLoops {
    /** The widest fan-in of a single loop; longer source lists are chained. */
    static final int MAX_SOURCES = 4;

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    private static final long POLY = 0x1D1D1D1D1D1D1D1DL; // 0x11D without x^8, in every byte

    private XorLoops() {
    }

    /** Multiplies each of the 8 bytes of {@code x} by 2 in GF(2^8). */
    static long times2(long x) {
        long h = x & HIGH;
        return ((x & LOW7) << 1) ^ ((h - (h >>> 7)) & POLY);
    }

    private static long at(byte[] a, int off, int i) {
        return (long) LONGS.get(a, off + (i << 3));
    }

    /** out[oo + 8i ..] = d[i] for i < n: the accumulator to its output bytes. */
    static void store(long[] d, byte[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            LONGS.set(out, oo + (i << 3), d[i]);
        }
    }

    // d = s1 ^ ... ^ sN

    static void set1(long[] d, byte[] a, int oa, int n) {
        for (int i = 0; i < n; i++) {
            d[i] = at(a, oa, i);
        }
    }

    static void set2(long[] d, byte[] a, int oa, byte[] b, int ob, int n) {
        for (int i = 0; i < n; i++) {
            d[i] = at(a, oa, i) ^ at(b, ob, i);
        }
    }

    static void set3(long[] d, byte[] a, int oa, byte[] b, int ob, byte[] c, int oc, int n) {
        for (int i = 0; i < n; i++) {
            d[i] = at(a, oa, i) ^ at(b, ob, i) ^ at(c, oc, i);
        }
    }

    static void set4(long[] d, byte[] a, int oa, byte[] b, int ob, byte[] c, int oc,
            byte[] e, int oe, int n) {
        for (int i = 0; i < n; i++) {
            d[i] = at(a, oa, i) ^ at(b, ob, i) ^ at(c, oc, i) ^ at(e, oe, i);
        }
    }

    // d ^= s1 ^ ... ^ sN

    static void xor1(long[] d, byte[] a, int oa, int n) {
        for (int i = 0; i < n; i++) {
            d[i] ^= at(a, oa, i);
        }
    }

    static void xor2(long[] d, byte[] a, int oa, byte[] b, int ob, int n) {
        for (int i = 0; i < n; i++) {
            d[i] ^= at(a, oa, i) ^ at(b, ob, i);
        }
    }

    static void xor3(long[] d, byte[] a, int oa, byte[] b, int ob, byte[] c, int oc, int n) {
        for (int i = 0; i < n; i++) {
            d[i] ^= at(a, oa, i) ^ at(b, ob, i) ^ at(c, oc, i);
        }
    }

    static void xor4(long[] d, byte[] a, int oa, byte[] b, int ob, byte[] c, int oc,
            byte[] e, int oe, int n) {
        for (int i = 0; i < n; i++) {
            d[i] ^= at(a, oa, i) ^ at(b, ob, i) ^ at(c, oc, i) ^ at(e, oe, i);
        }
    }

    // d = 2*d ^ s1 ^ ... ^ sN

    static void shift0(long[] d, int n) {
        for (int i = 0; i < n; i++) {
            d[i] = times2(d[i]);
        }
    }

    static void shift1(long[] d, byte[] a, int oa, int n) {
        for (int i = 0; i < n; i++) {
            d[i] = times2(d[i]) ^ at(a, oa, i);
        }
    }

    static void shift2(long[] d, byte[] a, int oa, byte[] b, int ob, int n) {
        for (int i = 0; i < n; i++) {
            d[i] = times2(d[i]) ^ at(a, oa, i) ^ at(b, ob, i);
        }
    }

    static void shift3(long[] d, byte[] a, int oa, byte[] b, int ob, byte[] c, int oc, int n) {
        for (int i = 0; i < n; i++) {
            d[i] = times2(d[i]) ^ at(a, oa, i) ^ at(b, ob, i) ^ at(c, oc, i);
        }
    }

    static void shift4(long[] d, byte[] a, int oa, byte[] b, int ob, byte[] c, int oc,
            byte[] e, int oe, int n) {
        for (int i = 0; i < n; i++) {
            d[i] = times2(d[i]) ^ at(a, oa, i) ^ at(b, ob, i) ^ at(c, oc, i) ^ at(e, oe, i);
        }
    }
}
