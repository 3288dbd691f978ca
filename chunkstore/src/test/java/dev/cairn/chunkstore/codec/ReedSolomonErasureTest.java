package dev.cairn.chunkstore.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec's defining property: encode random data, erase any set of up to m pieces,
 * rebuild, and every piece equals the original byte for byte. Every erasure set is tried
 * when that is affordable (small pieces), otherwise a deterministic random sample that
 * always includes "first m data pieces lost" and "all parity lost".
 */
class ReedSolomonErasureTest {
    private static final int[][] CONFIGS = {{2, 1}, {3, 2}, {4, 2}, {6, 3}, {8, 4}, {10, 4}};
    private static final int[] PIECE_SIZES = {1, 7, 64 * 1024, 1024 * 1024 + 3};
    /** Above this many bytes decoded per case, sample erasure sets instead of trying all. */
    private static final long EXHAUSTIVE_BYTES = 2L << 30;
    private static final int SAMPLED_SETS = 16;

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int[] config : CONFIGS) {
            for (int size : PIECE_SIZES) {
                cases.add(Arguments.of(config[0], config[1], size));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "RS({0}+{1}) pieces of {2} bytes")
    @MethodSource("cases")
    void anyMErasuresAreRebuilt(int k, int m, int pieceSize) {
        ReedSolomonCodec codec = ReedSolomonCodec.of(k, m);
        Random random = new Random(31L * (k * 31 + m) + pieceSize);
        byte[][] original = new byte[k + m][pieceSize];
        ByteBuffer[] data = new ByteBuffer[k];
        ByteBuffer[] parity = new ByteBuffer[m];
        for (int i = 0; i < k; i++) {
            random.nextBytes(original[i]);
            data[i] = ByteBuffer.wrap(original[i]);
        }
        for (int p = 0; p < m; p++) {
            parity[p] = ByteBuffer.wrap(original[k + p]);
        }
        codec.encode(data, parity);

        byte[][] expectedParity = ReferenceReedSolomon.encode(Arrays.copyOf(original, k), m);
        for (int p = 0; p < m; p++) {
            assertArrayEquals(expectedParity[p], original[k + p], "parity " + p + " vs reference");
        }

        List<int[]> erasures = erasureSets(k + m, m, (long) pieceSize * (k + m), random);
        int mode = 0;
        for (int[] erased : erasures) {
            if (mode++ % 2 == 0) {
                rebuildEverything(codec, original, erased);
            } else {
                rebuildDataOnlyIntoDirectBuffers(codec, original, erased);
            }
        }
    }

    private static void rebuildEverything(ReedSolomonCodec codec, byte[][] original, int[] erased) {
        ByteBuffer[] pieces = new ByteBuffer[original.length];
        for (int i = 0; i < pieces.length; i++) {
            pieces[i] = ByteBuffer.wrap(original[i]).asReadOnlyBuffer();
        }
        for (int e : erased) {
            pieces[e] = null;
        }
        codec.reconstruct(pieces);
        for (int i = 0; i < pieces.length; i++) {
            assertEquals(ByteBuffer.wrap(original[i]), pieces[i],
                    "piece " + i + " after erasing " + Arrays.toString(erased));
        }
    }

    /** The read path: sources at odd offsets in larger arrays, targets only the lost data. */
    private static void rebuildDataOnlyIntoDirectBuffers(ReedSolomonCodec codec, byte[][] original,
            int[] erased) {
        int n = original[0].length;
        int k = codec.dataPieces();
        ByteBuffer[] pieces = new ByteBuffer[original.length];
        boolean[] present = new boolean[original.length];
        Arrays.fill(present, true);
        for (int i = 0; i < pieces.length; i++) {
            byte[] padded = new byte[n + 3 + i];
            System.arraycopy(original[i], 0, padded, 1 + i, n);
            pieces[i] = ByteBuffer.wrap(padded, 1 + i, n);
        }
        for (int e : erased) {
            present[e] = false;
            pieces[e] = e < k ? ByteBuffer.allocateDirect(n) : null;
        }
        codec.decode(pieces, present);
        for (int e : erased) {
            if (e < k) {
                assertEquals(ByteBuffer.wrap(original[e]), pieces[e],
                        "data piece " + e + " after erasing " + Arrays.toString(erased));
            }
        }
    }

    private static List<int[]> erasureSets(int n, int m, long bytesPerDecode, Random random) {
        List<int[]> all = new ArrayList<>();
        for (int size = 1; size <= m; size++) {
            combinations(n, size, 0, new int[size], 0, all);
        }
        if (all.size() * bytesPerDecode <= EXHAUSTIVE_BYTES) {
            return all;
        }
        Set<String> seen = new LinkedHashSet<>();
        List<int[]> sample = new ArrayList<>();
        int[] firstData = new int[m];
        int[] allParity = new int[m];
        for (int i = 0; i < m; i++) {
            firstData[i] = i;
            allParity[i] = n - m + i;
        }
        sample.add(firstData);
        sample.add(allParity);
        while (sample.size() < SAMPLED_SETS) {
            int[] set = all.get(random.nextInt(all.size()));
            if (seen.add(Arrays.toString(set))) {
                sample.add(set);
            }
        }
        return sample;
    }

    private static void combinations(int n, int size, int from, int[] current, int depth,
            List<int[]> out) {
        if (depth == size) {
            out.add(current.clone());
            return;
        }
        for (int i = from; i < n; i++) {
            current[depth] = i;
            combinations(n, size, i + 1, current, depth + 1, out);
        }
    }
}
