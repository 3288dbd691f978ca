package dev.cairn.chunkstore.codec;

/**
 * A slow, independent reference for the codec's maths, sharing no code with it.
 *
 * <p>Field: shift-and-add multiplication reduced by 0x11D, inverse by search. Code: the
 * systematic Vandermonde code stores data piece c as f(c) of the unique polynomial f of
 * degree < k through the points (c, data_c), c = 0..k-1; parity piece p is f(k + p). So a
 * parity byte is a Lagrange interpolation, computed here without any matrix inversion.
 */
final class ReferenceReedSolomon {
    private ReferenceReedSolomon() {
    }

    static int mul(int a, int b) {
        int product = 0;
        for (int bit = 0; bit < 8; bit++) {
            if ((b >>> bit & 1) != 0) {
                product ^= a << bit;
            }
        }
        for (int bit = 15; bit >= 8; bit--) {
            if ((product >>> bit & 1) != 0) {
                product ^= 0x11D << (bit - 8);
            }
        }
        return product;
    }

    static int inv(int a) {
        for (int x = 1; x < 256; x++) {
            if (mul(a, x) == 1) {
                return x;
            }
        }
        throw new ArithmeticException("no inverse of " + a);
    }

    /** L_c(x) = product over j != c of (x - j) / (c - j); minus is XOR in GF(2^8). */
    static int lagrange(int k, int c, int x) {
        int num = 1;
        int den = 1;
        for (int j = 0; j < k; j++) {
            if (j != c) {
                num = mul(num, x ^ j);
                den = mul(den, c ^ j);
            }
        }
        return mul(num, inv(den));
    }

    /** Coefficient of data piece c in parity piece p. */
    static int parityCoefficient(int k, int p, int c) {
        return lagrange(k, c, k + p);
    }

    static byte[][] encode(byte[][] data, int m) {
        int k = data.length;
        int n = data[0].length;
        byte[][] parity = new byte[m][n];
        for (int p = 0; p < m; p++) {
            for (int c = 0; c < k; c++) {
                int coef = parityCoefficient(k, p, c);
                for (int i = 0; i < n; i++) {
                    parity[p][i] ^= (byte) mul(coef, data[c][i] & 0xFF);
                }
            }
        }
        return parity;
    }
}
