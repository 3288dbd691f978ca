package dev.cairn.s3.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.RocksMetadataStore;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.xml.LifecycleDocuments;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The worker on a real store: it acts only while it leads (standby otherwise) and never faster
 * than its rate, and it waits while the worker pool is backlogged.
 */
class LifecycleWorkerTest {
    private static final int OBJECTS = 10;

    @TempDir
    Path dir;

    private static void await(String fact, BooleanSupplier check) throws InterruptedException {
        long until = System.currentTimeMillis() + 30_000;
        while (!check.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < until, "timed out waiting until " + fact);
            Thread.sleep(20);
        }
    }

    @Test
    void aFollowerStandsByAndTheLeaderExpiresAtItsPace() throws Exception {
        try (RocksMetadataStore store = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofMinutes(5), 0)) {
            store.createBucket(new BucketRecord("b", "owner", 0, "us-east-1"));
            for (int i = 0; i < OBJECTS; i++) {
                store.putObject("b", "old/" + i, new ObjectRecord(1, "e", 1000, Map.of(), Map.of(), null, "STANDARD",
                        new byte[] {1}, List.of(), List.of(), "owner"), List.of(), WriteCondition.NONE);
            }
            store.putBucketConfig("b", LifecycleConfiguration.CONFIG_KIND, LifecycleDocuments.write(
                    new LifecycleConfiguration(List.of(new LifecycleRule("old", true, new LifecycleFilter("old/",
                            Map.of(), null, null), false, 1, null, false, null, null, null)))));

            AtomicBoolean leads = new AtomicBoolean(false);
            AtomicBoolean backlogged = new AtomicBoolean(false);
            try (LifecycleWorker worker = new LifecycleWorker(store, LifecycleSettings.of(2, 5), Clock.systemUTC(),
                    backlogged::get, new SimpleMeterRegistry())) {
                worker.leadership(leads::get);
                worker.start();
                await("standby", () -> worker.status().state() == LifecycleWorker.State.STANDBY);
                Thread.sleep(600); // a couple of pass intervals
                assertEquals(0, worker.status().passes());
                assertEquals(OBJECTS, store.bucketUsage("b").objects(), "a follower removes nothing");

                backlogged.set(true);
                leads.set(true);
                worker.runNow();
                await("a pass under way", () -> worker.status().state() == LifecycleWorker.State.SCANNING);
                Thread.sleep(1000);
                assertEquals(OBJECTS, store.bucketUsage("b").objects(), "nothing while clients come first");
                backlogged.set(false);

                long started = System.nanoTime();
                await("every old object expired", () -> store.bucketUsage("b").objects() == 0);
                long tookMillis = (System.nanoTime() - started) / 1_000_000;
                // 10 actions at 5 a second: after the backlog wait two go at once, then one every 200 ms
                assertTrue(tookMillis >= 1400, "paced: " + tookMillis + " ms");
                await("the pass is over", () -> worker.status().passes() >= 1);
                assertEquals(OBJECTS, worker.status().totals().get(LifecycleTally.Count.OBJECTS_EXPIRED));
            }
        }
    }
}
