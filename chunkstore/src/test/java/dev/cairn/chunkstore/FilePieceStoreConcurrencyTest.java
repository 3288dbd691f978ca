package dev.cairn.chunkstore;

import static dev.cairn.chunkstore.PieceTestData.randomId;
import static dev.cairn.chunkstore.PieceTestData.toArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight threads put, read, re-put and delete a small set of shared ids plus their own. Every read
 * must see one whole version (no torn pieces), and accounting must match the files at the end.
 */
class FilePieceStoreConcurrencyTest {
    private static final int THREADS = 8;
    private static final int OPS = 100;

    @TempDir
    Path dir;

    @Test
    void concurrentPutsReadsAndDeletesStayConsistent() throws Exception {
        Random seed = new Random(99);
        List<PieceId> shared = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            shared.add(randomId(seed));
        }
        AtomicLong reads = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long[] listed = new long[2];
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long threadSeed = seed.nextLong();
                done.add(pool.submit(() -> {
                    work(store, shared, new Random(threadSeed), reads);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertTrue(reads.get() > 0);

            store.forEach(info -> {
                listed[0]++;
                listed[1] += FilePieceStore.fileSize(info.size());
                try {
                    assertTrue(store.verify(info.id()));
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(listed[0], store.pieceCount());
            assertEquals(listed[1], store.usedBytes());
            try (var tmp = Files.list(dir.resolve("tmp"))) {
                assertEquals(0, tmp.count());
            }
        } finally {
            pool.shutdownNow();
        }
        try (FilePieceStore reopened = FilePieceStore.open(dir, 0)) {
            assertEquals(listed[0], reopened.pieceCount());
            assertEquals(listed[1], reopened.usedBytes());
        }
    }

    @Test
    void sameIdRacesKeepOnePieceAndExactAccounting() throws Exception {
        PieceId id = randomId(new Random(5));
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            for (int round = 0; round < 10; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    long version = round * 100L + t;
                    boolean deleter = t == 0 && round % 3 == 2;
                    done.add(pool.submit(() -> {
                        start.await();
                        if (deleter) {
                            store.delete(id);
                        } else {
                            store.put(id, ByteBuffer.wrap(content(id, version)));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
                byte[] got = toArray(store.read(id, 0, Integer.MAX_VALUE));
                assertArrayEquals(content(id, ByteBuffer.wrap(got).getLong()), got);
                assertEquals(1, store.pieceCount());
                assertEquals(FilePieceStore.fileSize(got.length), store.usedBytes());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentPutsNeverCrossCapacity() throws Exception {
        int size = 10_000;
        int fits = 13;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (FilePieceStore store = FilePieceStore.open(dir, fits * FilePieceStore.fileSize(size))) {
            Random random = new Random(11);
            CountDownLatch start = new CountDownLatch(1);
            AtomicInteger full = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                PieceId id = randomId(random);
                done.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.put(id, ByteBuffer.allocate(size));
                    } catch (PieceException.CapacityExceeded e) {
                        full.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertEquals(fits, store.pieceCount());
            assertEquals(40 - fits, full.get());
            assertEquals(store.capacityBytes(), store.usedBytes());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void work(FilePieceStore store, List<PieceId> shared, Random random, AtomicLong reads)
            throws IOException {
        List<PieceId> own = new ArrayList<>();
        for (int op = 0; op < OPS; op++) {
            int dice = random.nextInt(10);
            PieceId id = random.nextBoolean() || own.isEmpty() ? shared.get(random.nextInt(shared.size()))
                    : own.get(random.nextInt(own.size()));
            if (dice < 3) {
                PieceId target = dice == 0 ? randomId(random) : id;
                store.put(target, ByteBuffer.wrap(content(target, random.nextLong())));
                if (dice == 0) {
                    own.add(target);
                }
            } else if (dice < 9) {
                try {
                    byte[] got = toArray(store.read(id, 0, Integer.MAX_VALUE));
                    long version = ByteBuffer.wrap(got).getLong();
                    assertArrayEquals(content(id, version), got, "torn or mixed piece " + id);
                    reads.incrementAndGet();
                } catch (PieceException.NotFound e) {
                    // deleted or not yet written
                }
            } else {
                store.delete(id);
                own.remove(id);
            }
        }
    }

    /** A piece whose first 8 bytes name its version and whose rest (and size) follow from it. */
    private static byte[] content(PieceId id, long version) {
        Random r = new Random(version ^ id.hashCode());
        byte[] b = new byte[8 + r.nextInt(200_000)];
        r.nextBytes(b);
        ByteBuffer.wrap(b).putLong(version);
        return b;
    }
}
