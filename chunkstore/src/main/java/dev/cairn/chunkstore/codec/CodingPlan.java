package dev.cairn.chunkstore.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable, precomputed schedule that multiplies a coefficient matrix (outputs x inputs)
 * by a set of equally long byte ranges: {@code out[r] = sum over c of coef[r][c] * in[c]}.
 * Encoding uses the parity rows of the encoding matrix; reconstruction uses rows derived
 * from the inverse of the surviving rows.
 *
 * <p>Each output row is evaluated by Horner's rule over the bits of its coefficients:
 * with {@code S_b} the XOR of the inputs whose coefficient has bit b set,
 * {@code out = 2*(... 2*(2*S_7 ^ S_6) ...) ^ S_0}. That costs one "times two" per bit level
 * and one XOR per set coefficient bit, all as small vectorisable loops in {@link XorLoops}.
 * Levels above the highest set bit are skipped, so small coefficients (1 especially) are
 * cheap. Bytes beyond the last multiple of 8 go through the 256-entry multiplication tables.
 */
final class CodingPlan {
    private final int inputs;
    private final int[][] coefficients;
    /** levels[r][j] = inputs XORed in at the j-th level from the top; null: all-zero row. */
    private final int[][][] levels;

    CodingPlan(Matrix matrix) {
        this.inputs = matrix.cols();
        this.coefficients = new int[matrix.rows()][];
        this.levels = new int[matrix.rows()][][];
        for (int r = 0; r < matrix.rows(); r++) {
            coefficients[r] = matrix.row(r);
            levels[r] = schedule(coefficients[r]);
        }
    }

    private static int[][] schedule(int[] row) {
        int top = -1;
        for (int v : row) {
            top = Math.max(top, 31 - Integer.numberOfLeadingZeros(v));
        }
        if (top < 0) {
            return null;
        }
        int[][] result = new int[top + 1][];
        for (int bit = top; bit >= 0; bit--) {
            List<Integer> cols = new ArrayList<>();
            for (int c = 0; c < row.length; c++) {
                if ((row[c] >>> bit & 1) != 0) {
                    cols.add(c);
                }
            }
            result[top - bit] = cols.stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    int inputs() {
        return inputs;
    }

    int outputs() {
        return coefficients.length;
    }

    /**
     * Computes {@code len} bytes of every output. {@code in[c]} is read from {@code inOff[c]},
     * {@code out[r]} written from {@code outOff[r]}; outputs must not overlap inputs.
     * {@code scratch} holds at least {@code len / 8} longs (the per-row accumulator).
     */
    void apply(byte[][] in, int[] inOff, byte[][] out, int[] outOff, int len, long[] scratch) {
        int longs = len >>> 3;
        int tail = longs << 3;
        if (scratch.length < longs) {
            throw new IllegalArgumentException("scratch too small for " + len + " bytes");
        }
        for (int r = 0; r < levels.length; r++) {
            if (longs > 0) {
                applyRow(levels[r], in, inOff, scratch, longs);
                XorLoops.store(scratch, out[r], outOff[r], longs);
            }
            if (tail < len) {
                applyTail(coefficients[r], in, inOff, out[r], outOff[r], tail, len);
            }
        }
    }

    private static void applyRow(int[][] rowLevels, byte[][] in, int[] inOff, long[] d, int n) {
        if (rowLevels == null) {
            Arrays.fill(d, 0, n, 0L);
            return;
        }
        for (int level = 0; level < rowLevels.length; level++) {
            int[] cols = rowLevels[level];
            int done;
            if (level == 0) {
                done = set(cols, in, inOff, d, n);
            } else {
                done = shift(cols, in, inOff, d, n);
            }
            while (done < cols.length) {
                done += xor(cols, done, in, inOff, d, n);
            }
        }
    }

    /** d = XOR of the first (up to 4) inputs in cols; cols is never empty at the top level. */
    private static int set(int[] cols, byte[][] in, int[] o, long[] d, int n) {
        switch (cols.length) {
            case 1 -> XorLoops.set1(d, in[cols[0]], o[cols[0]], n);
            case 2 -> XorLoops.set2(d, in[cols[0]], o[cols[0]], in[cols[1]], o[cols[1]], n);
            case 3 -> XorLoops.set3(d, in[cols[0]], o[cols[0]], in[cols[1]], o[cols[1]],
                    in[cols[2]], o[cols[2]], n);
            default -> XorLoops.set4(d, in[cols[0]], o[cols[0]], in[cols[1]], o[cols[1]],
                    in[cols[2]], o[cols[2]], in[cols[3]], o[cols[3]], n);
        }
        return Math.min(cols.length, XorLoops.MAX_SOURCES);
    }

    /** d = 2*d ^ XOR of the first (up to 4) inputs in cols. */
    private static int shift(int[] cols, byte[][] in, int[] o, long[] d, int n) {
        switch (cols.length) {
            case 0 -> XorLoops.shift0(d, n);
            case 1 -> XorLoops.shift1(d, in[cols[0]], o[cols[0]], n);
            case 2 -> XorLoops.shift2(d, in[cols[0]], o[cols[0]], in[cols[1]], o[cols[1]], n);
            case 3 -> XorLoops.shift3(d, in[cols[0]], o[cols[0]], in[cols[1]], o[cols[1]],
                    in[cols[2]], o[cols[2]], n);
            default -> XorLoops.shift4(d, in[cols[0]], o[cols[0]], in[cols[1]], o[cols[1]],
                    in[cols[2]], o[cols[2]], in[cols[3]], o[cols[3]], n);
        }
        return Math.min(cols.length, XorLoops.MAX_SOURCES);
    }

    /** d ^= XOR of up to 4 inputs in cols starting at from; returns how many were used. */
    private static int xor(int[] cols, int from, byte[][] in, int[] o, long[] d, int n) {
        int a = cols[from];
        switch (cols.length - from) {
            case 1 -> XorLoops.xor1(d, in[a], o[a], n);
            case 2 -> {
                int b = cols[from + 1];
                XorLoops.xor2(d, in[a], o[a], in[b], o[b], n);
            }
            case 3 -> {
                int b = cols[from + 1];
                int c = cols[from + 2];
                XorLoops.xor3(d, in[a], o[a], in[b], o[b], in[c], o[c], n);
            }
            default -> {
                int b = cols[from + 1];
                int c = cols[from + 2];
                int e = cols[from + 3];
                XorLoops.xor4(d, in[a], o[a], in[b], o[b], in[c], o[c], in[e], o[e], n);
            }
        }
        return Math.min(cols.length - from, XorLoops.MAX_SOURCES);
    }

    /** Bytes [from, to) of one output, one table lookup per coefficient and byte. */
    private void applyTail(int[] row, byte[][] in, int[] inOff, byte[] d, int od, int from,
            int to) {
        for (int i = from; i < to; i++) {
            int v = 0;
            for (int c = 0; c < inputs; c++) {
                v ^= GaloisField.mulTable(row[c])[in[c][inOff[c] + i] & 0xFF];
            }
            d[od + i] = (byte) v;
        }
    }
}
