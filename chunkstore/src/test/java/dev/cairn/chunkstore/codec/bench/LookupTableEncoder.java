package dev.cairn.chunkstore.codec.bench;

/**
 * The classic pure-Java Reed-Solomon inner loop, kept only as a benchmark reference: one
 * 256-entry product table per (parity row, data column) coefficient, each input byte read
 * once and looked up for every output (the "output-input byte table" loop order of
 * Backblaze's JavaReedSolomon, blocked so inputs stay in cache). Same field (0x11D) and the
 * same coefficients as the codec (derived independently, by Lagrange interpolation), so it
 * produces the same parity; the benchmark checks that.
 */
final class LookupTableEncoder {
    private static final int BLOCK = 16 * 1024;
    private final byte[][][] tables; // [parity row][data column][value]

    /** Parity coefficients of the systematic Vandermonde code: L_c(k + p), points 0..k-1. */
    static LookupTableEncoder systematicVandermonde(int k, int m) {
        int[][] rows = new int[m][k];
        for (int p = 0; p < m; p++) {
            for (int c = 0; c < k; c++) {
                int num = 1;
                int den = 1;
                for (int j = 0; j < k; j++) {
                    if (j != c) {
                        num = mul(num, (k + p) ^ j);
                        den = mul(den, c ^ j);
                    }
                }
                rows[p][c] = mul(num, inverse(den));
            }
        }
        return new LookupTableEncoder(rows);
    }

    LookupTableEncoder(int[][] parityRows) {
        tables = new byte[parityRows.length][][];
        for (int r = 0; r < parityRows.length; r++) {
            tables[r] = new byte[parityRows[r].length][256];
            for (int c = 0; c < parityRows[r].length; c++) {
                for (int x = 0; x < 256; x++) {
                    tables[r][c][x] = (byte) mul(parityRows[r][c], x);
                }
            }
        }
    }

    void encode(byte[][] data, byte[][] parity, int len) {
        for (int start = 0; start < len; start += BLOCK) {
            int end = Math.min(len, start + BLOCK);
            for (int r = 0; r < parity.length; r++) {
                byte[] out = parity[r];
                byte[][] rowTables = tables[r];
                byte[] table = rowTables[0];
                byte[] in = data[0];
                for (int i = start; i < end; i++) {
                    out[i] = table[in[i] & 0xFF];
                }
                for (int c = 1; c < data.length; c++) {
                    table = rowTables[c];
                    in = data[c];
                    for (int i = start; i < end; i++) {
                        out[i] ^= table[in[i] & 0xFF];
                    }
                }
            }
        }
    }

    private static int inverse(int a) {
        for (int x = 1; x < 256; x++) {
            if (mul(a, x) == 1) {
                return x;
            }
        }
        throw new ArithmeticException("no inverse of " + a);
    }

    private static int mul(int a, int b) {
        int product = 0;
        while (b != 0) {
            if ((b & 1) != 0) {
                product ^= a;
            }
            a <<= 1;
            if ((a & 0x100) != 0) {
                a ^= 0x11D;
            }
            b >>>= 1;
        }
        return product;
    }
}
