package dev.cairn.chunkstore.codec;

/**
 * Arithmetic in GF(2^8) built from the primitive polynomial x^8 + x^4 + x^3 + x^2 + 1
 * ({@code 0x11D}) with generator 2. Elements are ints in [0, 255]; addition is XOR.
 *
 * <p>Multiplication and division go through log/exp tables; {@link #mulTable(int)} exposes
 * one 256-entry row of the full multiplication table for scalar loops.
 */
final class GaloisField {
    /** The field's reducing polynomial, including the x^8 term. */
    static final int POLYNOMIAL = 0x11D;
    /** Number of field elements. */
    static final int SIZE = 256;

    /** EXP[i] = 2^i; doubled in length so that EXP[log a + log b] needs no modulo. */
    private static final int[] EXP = new int[2 * (SIZE - 1)];
    /** LOG[a] = i such that 2^i = a, for a != 0 (LOG[0] is unused). */
    private static final int[] LOG = new int[SIZE];
    /** MUL[a][b] = a * b. 64 KiB, built once. */
    private static final byte[][] MUL = new byte[SIZE][SIZE];

    static {
        int x = 1;
        for (int i = 0; i < SIZE - 1; i++) {
            EXP[i] = x;
            EXP[i + SIZE - 1] = x;
            LOG[x] = i;
            x <<= 1;
            if ((x & 0x100) != 0) {
                x ^= POLYNOMIAL;
            }
        }
        if (x != 1) {
            throw new AssertionError("0x11D is not primitive with generator 2");
        }
        for (int a = 0; a < SIZE; a++) {
            for (int b = 0; b < SIZE; b++) {
                MUL[a][b] = (byte) mul(a, b);
            }
        }
    }

    private GaloisField() {
    }

    static int add(int a, int b) {
        return a ^ b;
    }

    static int mul(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[LOG[a] + LOG[b]];
    }

    static int div(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(2^8)");
        }
        if (a == 0) {
            return 0;
        }
        return EXP[LOG[a] - LOG[b] + SIZE - 1];
    }

    static int inv(int a) {
        return div(1, a);
    }

    /** a^n for n >= 0, with 0^0 = 1 (the convention a Vandermonde matrix needs). */
    static int pow(int a, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative exponent " + n);
        }
        if (n == 0) {
            return 1;
        }
        if (a == 0) {
            return 0;
        }
        return EXP[(LOG[a] * n) % (SIZE - 1)];
    }

    /** 2^i, the i-th power of the generator. */
    static int exp(int i) {
        return EXP[Math.floorMod(i, SIZE - 1)];
    }

    /** log_2(a) for a != 0. */
    static int log(int a) {
        if (a == 0) {
            throw new ArithmeticException("log(0) in GF(2^8)");
        }
        return LOG[a];
    }

    /**
     * Row {@code c} of the multiplication table: {@code mulTable(c)[x & 0xFF] == c * x}. The
     * array is shared: callers must not modify it.
     */
    static byte[] mulTable(int c) {
        return MUL[c];
    }
}
