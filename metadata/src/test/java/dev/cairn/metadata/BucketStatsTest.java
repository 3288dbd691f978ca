package dev.cairn.metadata;

import static dev.cairn.metadata.Fixtures.bucket;
import static dev.cairn.metadata.Fixtures.inlineObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

class BucketStatsTest {
    private static final Duration GRACE = Duration.ofMinutes(10);

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(1_700_000_000_000L);
    RocksMetadataStore store;

    @BeforeEach
    void open() {
        store = RocksMetadataStore.open(dir, clock, GRACE);
        store.createBucket(bucket("alpha"));
        store.createBucket(bucket("beta"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void put(String b, String key, int size) {
        store.putObject(b, key, inlineObject("e", new byte[size]), List.of(), WriteCondition.NONE);
    }

    private Map<String, BucketUsage> usage() {
        return store.bucketUsage().stream().collect(Collectors.toMap(BucketUsage::bucket, u -> u));
    }

    @Test
    void countsObjectsAndBytesPerBucketThroughPutReplaceAndDelete() {
        for (int i = 0; i < 50; i++) {
            put("alpha", "k" + i, 10);
        }
        put("beta", "only", 7);
        put("alpha", "k0", 110); // replaces a 10-byte object
        store.deleteObject("alpha", "k1", WriteCondition.NONE);
        store.deleteObject("alpha", "absent", WriteCondition.NONE);

        assertEquals(new BucketUsage("alpha", 49, 48 * 10 + 110), usage().get("alpha"));
        assertEquals(new BucketUsage("beta", 1, 7), usage().get("beta"));
    }

    @Test
    void bucketTotalsSurviveReopenAndEmptiedBucketsDisappear() {
        put("alpha", "a", 3);
        put("alpha", "b", 4);
        put("beta", "c", 5);
        store.deleteObject("beta", "c", WriteCondition.NONE);
        store.deleteBucket("beta");
        store.close();
        store = RocksMetadataStore.open(dir, clock, GRACE);

        assertEquals(Map.of("alpha", new BucketUsage("alpha", 2, 7)), usage());
    }

    @Test
    void rowsAreBuiltFromObjectsForAStoreWrittenBeforeBucketStats() throws Exception {
        for (int i = 0; i < 20; i++) {
            put(i % 2 == 0 ? "alpha" : "beta", "k" + i, i);
        }
        Map<String, BucketUsage> before = usage();
        store.close();
        try (RocksHandles h = RocksHandles.open(dir, false); WriteBatch wipe = new WriteBatch();
             RocksIterator it = h.db.newIterator(h.bucketStats)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                wipe.delete(h.bucketStats, it.key());
            }
            wipe.delete(h.meta, MetadataSchema.BUCKET_STATS_BUILT_KEY);
            h.db.write(h.synced, wipe);
        }
        store = RocksMetadataStore.open(dir, clock, GRACE);

        assertEquals(before, usage());
        put("alpha", "k0", 100); // the rebuilt rows are the ones later writes update
        assertEquals(before.get("alpha").bytes() + 100, usage().get("alpha").bytes());
    }

    @Test
    void engineReportsSizesAndKeyEstimatesPerColumnFamily() {
        put("alpha", "a", 3);
        List<EngineProperty> props = store.engineProperties();
        EngineProperty keys = props.stream()
                .filter(p -> p.columnFamily().equals("objects") && p.name().equals("estimate-num-keys"))
                .findFirst().orElseThrow();
        assertTrue(keys.value() >= 1, "objects keys: " + keys);
        assertTrue(props.stream().anyMatch(p -> p.name().equals("num-running-compactions")
                && p.columnFamily().isEmpty()), "db-wide compactions: " + props);
        assertTrue(props.stream().anyMatch(p -> p.name().equals("cur-size-all-mem-tables") && p.value() > 0),
                "memtables hold the write: " + props);
    }
}
