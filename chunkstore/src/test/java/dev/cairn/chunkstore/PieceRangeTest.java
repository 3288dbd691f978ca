package dev.cairn.chunkstore;

import static dev.cairn.chunkstore.PieceTestData.randomBytes;
import static dev.cairn.chunkstore.PieceTestData.randomId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified piece ranges sent by the kernel: exactly the data bytes of the range (no block
 * checksum between them), from any position (a socket that takes part of a range at a time),
 * never a range with a damaged block, and the bytes verified even when the piece is replaced or
 * deleted before the send.
 */
class PieceRangeTest {
    private static final int BLOCK = PieceFileFormat.BLOCK_SIZE;
    private static final int SIZE = 4 * BLOCK + 1234; // five blocks, the last one short

    @TempDir
    Path dir;

    private final Random random = new Random(11);
    private FilePieceStore store;
    private PieceId id;
    private byte[] data;

    @BeforeEach
    void setUp() throws IOException {
        store = FilePieceStore.open(dir, 0);
        id = randomId(random);
        data = randomBytes(random, SIZE);
        store.put(id, ByteBuffer.wrap(data));
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void aRangeHoldsExactlyItsDataBytesWhereverItStartsAndEnds() throws IOException {
        long[][] ranges = {{0, SIZE}, {0, BLOCK}, {BLOCK - 6, 20}, {100, 3 * BLOCK}, {BLOCK, 2 * BLOCK},
                {SIZE - 10, 100}, {SIZE, 10}, {5, 0}};
        for (long[] r : ranges) {
            int from = (int) r[0];
            int to = (int) Math.min(SIZE, r[0] + r[1]);
            try (PieceRange range = store.openRange(id, r[0], (int) r[1])) {
                assertEquals(to - from, range.length(), Arrays.toString(r));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                WritableByteChannel sink = Channels.newChannel(out);
                long pos = 0;
                while (pos < range.length()) {
                    pos += range.transferTo(pos, sink);
                }
                assertArrayEquals(Arrays.copyOfRange(data, from, to), out.toByteArray(), Arrays.toString(r));
            }
        }
    }

    @Test
    void aSocketThatTakesPartOfARangeAtATimeGetsItWhole() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = smallWindowClient(server);
             SocketChannel sender = server.accept();
             PieceRange range = store.openRange(id, 1000, SIZE)) {
            sender.setOption(StandardSocketOptions.SO_SNDBUF, 8192);
            sender.configureBlocking(false);
            client.configureBlocking(false);
            ByteBuffer got = ByteBuffer.allocate(range.length());
            ByteBuffer scratch = ByteBuffer.allocate(4096);
            long pos = 0;
            int partial = 0;
            while (got.hasRemaining()) {
                if (pos < range.length()) {
                    long n = range.transferTo(pos, sender);
                    pos += n;
                    if (pos < range.length()) {
                        partial++;
                    }
                }
                scratch.clear().limit(Math.min(scratch.capacity(), got.remaining()));
                if (client.read(scratch) > 0) {
                    got.put(scratch.flip());
                }
            }
            assertTrue(partial > 0, "the socket took the range in parts");
            assertArrayEquals(Arrays.copyOfRange(data, 1000, SIZE), got.array());
        }
    }

    @Test
    void aRangeOverADamagedBlockDoesNotOpenAndOneBesideItDoes() throws IOException {
        Path file = store.pathOf(id);
        long at = PieceFileFormat.HEADER_SIZE + 2L * (BLOCK + PieceFileFormat.CRC_SIZE) + 77; // block 2
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x04);
        }
        assertThrows(PieceException.Corrupt.class, () -> store.openRange(id, 0, SIZE));
        assertThrows(PieceException.Corrupt.class, () -> store.openRange(id, 2L * BLOCK + 76, 2));
        try (PieceRange ok = store.openRange(id, 0, 2 * BLOCK)) {
            assertEquals(2 * BLOCK, ok.length());
        }
        try (PieceRange ok = store.openRange(id, 3L * BLOCK, SIZE)) {
            assertEquals(SIZE - 3 * BLOCK, ok.length());
        }
        assertThrows(PieceException.NotFound.class, () -> store.openRange(randomId(random), 0, 10));
    }

    @Test
    void aPieceReplacedOrDeletedAfterTheRangeOpenedIsSentAsVerified() throws IOException {
        PieceRange replaced = store.openRange(id, 0, SIZE);
        store.put(id, ByteBuffer.wrap(randomBytes(random, SIZE)));
        PieceRange deleted = store.openRange(id, 0, SIZE);
        byte[] second = store.read(id, 0, SIZE).array();
        assertTrue(store.delete(id));
        assertFalse(Files.exists(store.pathOf(id)));
        try (replaced; deleted) {
            assertArrayEquals(data, sendAll(replaced), "the first file, as verified");
            assertArrayEquals(second, sendAll(deleted), "the second file, deleted since");
        }
    }

    /** A client whose small receive window keeps most of a range waiting in the sender. */
    private static SocketChannel smallWindowClient(ServerSocketChannel server) throws IOException {
        SocketChannel client = SocketChannel.open();
        client.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        client.connect(server.getLocalAddress());
        return client;
    }

    private static byte[] sendAll(PieceRange range) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel sink = Channels.newChannel(out);
        long pos = 0;
        while (pos < range.length()) {
            pos += range.transferTo(pos, sink);
        }
        return out.toByteArray();
    }
}
