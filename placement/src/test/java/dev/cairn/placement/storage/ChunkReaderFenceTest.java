package dev.cairn.placement.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.chunkstore.ReadFence;
import dev.cairn.chunkstore.codec.ReedSolomonCodec;
import dev.cairn.chunkstore.node.PiecePage;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.metadata.Protection;
import dev.cairn.metadata.RocksMetadataStore;
import dev.cairn.placement.ClusterMap;
import dev.cairn.placement.MembershipSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An erasure-coded read into the caller's buffer whose data piece is late: the hedge rebuilds the
 * range from other pieces and the read completes, and the straggler - still streaming its piece
 * into the same buffer through its fence - can never write into it again, even after the buffer
 * was reused for other bytes. Six in-memory nodes, RS 4+2, a real metadata store for the repair
 * records.
 */
class ChunkReaderFenceTest {
    private static final int PIECE = 64 * 1024;
    private static final Protection RS = Protection.erasure(4, 2);

    private ExecutorService worker;
    private RocksMetadataStore metadata;
    private final List<MemoryNode> clients = new ArrayList<>();
    private ChunkReader reader;
    private ChunkRecord chunk;
    private byte[] data;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        worker = Executors.newFixedThreadPool(4);
        metadata = RocksMetadataStore.open(dir.resolve("meta"), Clock.systemUTC(), Duration.ofHours(1));
        data = new byte[4 * PIECE];
        new Random(7).nextBytes(data);
        ReedSolomonCodec codec = ReedSolomonCodec.of(4, 2);
        ByteBuffer[] pieces = new ByteBuffer[6];
        System.arraycopy(codec.split(ByteBuffer.wrap(data)), 0, pieces, 0, 4);
        pieces[4] = ByteBuffer.allocate(PIECE);
        pieces[5] = ByteBuffer.allocate(PIECE);
        codec.encode(Arrays.copyOfRange(pieces, 0, 4), Arrays.copyOfRange(pieces, 4, 6));
        byte[] id = new byte[PieceId.CHUNK_ID_LENGTH];
        new Random(8).nextBytes(id);
        Map<String, ChunkStoreClient> locals = new LinkedHashMap<>();
        List<PieceLocation> locations = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            MemoryNode n = new MemoryNode("n" + i, pieces[i], worker);
            clients.add(n);
            locals.put(n.nodeId(), n);
            locations.add(new PieceLocation(i, n.nodeId(), PIECE, 0));
        }
        chunk = new ChunkRecord(ChunkId.of(id), data.length, RS, locations);
        ClusterMap map = new ClusterMap(metadata, Clock.systemUTC(),
                MembershipSettings.of(Duration.ofSeconds(5), Duration.ofSeconds(15)));
        StorageNodes nodes = new StorageNodes(map, locals, n -> null, ProtectionPolicy.fixed(RS));
        reader = new ChunkReader(nodes, new RepairReporter(metadata, worker, Clock.systemUTC(), new SimpleMeterRegistry()),
                worker, 100);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        clients.forEach(MemoryNode::release);
        worker.shutdown();
        assertTrue(worker.awaitTermination(10, TimeUnit.SECONDS), "reads and repair records finished");
        metadata.close();
    }

    @Test
    void healthyReadsLandInTheCallersBufferStraightFromThePieces() throws Exception {
        ByteBuffer dst = ByteBuffer.allocateDirect(3 * PIECE);
        dst.position(1000).limit(1000 + 2 * PIECE + 5);
        reader.readInto(chunk, PIECE - 7, dst).get(10, TimeUnit.SECONDS);
        assertEquals(1000, dst.position());
        assertArrayEquals(Arrays.copyOfRange(data, PIECE - 7, 3 * PIECE - 2), bytes(dst, 1000, 2 * PIECE + 5));
        assertEquals(0, clients.get(4).reads + clients.get(5).reads, "no parity read: nothing decoded");
    }

    @Test
    void aLateDataPieceIsRebuiltAndItsStreamCannotWriteIntoTheReusedBuffer() throws Exception {
        MemoryNode late = clients.get(1);
        late.trickle(); // sends 1 KiB of its piece every 10 ms: 640 ms, far slower than the 100 ms hedge
        ByteBuffer dst = ByteBuffer.allocateDirect(4 * PIECE);
        reader.readInto(chunk, 0, dst).get(10, TimeUnit.SECONDS); // the whole chunk: pieces 0-3
        assertArrayEquals(data, bytes(dst, 0, 4 * PIECE), "the hedge rebuilt piece 1");
        assertTrue(late.written > 0 && late.written < PIECE, "the straggler had written part of its piece: "
                + late.written);

        byte[] other = new byte[4 * PIECE];
        Arrays.fill(other, (byte) 0x5A);
        dst.duplicate().clear().put(other); // the buffer is reused for another segment
        late.awaitEnd();
        assertTrue(late.refused, "the straggler's next write was refused by its fence");
        assertArrayEquals(other, bytes(dst, 0, 4 * PIECE), "nothing written after the read completed");
    }

    @Test
    void aRangeInsideOneLatePieceToo() throws Exception {
        MemoryNode late = clients.get(2);
        late.trickle();
        ByteBuffer dst = ByteBuffer.allocateDirect(PIECE);
        dst.limit(PIECE - 100);
        reader.readInto(chunk, 2L * PIECE + 50, dst).get(10, TimeUnit.SECONDS);
        assertArrayEquals(Arrays.copyOfRange(data, 2 * PIECE + 50, 3 * PIECE - 50), bytes(dst, 0, PIECE - 100));
        byte[] other = new byte[PIECE];
        Arrays.fill(other, (byte) 0x33);
        dst.clear().put(other);
        late.awaitEnd();
        assertTrue(late.refused);
        assertArrayEquals(other, bytes(dst, 0, PIECE));
    }

    @Test
    void aDataPieceThatFailsIsRebuiltAndNoFenceStaysOpen() throws Exception {
        clients.get(3).failReads = true;
        ByteBuffer dst = ByteBuffer.allocateDirect(4 * PIECE);
        reader.readInto(chunk, 0, dst).get(10, TimeUnit.SECONDS);
        assertArrayEquals(data, bytes(dst, 0, 4 * PIECE));
        for (int i = 0; i < 4; i++) {
            assertFalse(clients.get(i).openFences(), "node " + i + " may still write");
        }
    }

    private static byte[] bytes(ByteBuffer b, int from, int length) {
        byte[] out = new byte[length];
        b.duplicate().clear().position(from).get(out);
        return out;
    }

    /** A node holding one piece in memory; its reads can trickle in slowly, or fail. */
    private static final class MemoryNode implements ChunkStoreClient {
        private final String id;
        private final ByteBuffer piece;
        private final ExecutorService worker;
        private final List<ReadFence> fences = new ArrayList<>();
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile boolean trickle;
        private volatile boolean stop;
        volatile boolean failReads;
        volatile int reads;
        volatile int written;
        volatile boolean refused;

        MemoryNode(String id, ByteBuffer piece, ExecutorService worker) {
            this.id = id;
            this.piece = piece;
            this.worker = worker;
        }

        void trickle() {
            trickle = true;
        }

        void release() {
            stop = true;
        }

        void awaitEnd() throws InterruptedException {
            assertTrue(ended.await(10, TimeUnit.SECONDS), "the straggler ended");
        }

        synchronized boolean openFences() {
            return fences.stream().anyMatch(f -> !f.isShut());
        }

        @Override
        public String nodeId() {
            return id;
        }

        @Override
        public CompletableFuture<Integer> readInto(PieceId pid, long offset, ByteBuffer dst, ReadFence fence) {
            reads++;
            synchronized (this) {
                fences.add(fence);
            }
            if (failReads) {
                fence.shut();
                return CompletableFuture.failedFuture(new PieceException.Unavailable(id + " fails (test)", null));
            }
            int at = dst.position();
            int n = Math.min(dst.remaining(), piece.remaining() - (int) offset);
            ByteBuffer src = piece.duplicate().position((int) offset).limit((int) offset + n);
            if (!trickle) {
                return CompletableFuture.supplyAsync(() -> {
                    boolean copied = fence.copy(src, dst, at);
                    fence.shut();
                    if (!copied) {
                        throw new ReadFence.GivenUp();
                    }
                    return n;
                }, worker);
            }
            return CompletableFuture.supplyAsync(() -> {
                try {
                    for (int done = 0; done < n && !stop; done += 1024) {
                        int len = Math.min(1024, n - done);
                        if (!fence.copy(src.duplicate().position(src.position() + done).limit(src.position() + done + len),
                                dst, at + done)) {
                            refused = true;
                            throw new ReadFence.GivenUp();
                        }
                        written = done + len;
                        Thread.sleep(10);
                    }
                    return n;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } finally {
                    fence.shut();
                    ended.countDown();
                }
            }, worker);
        }

        @Override
        public CompletableFuture<ByteBuffer> get(PieceId pid, long offset, int length) {
            reads++;
            if (failReads) {
                return CompletableFuture.failedFuture(new PieceException.Unavailable(id + " fails (test)", null));
            }
            int n = Math.min(length, piece.remaining() - (int) offset);
            ByteBuffer copy = ByteBuffer.allocate(n);
            copy.put(piece.duplicate().position((int) offset).limit((int) offset + n)).flip();
            return CompletableFuture.completedFuture(copy);
        }

        @Override
        public CompletableFuture<PieceInfo> put(PieceId pid, ByteBuffer d) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<PieceInfo> head(PieceId pid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<PieceInfo> verify(PieceId pid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Boolean> delete(PieceId pid) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<PiecePage> list(PieceId after, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }
}
