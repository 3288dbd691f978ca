package dev.cairn.s3.checksum;

/**
 * CRC of a concatenation from the CRCs of its pieces, as zlib's {@code crc32_combine}: for a
 * reflected CRC whose initial value equals its final xor (true for CRC32, CRC32C and
 * CRC64NVME), {@code crc(A || B) = crc(A) * x^(8|B|) mod P  xor  crc(B)}. Multiplying by
 * {@code x^(8n)} is applying the "shift by one zero bit" operator {@code 8n} times; the
 * operator is a GF(2) matrix, squared repeatedly to reach {@code n} in O(log n) steps.
 */
final class CrcCombine {
    private CrcCombine() {
    }

    /**
     * @param crc1 CRC of the first piece (unsigned, in the low {@code width} bits)
     * @param crc2 CRC of the second piece
     * @param len2 length of the second piece in bytes
     * @param reflectedPoly the reflected polynomial
     * @param width 32 or 64
     */
    static long combine(long crc1, long crc2, long len2, long reflectedPoly, int width) {
        if (len2 < 0) {
            throw new IllegalArgumentException("negative length");
        }
        if (len2 == 0) {
            return crc1;
        }
        long[] even = new long[width];
        long[] odd = new long[width];
        odd[0] = reflectedPoly; // operator for one zero bit
        long row = 1;
        for (int n = 1; n < width; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        // The first squaring in the loop gives one zero byte; each later one doubles it.
        do {
            square(even, odd);
            if ((len2 & 1) != 0) {
                crc1 = times(even, crc1);
            }
            len2 >>>= 1;
            if (len2 == 0) {
                break;
            }
            square(odd, even);
            if ((len2 & 1) != 0) {
                crc1 = times(odd, crc1);
            }
            len2 >>>= 1;
        } while (len2 != 0);
        return crc1 ^ crc2;
    }

    private static long times(long[] mat, long vec) {
        long sum = 0;
        for (int i = 0; vec != 0; i++, vec >>>= 1) {
            if ((vec & 1) != 0) {
                sum ^= mat[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] mat) {
        for (int n = 0; n < mat.length; n++) {
            square[n] = times(mat, mat[n]);
        }
    }
}
