package dev.cairn.chunkstore;

import static dev.cairn.chunkstore.PieceTestData.randomBytes;
import static dev.cairn.chunkstore.PieceTestData.randomId;
import static dev.cairn.chunkstore.PieceTestData.toArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalChunkStoreClientTest {
    private static final String WORKER = "cairn-test-worker";

    @TempDir
    Path dir;

    private final Random random = new Random(3);
    private final AtomicInteger executed = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, WORKER));

    @AfterEach
    void tearDown() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void callsRunOnTheExecutor() throws Exception {
        Set<String> storeThreads = ConcurrentHashMap.newKeySet();
        PieceStore store = new ThreadRecordingStore(FilePieceStore.open(dir, 0), storeThreads);
        try (LocalChunkStoreClient client = new LocalChunkStoreClient(store, "node-1", this::countingExecute)) {
            assertEquals("node-1", client.nodeId());
            PieceId id = randomId(random);
            byte[] data = randomBytes(random, 100_000);
            ByteBuffer buf = ByteBuffer.wrap(data);

            PieceInfo info = client.put(id, buf).get(10, TimeUnit.SECONDS);
            assertEquals(0, buf.position(), "caller's buffer is not moved");
            assertEquals(data.length, info.size());
            assertEquals(info, client.head(id).get(10, TimeUnit.SECONDS));
            assertArrayEquals(Arrays.copyOfRange(data, 10, 70_010),
                    toArray(client.get(id, 10, 70_000).get(10, TimeUnit.SECONDS)));
            assertTrue(client.delete(id).get(10, TimeUnit.SECONDS));
            assertFalse(client.delete(id).get(10, TimeUnit.SECONDS));

            assertEquals(5, executed.get());
            assertEquals(Set.of(WORKER), storeThreads);
        }
    }

    @Test
    void notFoundPropagatesUnwrapped() throws Exception {
        try (LocalChunkStoreClient client = new LocalChunkStoreClient(FilePieceStore.open(dir, 0), "n", pool)) {
            PieceId id = randomId(random);
            CompletableFuture<ByteBuffer> get = client.get(id, 0, 10);
            ExecutionException e = assertThrows(ExecutionException.class, () -> get.get(10, TimeUnit.SECONDS));
            assertInstanceOf(PieceException.NotFound.class, e.getCause());
            Throwable direct = get.handle((v, t) -> t).get();
            assertInstanceOf(PieceException.NotFound.class, direct, "completed with the exception itself");
            Throwable head = client.head(id).handle((v, t) -> t).get(10, TimeUnit.SECONDS);
            assertInstanceOf(PieceException.NotFound.class, head);
        }
    }

    @Test
    void rejectedCallFailsAsUnavailable() throws Exception {
        Executor rejecting = r -> {
            throw new RejectedExecutionException("full");
        };
        try (LocalChunkStoreClient client = new LocalChunkStoreClient(FilePieceStore.open(dir, 0), "n", rejecting)) {
            Throwable t = client.head(randomId(random)).handle((v, e) -> e).get();
            assertInstanceOf(PieceException.Unavailable.class, t);
        }
    }

    @Test
    void closeClosesTheStore() throws Exception {
        FilePieceStore store = FilePieceStore.open(dir, 0);
        new LocalChunkStoreClient(store, "n", pool).close();
        assertThrows(PieceException.Unavailable.class, () -> store.head(randomId(random)));
        FilePieceStore.open(dir, 0).close(); // the directory lock was released
    }

    private void countingExecute(Runnable task) {
        executed.incrementAndGet();
        pool.execute(task);
    }

    /** Records which threads the store is called on. */
    private static final class ThreadRecordingStore implements PieceStore {
        private final PieceStore delegate;
        private final Set<String> threads;

        ThreadRecordingStore(PieceStore delegate, Set<String> threads) {
            this.delegate = delegate;
            this.threads = threads;
        }

        private void record() {
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public PieceInfo put(PieceId id, ByteBuffer data) throws IOException {
            record();
            return delegate.put(id, data);
        }

        @Override
        public ByteBuffer read(PieceId id, long offset, int length) throws IOException {
            record();
            return delegate.read(id, offset, length);
        }

        @Override
        public PieceInfo head(PieceId id) throws IOException {
            record();
            return delegate.head(id);
        }

        @Override
        public boolean delete(PieceId id) throws IOException {
            record();
            return delegate.delete(id);
        }

        @Override
        public void forEach(Consumer<PieceInfo> sink) throws IOException {
            delegate.forEach(sink);
        }

        @Override
        public boolean verify(PieceId id) throws IOException {
            return delegate.verify(id);
        }

        @Override
        public long capacityBytes() {
            return delegate.capacityBytes();
        }

        @Override
        public long usedBytes() {
            return delegate.usedBytes();
        }

        @Override
        public long pieceCount() {
            return delegate.pieceCount();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
