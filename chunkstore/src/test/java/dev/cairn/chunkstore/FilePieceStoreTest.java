package dev.cairn.chunkstore;

import static dev.cairn.chunkstore.PieceTestData.crc32c;
import static dev.cairn.chunkstore.PieceTestData.randomBytes;
import static dev.cairn.chunkstore.PieceTestData.randomId;
import static dev.cairn.chunkstore.PieceTestData.toArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilePieceStoreTest {
    private static final int BLOCK = PieceFileFormat.BLOCK_SIZE;

    @TempDir
    Path dir;

    private final Random random = new Random(42);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535, 65536, 65537, 4 * 1024 * 1024 + 3})
    void roundTripsWithRandomRanges(int size) throws IOException {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            PieceId id = randomId(random);
            byte[] data = randomBytes(random, size);
            PieceInfo info = store.put(id, ByteBuffer.wrap(data));
            assertEquals(new PieceInfo(id, size, crc32c(data)), info);
            assertEquals(info, store.head(id));
            assertEquals(FilePieceStore.fileSize(size), Files.size(store.pathOf(id)));
            assertEquals(FilePieceStore.fileSize(size), store.usedBytes());
            assertEquals(1, store.pieceCount());

            assertArrayEquals(data, toArray(store.read(id, 0, size)));
            assertArrayEquals(data, toArray(store.read(id, 0, Integer.MAX_VALUE)));
            assertEquals(0, store.read(id, size, 10).remaining());
            assertEquals(0, store.read(id, size + 1_000_000L, 10).remaining());
            assertEquals(0, store.read(id, 0, 0).remaining());
            for (int i = 0; i < 300; i++) {
                long offset = random.nextInt(size + 10);
                int length = i % 3 == 0 ? random.nextInt(100) : random.nextInt(size + 10);
                assertRange(store, id, data, offset, length);
            }
            if (size > 0) {
                // ranges that start and end exactly on block boundaries, and straddle them
                for (long b = 0; b * BLOCK < size; b++) {
                    assertRange(store, id, data, b * BLOCK, BLOCK);
                    assertRange(store, id, data, Math.max(0, b * BLOCK - 1), 2);
                }
            }
            assertTrue(store.verify(id));
        }
    }

    @Test
    void putTakesDirectAndOffsetBuffersWithoutMovingThem() throws IOException {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            byte[] data = randomBytes(random, 3 * BLOCK + 17);
            ByteBuffer direct = ByteBuffer.allocateDirect(data.length + 10);
            direct.position(5);
            direct.put(data).flip().position(5);
            PieceId a = randomId(random);
            store.put(a, direct);
            assertEquals(5, direct.position());
            assertEquals(data.length + 5, direct.limit());
            assertArrayEquals(data, toArray(store.read(a, 0, data.length)));

            ByteBuffer sliced = ByteBuffer.wrap(data, 100, 70_000).asReadOnlyBuffer();
            PieceId b = randomId(random);
            assertEquals(70_000, store.put(b, sliced).size());
            assertEquals(100, sliced.position());
            assertArrayEquals(Arrays.copyOfRange(data, 100, 70_100), toArray(store.read(b, 0, 70_000)));
        }
    }

    /**
     * The streaming read gives exactly what {@code read} gives, for aligned and cut ranges, runs
     * longer than one scattering read, ranges clamped at the end, into direct and heap buffers,
     * at a buffer position other than 0; it moves the position by the bytes read.
     */
    @Test
    void readIntoMatchesReadForEveryKindOfRange() throws IOException {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            int size = 70 * BLOCK + 123; // more blocks than one scattering read takes
            byte[] data = randomBytes(random, size);
            PieceId id = randomId(random);
            store.put(id, ByteBuffer.wrap(data));
            long[][] ranges = {{0, size}, {0, BLOCK}, {BLOCK, 3 * BLOCK}, {5, BLOCK}, {BLOCK - 1, 2},
                    {3, 69 * BLOCK}, {BLOCK, 66 * BLOCK + 9}, {size - 10, 10}, {size - 10, 100}, {size - 123, 123},
                    {7 * BLOCK + 1, 1}, {size, 5}, {size + 9, 5}, {0, 0}};
            for (long[] r : ranges) {
                for (boolean direct : new boolean[] {true, false}) {
                    int len = (int) r[1];
                    ByteBuffer dst = direct ? ByteBuffer.allocateDirect(len + 8) : ByteBuffer.allocate(len + 8);
                    dst.position(3).limit(3 + len);
                    int n = store.readInto(id, r[0], dst);
                    int want = (int) Math.max(0, Math.min(len, size - r[0]));
                    String where = "range " + r[0] + "+" + len + (direct ? " direct" : " heap");
                    assertEquals(want, n, where);
                    assertEquals(3 + n, dst.position(), where);
                    byte[] got = new byte[n];
                    dst.position(3);
                    dst.get(got);
                    assertArrayEquals(toArray(store.read(id, r[0], len)), got, where);
                }
            }
            assertThrows(PieceException.NotFound.class, () -> store.readInto(randomId(random), 0, ByteBuffer.allocate(1)));
            assertThrows(IllegalArgumentException.class, () -> store.readInto(id, -1, ByteBuffer.allocate(1)));
        }
    }

    @Test
    void rejectsNegativeRanges() throws IOException {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            PieceId id = randomId(random);
            store.put(id, ByteBuffer.wrap(new byte[10]));
            assertThrows(IllegalArgumentException.class, () -> store.read(id, -1, 1));
            assertThrows(IllegalArgumentException.class, () -> store.read(id, 0, -1));
        }
    }

    @Test
    void missingPieceIsNotFound() throws IOException {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            PieceId id = randomId(random);
            assertThrows(PieceException.NotFound.class, () -> store.read(id, 0, 1));
            assertThrows(PieceException.NotFound.class, () -> store.head(id));
            assertThrows(PieceException.NotFound.class, () -> store.verify(id));
            assertFalse(store.delete(id));
        }
    }

    @Test
    void deleteRemovesAndAccounts() throws IOException {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            PieceId id = randomId(random);
            store.put(id, ByteBuffer.wrap(randomBytes(random, 1000)));
            assertTrue(store.delete(id));
            assertFalse(Files.exists(store.pathOf(id)));
            assertEquals(0, store.usedBytes());
            assertEquals(0, store.pieceCount());
            assertThrows(PieceException.NotFound.class, () -> store.read(id, 0, 1));
            assertFalse(store.delete(id));
        }
    }

    @Test
    void capacityIsEnforcedAndReplacementCountsFreedSpace() throws IOException {
        long cap = 2 * FilePieceStore.fileSize(1000);
        try (FilePieceStore store = FilePieceStore.open(dir, cap)) {
            assertEquals(cap, store.capacityBytes());
            PieceId a = randomId(random);
            PieceId b = randomId(random);
            store.put(a, ByteBuffer.wrap(randomBytes(random, 1000)));
            store.put(b, ByteBuffer.wrap(randomBytes(random, 1000)));
            assertEquals(cap, store.usedBytes());

            PieceId c = randomId(random);
            assertThrows(PieceException.CapacityExceeded.class, () -> store.put(c, ByteBuffer.wrap(new byte[1])));
            assertThrows(PieceException.CapacityExceeded.class, () -> store.put(c, ByteBuffer.allocate(0)));
            assertThrows(PieceException.NotFound.class, () -> store.head(c));
            assertEquals(cap, store.usedBytes());
            assertEquals(2, store.pieceCount());
            assertTmpEmpty();

            byte[] same = randomBytes(random, 1000);
            store.put(a, ByteBuffer.wrap(same)); // same size: fits because the old file is freed
            assertArrayEquals(same, toArray(store.read(a, 0, 1000)));
            assertEquals(cap, store.usedBytes());
            assertThrows(PieceException.CapacityExceeded.class, () -> store.put(a, ByteBuffer.wrap(new byte[1001])));
            assertArrayEquals(same, toArray(store.read(a, 0, 1000)), "failed put must leave the old piece");

            store.put(a, ByteBuffer.wrap(new byte[500]));
            assertEquals(FilePieceStore.fileSize(1000) + FilePieceStore.fileSize(500), store.usedBytes());
            assertEquals(2, store.pieceCount());
            store.delete(b);
            assertEquals(FilePieceStore.fileSize(500), store.usedBytes());
            store.put(c, ByteBuffer.wrap(new byte[1000]));
            assertEquals(FilePieceStore.fileSize(500) + FilePieceStore.fileSize(1000), store.usedBytes());
            assertEquals(2, store.pieceCount());
            assertTmpEmpty();
        }
    }

    @Test
    void reopenRecomputesUsageAndKeepsData() throws IOException {
        Map<PieceId, byte[]> stored = new HashMap<>();
        long used;
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            for (int i = 0; i < 12; i++) {
                PieceId id = randomId(random);
                byte[] data = randomBytes(random, random.nextInt(3 * BLOCK));
                store.put(id, ByteBuffer.wrap(data));
                stored.put(id, data);
            }
            PieceId gone = stored.keySet().iterator().next();
            store.delete(gone);
            stored.remove(gone);
            used = store.usedBytes();
            assertEquals(stored.values().stream().mapToLong(d -> FilePieceStore.fileSize(d.length)).sum(), used);
        }
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            assertEquals(used, store.usedBytes());
            assertEquals(stored.size(), store.pieceCount());
            for (Map.Entry<PieceId, byte[]> e : stored.entrySet()) {
                assertArrayEquals(e.getValue(), toArray(store.read(e.getKey(), 0, Integer.MAX_VALUE)));
            }
        }
    }

    @Test
    void forEachListsEveryPieceAndSkipsStrangers() throws IOException {
        Map<PieceId, PieceInfo> expected = new HashMap<>();
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            for (int i = 0; i < 25; i++) {
                PieceId id = randomId(random);
                expected.put(id, store.put(id, ByteBuffer.wrap(randomBytes(random, random.nextInt(2 * BLOCK)))));
            }
            Path leaf = store.pathOf(expected.keySet().iterator().next()).getParent();
            Files.write(leaf.resolve("not-a-piece"), new byte[] {1});
            Files.write(leaf.resolve(randomId(random) + ".bak"), new byte[] {1});
            Files.write(dir.resolve("pieces").resolve("stray"), new byte[] {1});
            // a valid piece file in the wrong fan-out directory is not reachable and not listed
            Path misplacedDir = Files.createDirectories(dir.resolve("pieces/zz/zz"));
            PieceId other = randomId(random);
            Files.copy(store.pathOf(expected.keySet().iterator().next()), misplacedDir.resolve(other.toString()));

            Map<PieceId, PieceInfo> listed = new HashMap<>();
            store.forEach(info -> listed.put(info.id(), info));
            assertEquals(expected, listed);
        }
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            assertEquals(expected.size(), store.pieceCount());
            assertEquals(expected.values().stream().mapToLong(p -> FilePieceStore.fileSize(p.size())).sum(),
                    store.usedBytes());
        }
    }

    @Test
    void openEmptiesTmp() throws IOException {
        PieceId id = randomId(random);
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            store.put(id, ByteBuffer.wrap(new byte[10]));
        }
        Files.write(dir.resolve("tmp").resolve(id + ".1.tmp"), new byte[1000]);
        Files.write(dir.resolve("tmp").resolve("junk"), new byte[10]);
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            assertTmpEmpty();
            assertEquals(1, store.pieceCount());
            assertEquals(FilePieceStore.fileSize(10), store.usedBytes());
        }
    }

    @Test
    void oneStorePerDirectory() throws IOException {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            assertThrows(IOException.class, () -> FilePieceStore.open(dir, 0));
            assertEquals(0, store.pieceCount());
        }
        FilePieceStore again = FilePieceStore.open(dir, 0);
        again.close();
        again.close(); // idempotent
        assertThrows(PieceException.Unavailable.class, () -> again.head(randomId(random)));
    }

    @Test
    void layoutFansOutByChunkIdBytes() throws IOException {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            PieceId id = PieceId.parse("abcdef0123456789abcdef0123456789.7");
            store.put(id, ByteBuffer.wrap(new byte[3]));
            assertTrue(Files.isRegularFile(dir.resolve("pieces/ab/cd/abcdef0123456789abcdef0123456789.7")));
            byte[] file = Files.readAllBytes(store.pathOf(id));
            assertEquals("CRNP", new String(file, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(1, file[4]);
            assertEquals(BLOCK, ByteBuffer.wrap(file).getInt(8));
            assertEquals(3, ByteBuffer.wrap(file).getLong(12));
        }
    }

    private void assertTmpEmpty() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("tmp"))) {
            List<Path> left = new ArrayList<>(s.toList());
            assertEquals(List.of(), left);
        }
    }

    static void assertRange(PieceStore store, PieceId id, byte[] data, long offset, int length) throws IOException {
        byte[] got = toArray(store.read(id, offset, length));
        int from = (int) Math.min(offset, data.length);
        int to = (int) Math.min(data.length, offset + length);
        assertArrayEquals(Arrays.copyOfRange(data, from, to), got, "range " + offset + "+" + length);
    }
}
