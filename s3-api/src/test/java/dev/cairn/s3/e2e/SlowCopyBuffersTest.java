package dev.cairn.s3.e2e;

import dev.cairn.s3.data.IngestBudget;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Upload chunk buffers are reused, so a buffer must not go back to the pool while any piece write
 * still reads it: a copy that lands late (within the straggler grace, so the chunk records it) is
 * written from the chunk's own bytes even while other uploads fill buffers. Read back from that
 * copy alone, every object is whole.
 */
class SlowCopyBuffersTest {
    private static final int UPLOADS = 4;
    private static final int CHUNKS = 12;

    @Test
    void aCopyWrittenLateHoldsTheChunksOwnBytes() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(3, "3copies", FaultyCluster.movers(Duration.ofHours(1), true))) {
            c.s3.createBucket(b -> b.bucket("slow"));
            long reservedBefore = IngestBudget.shared().reserved();
            c.node("local-2").slow(Duration.ofMillis(200));
            List<byte[]> objects = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                objects.add(FaultyCluster.random(CHUNKS * FaultyCluster.CHUNK + i, i));
            }
            ExecutorService clients = Executors.newFixedThreadPool(UPLOADS);
            try {
                List<Future<?>> puts = new ArrayList<>();
                for (int i = 0; i < UPLOADS; i++) {
                    int n = i;
                    puts.add(clients.submit(() -> c.s3.putObject(b -> b.bucket("slow").key("k" + n),
                            RequestBody.fromBytes(objects.get(n)))));
                }
                for (Future<?> p : puts) {
                    p.get();
                }
            } finally {
                clients.shutdownNow();
            }
            c.node("local-2").heal();
            c.node("local-0").down(true);
            c.node("local-1").down(true);
            for (int i = 0; i < UPLOADS; i++) {
                int n = i;
                assertArrayEquals(objects.get(n), c.s3.getObjectAsBytes(b -> b.bucket("slow").key("k" + n))
                        .asByteArray(), "object " + n + " read from the late copy");
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (IngestBudget.shared().reserved() != reservedBefore && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(reservedBefore, IngestBudget.shared().reserved(), "bytes still held in upload buffers");
        }
    }
}
