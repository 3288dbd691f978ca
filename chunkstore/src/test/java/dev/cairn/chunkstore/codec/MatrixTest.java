package dev.cairn.chunkstore.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MatrixTest {

    @Test
    void inverseTimesMatrixIsIdentityForRandomMatrices() {
        Random random = new Random(42);
        int inverted = 0;
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(16);
            Matrix a = random(random, n, n);
            Matrix inv;
            try {
                inv = a.invert();
            } catch (ArithmeticException singular) {
                continue;
            }
            inverted++;
            assertEquals(Matrix.identity(n), inv.times(a), "inv(A) * A\n" + a);
            assertEquals(Matrix.identity(n), a.times(inv), "A * inv(A)\n" + a);
        }
        assertEquals(true, inverted > 250, "most random matrices are invertible: " + inverted);
    }

    @Test
    void anyRowsOfAVandermondeMatrixAreInvertible() {
        Matrix v = Matrix.vandermonde(255, 4);
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int[] rows = random.ints(0, 255).distinct().limit(4).toArray();
            Matrix square = v.selectRows(rows);
            assertEquals(Matrix.identity(4), square.invert().times(square));
        }
    }

    @Test
    void singularMatrixIsRejected() {
        Matrix singular = Matrix.of(new int[][] {{1, 2, 3}, {2, 4, 6}, {0, 0, 0}});
        assertThrows(ArithmeticException.class, singular::invert);
        Matrix duplicateRows = Matrix.of(new int[][] {{5, 7}, {5, 7}});
        assertThrows(ArithmeticException.class, duplicateRows::invert);
    }

    @Test
    void productMatchesDefinitionAndChecksShapes() {
        Matrix a = Matrix.of(new int[][] {{1, 2}, {3, 4}, {5, 6}});
        Matrix b = Matrix.of(new int[][] {{7, 8, 9}, {10, 11, 12}});
        Matrix ab = a.times(b);
        assertEquals(3, ab.rows());
        assertEquals(3, ab.cols());
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                int expected = ReferenceReedSolomon.mul(a.get(r, 0), b.get(0, c))
                        ^ ReferenceReedSolomon.mul(a.get(r, 1), b.get(1, c));
                assertEquals(expected, ab.get(r, c));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> a.times(a));
        assertEquals(Matrix.of(new int[][] {{5, 6}, {1, 2}}), a.selectRows(2, 0));
        assertEquals(Matrix.of(new int[][] {{3, 4}, {5, 6}}), a.subRows(1, 3));
    }

    private static Matrix random(Random random, int rows, int cols) {
        int[][] d = new int[rows][cols];
        for (int[] row : d) {
            for (int c = 0; c < cols; c++) {
                row[c] = random.nextInt(256);
            }
        }
        return Matrix.of(d);
    }
}
