package dev.cairn.chunkstore.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReedSolomonCodecTest {
    private static final int[][] CONFIGS = {{1, 1}, {2, 1}, {3, 2}, {4, 2}, {6, 3}, {8, 4},
        {10, 4}, {16, 8}, {200, 55}};

    @Test
    void instancesAreCachedAndParametersValidated() {
        assertSame(ReedSolomonCodec.of(4, 2), ReedSolomonCodec.of(4, 2));
        assertEquals(6, ReedSolomonCodec.of(4, 2).totalPieces());
        assertThrows(IllegalArgumentException.class, () -> ReedSolomonCodec.of(0, 2));
        assertThrows(IllegalArgumentException.class, () -> ReedSolomonCodec.of(4, 0));
        assertThrows(IllegalArgumentException.class, () -> ReedSolomonCodec.of(200, 56));
    }

    @Test
    void encodingMatrixIsSystematicAndMatchesLagrangeReference() {
        for (int[] config : CONFIGS) {
            int k = config[0];
            int m = config[1];
            Matrix e = ReedSolomonCodec.of(k, m).encodingMatrix();
            assertEquals(k + m, e.rows());
            assertEquals(Matrix.identity(k), e.subRows(0, k), "top of RS(" + k + "+" + m + ")");
            if (k <= 16) {
                for (int p = 0; p < m; p++) {
                    for (int c = 0; c < k; c++) {
                        assertEquals(ReferenceReedSolomon.parityCoefficient(k, p, c), e.get(k + p, c));
                    }
                }
            }
        }
    }

    @Test
    void pieceSizeRoundsUp() {
        ReedSolomonCodec codec = ReedSolomonCodec.of(4, 2);
        assertEquals(0, codec.pieceSize(0));
        assertEquals(1, codec.pieceSize(1));
        assertEquals(1, codec.pieceSize(4));
        assertEquals(2, codec.pieceSize(5));
        assertEquals(1 << 20, codec.pieceSize(4 << 20));
        assertEquals(699_051, ReedSolomonCodec.of(6, 3).pieceSize(4 << 20));
        assertThrows(IllegalArgumentException.class, () -> codec.pieceSize(-1));
        assertThrows(IllegalArgumentException.class, () -> codec.pieceSize(1L << 40));
    }

    /** The 5+5 vector from Backblaze JavaReedSolomon's tests: same matrix construction. */
    @Test
    void knownAnswerFromBackblazeJavaReedSolomon() {
        byte[][] data = {{0, 1}, {4, 5}, {2, 3}, {6, 7}, {8, 9}};
        byte[][] parity = encode(ReedSolomonCodec.of(5, 5), data);
        assertArrayEquals(new byte[][] {{12, 13}, {10, 11}, {14, 15}, {90, 91}, {94, 95}}, parity);
    }

    /**
     * Pinned vectors (the stored format must never change): data piece c, byte i holds
     * (c + 1)(i^2 + 3i + 7) mod 256; the expected parity was computed once with
     * {@link ReferenceReedSolomon}.
     */
    @Test
    void knownAnswersPinnedFromReference() {
        assertPinned(4, 2, new String[] {
            "234261fd5f0274304753a3f9dba1fc68344eb1",
            "2a3fd7ce1dee2bff81c6e025763f9bb2ade42a"});
        assertPinned(6, 3, new String[] {
            "318d7aa2ef499b16a3252f4d7d5b635e01e797",
            "38e80d4d12f8c05dc2a8902aa8c2001d789210",
            "4f0c6924f8f7afae4f30a24a516e09934d0361"});
    }

    private static void assertPinned(int k, int m, String[] hex) {
        byte[][] data = new byte[k][19];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < 19; i++) {
                data[c][i] = (byte) ((c + 1) * (i * i + 3 * i + 7));
            }
        }
        byte[][] reference = ReferenceReedSolomon.encode(data, m);
        byte[][] actual = encode(ReedSolomonCodec.of(k, m), data);
        for (int p = 0; p < m; p++) {
            assertEquals(hex[p], HexFormat.of().formatHex(reference[p]), "reference parity " + p);
            assertEquals(hex[p], HexFormat.of().formatHex(actual[p]), "codec parity " + p);
        }
    }

    @Test
    void encodeRespectsPositionsLimitsAndBufferKinds() {
        ReedSolomonCodec codec = ReedSolomonCodec.of(4, 2);
        Random random = new Random(5);
        int n = 10_000 + 5;
        byte[][] data = new byte[4][n];
        for (byte[] d : data) {
            random.nextBytes(d);
        }
        byte[][] expected = encode(codec, data);

        ByteBuffer[] in = new ByteBuffer[4];
        for (int c = 0; c < 4; c++) {
            ByteBuffer holder = c % 2 == 0 ? ByteBuffer.allocate(n + 40) : ByteBuffer.allocateDirect(n + 40);
            holder.position(3 + c).put(data[c]).position(3 + c).limit(3 + c + n);
            in[c] = c == 3 ? holder.asReadOnlyBuffer() : holder;
        }
        ByteBuffer[] out = {ByteBuffer.allocate(n + 20).position(7).limit(7 + n),
            ByteBuffer.allocateDirect(n + 20).position(11).limit(11 + n)};
        byte[] sentinel = new byte[20];
        Arrays.fill(sentinel, (byte) 0x5A);
        out[0].put(0, sentinel, 0, 7);
        codec.encode(in, out);
        for (int c = 0; c < 4; c++) {
            assertEquals(3 + c, in[c].position());
            assertEquals(3 + c + n, in[c].limit());
        }
        for (int p = 0; p < 2; p++) {
            assertEquals(ByteBuffer.wrap(expected[p]), out[p], "parity " + p);
        }
        assertEquals(7, out[0].position());
        byte[] before = new byte[7];
        out[0].get(0, before);
        assertArrayEquals(Arrays.copyOf(sentinel, 7), before, "bytes before position untouched");
    }

    @Test
    void rejectsMismatchedBuffers() {
        ReedSolomonCodec codec = ReedSolomonCodec.of(3, 2);
        ByteBuffer[] data = {ByteBuffer.allocate(8), ByteBuffer.allocate(8), ByteBuffer.allocate(9)};
        ByteBuffer[] parity = {ByteBuffer.allocate(8), ByteBuffer.allocate(8)};
        assertThrows(IllegalArgumentException.class, () -> codec.encode(data, parity));
        data[2] = ByteBuffer.allocate(8);
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(data, new ByteBuffer[] {ByteBuffer.allocate(8), ByteBuffer.allocate(7)}));
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(data, new ByteBuffer[] {ByteBuffer.allocate(8)}));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(data,
                new ByteBuffer[] {ByteBuffer.allocate(8), ByteBuffer.allocate(8).asReadOnlyBuffer()}));
        ByteBuffer[] pieces = {ByteBuffer.allocate(8), ByteBuffer.allocate(9), null, null, ByteBuffer.allocate(8)};
        assertThrows(IllegalArgumentException.class, () -> codec.reconstruct(pieces));
    }

    @Test
    void fewerThanKPiecesIsAnError() {
        ReedSolomonCodec codec = ReedSolomonCodec.of(4, 2);
        byte[][] data = new byte[4][16];
        byte[][] parity = encode(codec, data);
        ByteBuffer[] pieces = {ByteBuffer.wrap(data[0]), null, null, null,
            ByteBuffer.wrap(parity[0]), ByteBuffer.wrap(parity[1])};
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> codec.reconstruct(pieces));
        assertTrue(e.getMessage().contains("only 3 present"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> codec.reconstruct(new ByteBuffer[6]));
        assertThrows(IllegalArgumentException.class, () -> codec.reconstruct(new ByteBuffer[5]));
    }

    @Test
    void nothingMissingIsANoOpAndDecodePlansAreBounded() {
        ReedSolomonCodec codec = ReedSolomonCodec.of(10, 4);
        ByteBuffer[] pieces = new ByteBuffer[14];
        for (int i = 0; i < 14; i++) {
            pieces[i] = ByteBuffer.allocate(3);
        }
        codec.reconstruct(pieces.clone());
        Random random = new Random(9);
        for (int trial = 0; trial < 300; trial++) {
            ByteBuffer[] erased = pieces.clone();
            random.ints(0, 14).distinct().limit(4).forEach(i -> erased[i] = null);
            codec.reconstruct(erased);
        }
        assertTrue(codec.cachedDecodePlans() <= 64, "cache size " + codec.cachedDecodePlans());
    }

    @Test
    void splitAndJoinRoundTripForSizesNotDivisibleByK() {
        Random random = new Random(13);
        for (int k : new int[] {1, 2, 3, 4, 6, 10}) {
            ReedSolomonCodec codec = ReedSolomonCodec.of(k, 2);
            for (int size : new int[] {0, 1, 2, k - 1, k + 1, 2 * k + 1, 4099, 1_000_003}) {
                if (size < 0) {
                    continue;
                }
                byte[] chunk = new byte[size + 10];
                random.nextBytes(chunk);
                ByteBuffer source = ByteBuffer.wrap(chunk, 4, size);
                ByteBuffer[] pieces = codec.split(source);
                int pieceSize = codec.pieceSize(size);
                assertEquals(k, pieces.length);
                assertEquals(4, source.position(), "split leaves the chunk alone");
                for (int i = 0; i < k; i++) {
                    assertEquals(0, pieces[i].position());
                    assertEquals(pieceSize, pieces[i].remaining());
                }
                for (int j = size; j < pieceSize * k; j++) {
                    assertEquals(0, pieces[j / pieceSize].get(j % pieceSize), "zero padding");
                }
                ByteBuffer out = ByteBuffer.allocate(size + 5).position(2);
                codec.join(pieces, size, out);
                assertEquals(2 + size, out.position(), "join advances the output");
                assertEquals(ByteBuffer.wrap(chunk, 4, size), out.flip().position(2),
                        "k=" + k + " size=" + size);
            }
        }
    }

    @Test
    void splitEncodeLoseJoinOnADirectChunk() {
        ReedSolomonCodec codec = ReedSolomonCodec.of(6, 3);
        byte[] bytes = new byte[100_001];
        new Random(17).nextBytes(bytes);
        ByteBuffer chunk = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        ByteBuffer[] data = codec.split(chunk);
        ByteBuffer[] pieces = new ByteBuffer[9];
        System.arraycopy(data, 0, pieces, 0, 6);
        for (int p = 0; p < 3; p++) {
            pieces[6 + p] = ByteBuffer.allocate(codec.pieceSize(bytes.length));
        }
        codec.encode(data, Arrays.copyOfRange(pieces, 6, 9));
        pieces[0] = null;
        pieces[4] = null;
        pieces[5] = null;
        codec.reconstruct(pieces);
        ByteBuffer out = ByteBuffer.allocate(bytes.length);
        codec.join(Arrays.copyOf(pieces, 6), bytes.length, out);
        assertArrayEquals(bytes, out.array());
    }

    @Test
    void joinValidatesItsArguments() {
        ReedSolomonCodec codec = ReedSolomonCodec.of(2, 1);
        ByteBuffer[] pieces = {ByteBuffer.allocate(3), ByteBuffer.allocate(3)};
        assertThrows(IllegalArgumentException.class, () -> codec.join(pieces, 5, ByteBuffer.allocate(4)));
        assertThrows(IllegalArgumentException.class, () -> codec.join(pieces, 7, ByteBuffer.allocate(7)));
    }

    static byte[][] encode(ReedSolomonCodec codec, byte[][] data) {
        ByteBuffer[] in = new ByteBuffer[data.length];
        for (int i = 0; i < data.length; i++) {
            in[i] = ByteBuffer.wrap(data[i]);
        }
        byte[][] parity = new byte[codec.parityPieces()][data[0].length];
        ByteBuffer[] out = new ByteBuffer[parity.length];
        for (int i = 0; i < parity.length; i++) {
            out[i] = ByteBuffer.wrap(parity[i]);
        }
        codec.encode(in, out);
        return parity;
    }
}
