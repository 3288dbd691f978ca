package dev.cairn.chunkstore;

import static dev.cairn.chunkstore.FilePieceStoreTest.assertRange;
import static dev.cairn.chunkstore.PieceTestData.randomBytes;
import static dev.cairn.chunkstore.PieceTestData.randomId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged piece files: every read that touches a damaged block fails, every other read works. */
class FilePieceStoreCorruptionTest {
    private static final int BLOCK = PieceFileFormat.BLOCK_SIZE;
    private static final int STRIDE = BLOCK + PieceFileFormat.CRC_SIZE;
    private static final int HEADER = PieceFileFormat.HEADER_SIZE;
    private static final int SIZE = 3 * BLOCK + 1000; // four blocks, the last one short
    private static final int BLOCKS = 4;

    @TempDir
    Path dir;

    private final Random random = new Random(7);
    private FilePieceStore store;
    private PieceId id;
    private byte[] data;
    private Path file;
    private byte[] pristine;

    @BeforeEach
    void setUp() throws IOException {
        store = FilePieceStore.open(dir, 0);
        id = randomId(random);
        data = randomBytes(random, SIZE);
        store.put(id, ByteBuffer.wrap(data));
        file = store.pathOf(id);
        pristine = Files.readAllBytes(file);
        assertEquals(FilePieceStore.fileSize(SIZE), pristine.length);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void flippedDataOrChecksumByteFailsOnlyItsBlock() throws IOException {
        TreeSet<Integer> positions = new TreeSet<>();
        for (int b = 0; b < BLOCKS; b++) {
            int start = HEADER + b * STRIDE;
            int len = Math.min(BLOCK, SIZE - b * BLOCK);
            positions.add(start);                  // first data byte
            positions.add(start + len / 2);
            positions.add(start + len - 1);        // last data byte
            for (int c = 0; c < 4; c++) {
                positions.add(start + len + c);    // every byte of the block's CRC
            }
        }
        while (positions.size() < 28 + 40) {
            positions.add(HEADER + random.nextInt(pristine.length - HEADER));
        }
        for (int pos : positions) {
            int bad = (pos - HEADER) / STRIDE;
            flip(pos, 1 << random.nextInt(8));
            String where = "flip at " + pos + " (block " + bad + ")";

            assertThrows(PieceException.Corrupt.class, () -> store.read(id, (long) bad * BLOCK, BLOCK), where);
            assertThrows(PieceException.Corrupt.class, () -> store.read(id, (long) bad * BLOCK + 5, 1), where);
            assertThrows(PieceException.Corrupt.class, () -> store.read(id, 0, SIZE), where);
            // the streaming path: whole blocks straight into a direct buffer, cut blocks through the window
            assertThrows(PieceException.Corrupt.class, () -> readInto((long) bad * BLOCK, BLOCK), where);
            assertThrows(PieceException.Corrupt.class, () -> readInto((long) bad * BLOCK + 5, 1), where);
            assertThrows(PieceException.Corrupt.class, () -> readInto(0, SIZE), where);
            assertThrows(PieceException.Corrupt.class, () -> readInto(Math.max(0, (long) bad * BLOCK - 7), 2 * BLOCK), where);
            for (int b = 0; b < BLOCKS; b++) {
                if (b != bad) {
                    assertRange(store, id, data, (long) b * BLOCK, BLOCK);
                    assertRange(store, id, data, (long) b * BLOCK + 3, 10);
                    int len = Math.min(BLOCK, SIZE - b * BLOCK);
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, b * BLOCK, b * BLOCK + len),
                            readInto((long) b * BLOCK, len), where + ", block " + b);
                }
            }
            if (bad > 0) {
                assertRange(store, id, data, 0, bad * BLOCK); // everything before the bad block
            }
            assertFalse(store.verify(id), where);
            assertEquals(SIZE, store.head(id).size(), "header is intact");
            restore();
        }
        assertTrue(store.verify(id));
    }

    @Test
    void flippedHeaderByteIsCorrupt() throws IOException {
        for (int pos = 0; pos < HEADER; pos++) {
            flip(pos, 0x10);
            String where = "header byte " + pos;
            assertThrows(PieceException.Corrupt.class, () -> store.head(id), where);
            assertThrows(PieceException.Corrupt.class, () -> store.read(id, 0, 1), where);
            assertFalse(store.verify(id), where);
            List<PieceInfo> listed = new ArrayList<>();
            store.forEach(listed::add);
            assertEquals(List.of(), listed, "unreadable pieces are skipped by forEach");
            restore();
        }
        assertTrue(store.verify(id));
    }

    @Test
    void swappedBlocksPassBlockChecksButFailVerify() throws IOException {
        byte[] swapped = pristine.clone();
        System.arraycopy(pristine, HEADER + STRIDE, swapped, HEADER, STRIDE);
        System.arraycopy(pristine, HEADER, swapped, HEADER + STRIDE, STRIDE);
        Files.write(file, swapped);
        assertFalse(store.verify(id));
    }

    @Test
    void wrongFileSizeIsCorrupt() throws IOException {
        for (long len : new long[] {pristine.length - 1, pristine.length - 4, HEADER + 10, HEADER, 10, 0,
                pristine.length + 1}) {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(len);
            }
            String where = "length " + len;
            assertThrows(PieceException.Corrupt.class, () -> store.read(id, 0, 1), where);
            assertThrows(PieceException.Corrupt.class, () -> store.head(id), where);
            assertFalse(store.verify(id), where);
            restore();
        }
        assertTrue(store.verify(id));
    }

    /** Reads through {@link PieceStore#readInto} into a direct buffer, as a GET does. */
    private byte[] readInto(long offset, int length) throws IOException {
        ByteBuffer dst = ByteBuffer.allocateDirect(length);
        int n = store.readInto(id, offset, dst);
        byte[] out = new byte[n];
        dst.flip().get(out);
        return out;
    }

    private void flip(int pos, int mask) throws IOException {
        byte[] bytes = pristine.clone();
        bytes[pos] ^= (byte) mask;
        Files.write(file, bytes);
    }

    private void restore() throws IOException {
        Files.write(file, pristine);
    }
}
