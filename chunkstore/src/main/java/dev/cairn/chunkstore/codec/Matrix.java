package dev.cairn.chunkstore.codec;

import java.util.Arrays;

/**
 * An immutable matrix over GF(2^8), elements stored as ints in [0, 255]. Only what the
 * codec needs: Vandermonde and identity construction, product, row selection and
 * inversion by Gauss-Jordan elimination.
 */
final class Matrix {
    private final int rows;
    private final int cols;
    private final int[][] data;

    private Matrix(int[][] data, int cols) {
        this.rows = data.length;
        this.cols = cols;
        this.data = data;
    }

    private Matrix(int[][] data) {
        this(data, data.length == 0 ? 0 : data[0].length);
    }

    /** A matrix from explicit rows (copied); every element must be in [0, 255]. */
    static Matrix of(int[][] rows) {
        int[][] copy = new int[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != rows[0].length) {
                throw new IllegalArgumentException("ragged matrix");
            }
            copy[r] = rows[r].clone();
            for (int v : copy[r]) {
                if (v < 0 || v > 255) {
                    throw new IllegalArgumentException("not a GF(2^8) element: " + v);
                }
            }
        }
        return new Matrix(copy);
    }

    static Matrix identity(int n) {
        int[][] d = new int[n][n];
        for (int i = 0; i < n; i++) {
            d[i][i] = 1;
        }
        return new Matrix(d);
    }

    /** The rows x cols Vandermonde matrix V[r][c] = r^c, evaluation points 0..rows-1. */
    static Matrix vandermonde(int rows, int cols) {
        if (rows > GaloisField.SIZE) {
            throw new IllegalArgumentException("at most 256 distinct evaluation points");
        }
        int[][] d = new int[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                d[r][c] = GaloisField.pow(r, c);
            }
        }
        return new Matrix(d);
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    int get(int r, int c) {
        return data[r][c];
    }

    /** A copy of row r. */
    int[] row(int r) {
        return data[r].clone();
    }

    Matrix times(Matrix other) {
        if (cols != other.rows) {
            throw new IllegalArgumentException(
                    "cannot multiply " + rows + "x" + cols + " by " + other.rows + "x" + other.cols);
        }
        int[][] d = new int[rows][other.cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < other.cols; c++) {
                int v = 0;
                for (int i = 0; i < cols; i++) {
                    v ^= GaloisField.mul(data[r][i], other.data[i][c]);
                }
                d[r][c] = v;
            }
        }
        return new Matrix(d, other.cols);
    }

    /** The matrix made of the given rows of this one, in the given order. */
    Matrix selectRows(int... rowIndexes) {
        int[][] d = new int[rowIndexes.length][];
        for (int i = 0; i < rowIndexes.length; i++) {
            d[i] = data[rowIndexes[i]].clone();
        }
        return new Matrix(d, cols);
    }

    /** Rows [from, to) of this matrix. */
    Matrix subRows(int from, int to) {
        return new Matrix(Arrays.copyOfRange(data, from, to), cols).copy();
    }

    /**
     * The inverse, by Gauss-Jordan elimination on [this | I].
     *
     * @throws ArithmeticException if the matrix is singular
     */
    Matrix invert() {
        if (rows != cols) {
            throw new IllegalArgumentException("only square matrices have an inverse");
        }
        int n = rows;
        int[][] a = new int[n][2 * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(data[r], 0, a[r], 0, n);
            a[r][n + r] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && a[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new ArithmeticException("singular matrix");
            }
            int[] swap = a[pivot];
            a[pivot] = a[col];
            a[col] = swap;
            int scale = GaloisField.inv(a[col][col]);
            for (int c = 0; c < 2 * n; c++) {
                a[col][c] = GaloisField.mul(a[col][c], scale);
            }
            for (int r = 0; r < n; r++) {
                int factor = a[r][col];
                if (r != col && factor != 0) {
                    for (int c = 0; c < 2 * n; c++) {
                        a[r][c] ^= GaloisField.mul(factor, a[col][c]);
                    }
                }
            }
        }
        int[][] inv = new int[n][];
        for (int r = 0; r < n; r++) {
            inv[r] = Arrays.copyOfRange(a[r], n, 2 * n);
        }
        return new Matrix(inv);
    }

    private Matrix copy() {
        int[][] d = new int[rows][];
        for (int r = 0; r < rows; r++) {
            d[r] = data[r].clone();
        }
        return new Matrix(d, cols);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Matrix other && cols == other.cols && Arrays.deepEquals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(data);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int[] row : data) {
            for (int c = 0; c < row.length; c++) {
                sb.append(c == 0 ? "" : " ").append(String.format("%02x", row[c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
