package dev.cairn.s3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.RocksMetadataStore;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.e2e.MetricsTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

class StoreMetricsTest {
    @TempDir
    Path dir;
    RocksMetadataStore metadata;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeEach
    void open() {
        metadata = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofMinutes(5));
    }

    @AfterEach
    void close() {
        metadata.close();
        registry.close();
    }

    /** Bucket {@code name} with {@code objects} objects of {@code size} bytes each. */
    private void fill(String name, int objects, int size) {
        metadata.createBucket(new BucketRecord(name, "owner", 1L, "us-east-1"));
        for (int i = 0; i < objects; i++) {
            metadata.putObject(name, "k" + i, new ObjectRecord(size, "e", 1L, Map.of(), Map.of(), null, "STANDARD",
                    new byte[size], List.of(), List.of(), "owner"), List.of(), WriteCondition.NONE);
        }
    }

    private double value(String text, String metric, String bucket) {
        return MetricsTest.sum(text, metric, Map.of("bucket", bucket));
    }

    @Test
    void reportsTheLargestBucketsByNameAndSumsTheRestUnderOther() {
        fill("big", 2, 1000);
        fill("middle", 3, 100);
        fill("small", 1, 10);
        fill("tiny", 4, 1);
        StoreMetrics metrics = new StoreMetrics(registry, metadata, 2);
        metrics.refresh();
        String text = registry.scrape();

        assertEquals(2, value(text, "cairn_bucket_objects", "big"));
        assertEquals(2000, value(text, "cairn_bucket_bytes", "big"));
        assertEquals(2000, value(text, "cairn_bucket_stored_bytes", "big"), "inline bytes are stored as they are");
        assertEquals(14, value(text, "cairn_bucket_stored_bytes", StoreMetrics.OTHER_BUCKETS));
        assertEquals(300, value(text, "cairn_bucket_bytes", "middle"));
        assertEquals(5, value(text, "cairn_bucket_objects", StoreMetrics.OTHER_BUCKETS));
        assertEquals(14, value(text, "cairn_bucket_bytes", StoreMetrics.OTHER_BUCKETS));
        assertTrue(!text.contains("bucket=\"small\"") && !text.contains("bucket=\"tiny\""), text);
    }

    @Test
    void aRefreshFollowsChangesAndDropsBucketsThatFellOutOfTheTop() {
        fill("first", 1, 50);
        StoreMetrics metrics = new StoreMetrics(registry, metadata, 1);
        metrics.refresh();
        assertEquals(50, value(registry.scrape(), "cairn_bucket_bytes", "first"));

        fill("second", 2, 100);
        metrics.refresh();
        String text = registry.scrape();
        assertEquals(200, value(text, "cairn_bucket_bytes", "second"));
        assertEquals(50, value(text, "cairn_bucket_bytes", StoreMetrics.OTHER_BUCKETS));
        assertTrue(!text.contains("bucket=\"first\""), text);
    }

    @Test
    void exportsRocksDbSizesPerColumnFamilyAndRunningCompactions() {
        fill("b", 3, 10);
        new StoreMetrics(registry, metadata, 10).refresh();
        String text = registry.scrape();

        assertTrue(MetricsTest.sum(text, "cairn_rocksdb_estimated_keys", Map.of("cf", "objects")) >= 3, text);
        assertTrue(MetricsTest.sum(text, "cairn_rocksdb_memtables_size_bytes", Map.of("cf", "objects")) > 0, text);
        for (String name : List.of("cairn_rocksdb_live_data_bytes", "cairn_rocksdb_sst_files_size_bytes",
                "cairn_rocksdb_pending_compaction_bytes", "cairn_rocksdb_running_compactions",
                "cairn_rocksdb_running_flushes")) {
            assertTrue(text.contains("# HELP " + name + " "), name + " in\n" + text);
        }
    }
}
