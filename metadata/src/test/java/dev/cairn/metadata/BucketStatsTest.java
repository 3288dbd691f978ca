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

        assertEquals(new BucketUsage("alpha", 49, 48 * 10 + 110, 48 * 10 + 110), usage().get("alpha"));
        assertEquals(new BucketUsage("beta", 1, 7, 7), usage().get("beta"));
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

        assertEquals(Map.of("alpha", new BucketUsage("alpha", 2, 7, 7)), usage());
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

    /** An object of {@code n} 4 MiB chunks stored at {@code stored} bytes each (compressed, or sealed). */
    private ObjectRecord compressed(String b, String key, int n, long stored) {
        List<ChunkRecord> records = new java.util.ArrayList<>();
        List<ChunkRef> refs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            ChunkRecord c = Fixtures.chunk(ChunkId.random(), stored);
            records.add(c);
            refs.add(new ChunkRef(c.id(), 4 << 20)); // a chunk ref holds the original size
        }
        ObjectRecord o = new ObjectRecord(n * (4L << 20), "e", 1_700_000_000_002L, Map.of(), Map.of(), null,
                "STANDARD", null, refs, List.of(), "owner-1");
        store.putObject(b, key, o, records, WriteCondition.NONE);
        return o;
    }

    @Test
    void storedBytesFollowTheChunkRecordsThroughPutReplaceVersionsAndDelete() {
        compressed("alpha", "text", 3, 1000); // compressible: 12 MiB stored in 3000 bytes
        compressed("alpha", "random", 2, 4 << 20); // incompressible: stored as it is
        put("alpha", "small", 10);
        assertEquals(new BucketUsage("alpha", 3, 5 * (4L << 20) + 10, 3000 + 2 * (4L << 20) + 10), usage().get("alpha"));

        compressed("alpha", "text", 1, 500); // replaces: the old chunks no longer count
        assertEquals(500 + 2 * (4L << 20) + 10, usage().get("alpha").storedBytes());

        store.commitAndWait(new MetaCommand.SetBucketVersioning("beta", BucketRecord.Versioning.ENABLED));
        compressed("beta", "v", 1, 100);
        compressed("beta", "v", 1, 200); // the first version stays, noncurrent: both count
        assertEquals(new BucketUsage("beta", 2, 2 * (4L << 20), 300), usage().get("beta"));

        store.deleteObject("alpha", "random", WriteCondition.NONE);
        assertEquals(new BucketUsage("alpha", 2, (4L << 20) + 10, 500 + 10), usage().get("alpha"));
    }

    @Test
    void storedBytesCountACompletedMultipartUploadFromItsPartsChunks() {
        UploadRecord u = Fixtures.upload("alpha", "mp");
        store.createUpload(u);
        ChunkRecord c1 = Fixtures.chunk(ChunkId.random(), 700);
        ChunkRecord c2 = Fixtures.chunk(ChunkId.random(), 300);
        PartRecord p1 = new PartRecord(1, 4 << 20, "e1", 1_700_000_000_004L, null, List.of(new ChunkRef(c1.id(), 4 << 20)));
        PartRecord p2 = new PartRecord(2, 4 << 20, "e2", 1_700_000_000_004L, null, List.of(new ChunkRef(c2.id(), 4 << 20)));
        store.putPart("alpha", "mp", u.uploadId(), p1, List.of(c1));
        store.putPart("alpha", "mp", u.uploadId(), p2, List.of(c2));
        assertEquals(null, usage().get("alpha"), "parts are not objects yet");
        ObjectRecord o = new ObjectRecord(8L << 20, "e-2", 1_700_000_000_005L, Map.of(), Map.of(), null, "STANDARD", null,
                List.of(new ChunkRef(c1.id(), 4 << 20), new ChunkRef(c2.id(), 4 << 20)), List.of(), "owner-1");
        store.completeUpload("alpha", "mp", u.uploadId(), List.of(1, 2), o, WriteCondition.NONE, new byte[] {1});
        assertEquals(new BucketUsage("alpha", 1, 8L << 20, 1000), usage().get("alpha"));
    }

    @Test
    void storedBytesAreBuiltOnceForAStoreWhoseRowsPredateThem() throws Exception {
        compressed("alpha", "text", 2, 1000);
        put("alpha", "small", 10);
        store.commitAndWait(new MetaCommand.SetBucketVersioning("beta", BucketRecord.Versioning.ENABLED));
        compressed("beta", "v", 1, 100);
        compressed("beta", "v", 1, 200);
        store.commitAndWait(new MetaCommand.DeleteKey("beta", "v", WriteCondition.NONE,
                ObjectRecord.deleteMarker(1_700_000_000_009L, "owner-1", null), 0)); // a marker: not counted
        Map<String, BucketUsage> before = usage();
        assertEquals(2010, before.get("alpha").storedBytes());
        assertEquals(300, before.get("beta").storedBytes());
        store.close();
        // the rows as the previous build wrote them: v1 (objects and logical bytes), no stored-bytes marker
        try (RocksHandles h = RocksHandles.open(dir, false); WriteBatch old = new WriteBatch();
             RocksIterator it = h.db.newIterator(h.bucketStats)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                long[] row = RecordCodec.decodeBucketStats(it.value());
                old.put(h.bucketStats, it.key(), RecordCodec.encodeStats(row[0], row[1]));
            }
            old.delete(h.meta, MetadataSchema.BUCKET_STORED_BUILT_KEY);
            h.db.write(h.synced, old);
        }
        store = RocksMetadataStore.open(dir, clock, GRACE);
        assertEquals(before, usage());
        compressed("alpha", "more", 1, 5);
        assertEquals(2015, usage().get("alpha").storedBytes(), "later writes update the rebuilt rows");
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
