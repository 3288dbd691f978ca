package dev.cairn.chunkstore.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodingPlanTest {

    @Test
    void times2MultipliesEveryByteLaneIndependently() {
        Random random = new Random(3);
        for (int trial = 0; trial < 10_000; trial++) {
            long x = trial < 256 ? trial * 0x0101010101010101L : random.nextLong();
            long doubled = XorLoops.times2(x);
            for (int lane = 0; lane < 8; lane++) {
                int in = (int) (x >>> (8 * lane)) & 0xFF;
                int out = (int) (doubled >>> (8 * lane)) & 0xFF;
                assertEquals(ReferenceReedSolomon.mul(2, in), out, "lane " + lane + " of " + x);
            }
        }
    }

    /** Random matrices (with zero rows, unit rows and wide rows), odd offsets and lengths. */
    @Test
    void applyMatchesScalarMatrixProduct() {
        Random random = new Random(11);
        for (int trial = 0; trial < 400; trial++) {
            int inputs = 1 + random.nextInt(14);
            int outputs = 1 + random.nextInt(5);
            int[][] coef = new int[outputs][inputs];
            for (int[] row : coef) {
                int kind = random.nextInt(6);
                for (int c = 0; c < inputs; c++) {
                    row[c] = switch (kind) {
                        case 0 -> 0;
                        case 1 -> c == 0 ? 1 : 0;
                        case 2 -> 1 + random.nextInt(3);
                        default -> random.nextInt(256);
                    };
                }
            }
            int len = random.nextInt(4) == 0 ? random.nextInt(40) : random.nextInt(5000);
            byte[][] in = new byte[inputs][];
            int[] inOff = new int[inputs];
            for (int c = 0; c < inputs; c++) {
                inOff[c] = random.nextInt(20);
                in[c] = new byte[inOff[c] + len + random.nextInt(20)];
                random.nextBytes(in[c]);
            }
            byte[][] out = new byte[outputs][];
            int[] outOff = new int[outputs];
            for (int r = 0; r < outputs; r++) {
                outOff[r] = random.nextInt(20);
                out[r] = new byte[outOff[r] + len + 7];
                random.nextBytes(out[r]);
            }
            byte[][] before = deepCopy(out);
            new CodingPlan(Matrix.of(coef)).apply(in, inOff, out, outOff, len, new long[len / 8]);
            for (int r = 0; r < outputs; r++) {
                byte[] expected = before[r].clone();
                for (int i = 0; i < len; i++) {
                    int v = 0;
                    for (int c = 0; c < inputs; c++) {
                        v ^= ReferenceReedSolomon.mul(coef[r][c], in[c][inOff[c] + i] & 0xFF);
                    }
                    expected[outOff[r] + i] = (byte) v;
                }
                assertArrayEquals(expected, out[r], "trial " + trial + " row " + r + " "
                        + Arrays.toString(coef[r]) + " len " + len);
            }
        }
    }

    private static byte[][] deepCopy(byte[][] a) {
        byte[][] copy = new byte[a.length][];
        for (int i = 0; i < a.length; i++) {
            copy[i] = a[i].clone();
        }
        return copy;
    }
}
