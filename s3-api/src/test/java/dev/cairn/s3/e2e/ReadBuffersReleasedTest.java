package dev.cairn.s3.e2e;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.chunkstore.node.PiecePage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.cairn.s3.e2e.S3Asserts.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A finished GET keeps none of the piece buffers it read: they are garbage as soon as the bytes
 * went out, well before the read's hedge timer (2 s) fires. RebalanceIT's read-back of four
 * 32 MiB objects at once ran a 512 MiB heap out of memory when the hedge task held every
 * finished erasure-coded segment until it fired.
 */
class ReadBuffersReleasedTest {
    private static final int CHUNK = 256 * 1024;

    /** Passes every call through, keeping a weak reference to each piece buffer a read returned. */
    private record Tracking(ChunkStoreClient inner, Queue<WeakReference<ByteBuffer>> read) implements ChunkStoreClient {
        @Override
        public String nodeId() {
            return inner.nodeId();
        }

        @Override
        public CompletableFuture<PieceInfo> put(PieceId id, ByteBuffer data) {
            return inner.put(id, data);
        }

        @Override
        public CompletableFuture<ByteBuffer> get(PieceId id, long offset, int length) {
            return inner.get(id, offset, length).thenApply(b -> {
                read.add(new WeakReference<>(b));
                return b;
            });
        }

        @Override
        public CompletableFuture<PieceInfo> head(PieceId id) {
            return inner.head(id);
        }

        @Override
        public CompletableFuture<PieceInfo> verify(PieceId id) {
            return inner.verify(id);
        }

        @Override
        public CompletableFuture<Boolean> delete(PieceId id) {
            return inner.delete(id);
        }

        @Override
        public CompletableFuture<PiecePage> list(PieceId after, int limit) {
            return inner.list(after, limit);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aFinishedErasureCodedGetKeepsNoPieceBufferUntilItsHedgeFires() throws Exception {
        Queue<WeakReference<ByteBuffer>> read = new ConcurrentLinkedQueue<>();
        try (TestServer server = TestServer.start(
                c -> c.withChunkSize(CHUNK).withChunkstores(6, List.of()).withProtection("rs4+2"),
                inner -> new Tracking(inner, read));
             S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket("held"));
            byte[] data = randomBytes(8 * CHUNK, 11);
            s3.putObject(b -> b.bucket("held").key("k"), RequestBody.fromBytes(data));
            read.clear();
            long start = System.nanoTime();
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("held").key("k")).asByteArray());
            assertTrue(read.size() >= 8, "the GET read pieces: " + read.size());
            long held = read.size();
            while (held > 0 && System.nanoTime() - start < 1_500_000_000L) { // the hedge fires at 2 s
                System.gc();
                Thread.sleep(50);
                held = read.stream().filter(r -> r.get() != null).count();
            }
            assertEquals(0, held, "piece buffers still reachable "
                    + (System.nanoTime() - start) / 1_000_000 + " ms after the GET started");
        }
    }
}
