package dev.cairn.metadata;

import static dev.cairn.metadata.Fixtures.assertSameObject;
import static dev.cairn.metadata.Fixtures.bucket;
import static dev.cairn.metadata.Fixtures.chunkedObject;
import static dev.cairn.metadata.Fixtures.chunks;
import static dev.cairn.metadata.Fixtures.inlineObject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

class RocksMetadataStoreTest {
    private static final Duration GRACE = Duration.ofMinutes(10);

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(1_700_000_000_000L);
    RocksMetadataStore store;

    @BeforeEach
    void open() {
        store = RocksMetadataStore.open(dir, clock, GRACE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = RocksMetadataStore.open(dir, clock, GRACE);
    }

    private static Set<ChunkId> ids(List<ChunkRecord> chunks) {
        return chunks.stream().map(ChunkRecord::id).collect(Collectors.toSet());
    }

    private Set<ChunkId> dueNow() {
        return ids(store.dueGarbage(clock.millis(), 1000));
    }

    // ---- buckets ----

    @Test
    void bucketCrud() {
        store.createBucket(bucket("b2"));
        store.createBucket(bucket("b1"));
        store.createBucket(bucket("b1-x"));
        assertEquals(List.of("b1", "b1-x", "b2"), store.listBuckets().stream().map(BucketRecord::name).toList());
        assertEquals(Optional.of(bucket("b1")), store.getBucket("b1"));
        assertEquals(Optional.empty(), store.getBucket("nope"));
        assertEquals(3, store.stats().buckets());

        BucketRecord other = new BucketRecord("b1", "someone-else", 1, "eu-west-1");
        var e = assertThrows(MetadataException.BucketAlreadyExists.class, () -> store.createBucket(other));
        assertEquals(bucket("b1"), e.existing());

        store.deleteBucket("b1");
        assertEquals(Optional.empty(), store.getBucket("b1"));
        assertThrows(MetadataException.NoSuchBucket.class, () -> store.deleteBucket("b1"));
        assertEquals(2, store.stats().buckets());
    }

    @Test
    void bucketPagesFollowPrefixRegionAndStartAfter() {
        for (String name : List.of("a", "b-1", "b-2", "b-3", "c")) {
            store.createBucket(bucket(name));
        }
        store.createBucket(new BucketRecord("b-eu", "owner-1", 1, "eu-west-1"));
        assertEquals(List.of("a", "b-1"), names(store.listBuckets("", null, null, 2)));
        assertEquals(List.of("b-2", "b-3"), names(store.listBuckets("", null, "b-1", 2)));
        assertEquals(List.of("b-1", "b-2", "b-3", "b-eu"), names(store.listBuckets("b-", null, null, 10)));
        assertEquals(List.of("b-3", "b-eu"), names(store.listBuckets("b-", null, "b-2", 10)));
        assertEquals(List.of("b-1", "b-2"), names(store.listBuckets("b-", null, "a", 2)), "a marker before the prefix");
        assertEquals(List.of(), names(store.listBuckets("b-", null, "b-zzz", 10)));
        assertEquals(List.of("b-eu"), names(store.listBuckets(null, "eu-west-1", null, 10)));
        assertEquals(List.of("a", "b-1", "b-2", "b-3", "c"), names(store.listBuckets(null, "us-east-1", null, 10)));
    }

    private static List<String> names(List<BucketRecord> buckets) {
        return buckets.stream().map(BucketRecord::name).toList();
    }

    @Test
    void bucketConfigsAreKeptPerKindAndGoWithTheBucket() {
        store.createBucket(bucket("b"));
        store.createBucket(bucket("b-x"));
        assertEquals(Optional.empty(), store.getBucketConfig("b", "cors"));
        store.putBucketConfig("b", "cors", new byte[] {1, 2, 3});
        store.putBucketConfig("b", "tagging", new byte[] {4});
        store.putBucketConfig("b-x", "cors", new byte[] {9});
        assertArrayEquals(new byte[] {1, 2, 3}, store.getBucketConfig("b", "cors").orElseThrow());
        store.putBucketConfig("b", "cors", new byte[0]);
        assertArrayEquals(new byte[0], store.getBucketConfig("b", "cors").orElseThrow());
        store.putBucketConfig("b", "tagging", null);
        assertEquals(Optional.empty(), store.getBucketConfig("b", "tagging"));
        assertThrows(MetadataException.NoSuchBucket.class, () -> store.putBucketConfig("nope", "cors", new byte[1]));
        assertThrows(MetadataException.NoSuchBucket.class, () -> store.getBucketConfig("nope", "cors"));

        store.deleteBucket("b");
        store.createBucket(bucket("b"));
        assertEquals(Optional.empty(), store.getBucketConfig("b", "cors"));
        assertArrayEquals(new byte[] {9}, store.getBucketConfig("b-x", "cors").orElseThrow());
    }

    @Test
    void deleteBucketRefusesWhenObjectsRemainAndAbortsUploads() {
        store.createBucket(bucket("b"));
        store.createBucket(bucket("b-neighbour"));
        store.putObject("b-neighbour", "x", inlineObject("e", new byte[1]), List.of(), WriteCondition.NONE);
        store.putObject("b", "k", inlineObject("e", new byte[1]), List.of(), WriteCondition.NONE);
        assertThrows(MetadataException.BucketNotEmpty.class, () -> store.deleteBucket("b"));

        UploadRecord u = Fixtures.upload("b", "big");
        store.createUpload(u);
        List<ChunkRecord> partChunks = chunks(2);
        store.putPart("b", "big", u.uploadId(), Fixtures.part(1, partChunks), partChunks);
        store.deleteObject("b", "k", WriteCondition.NONE);
        store.deleteBucket("b");

        assertEquals(Optional.empty(), store.getUpload("b", "big", u.uploadId()));
        assertEquals(List.of(), store.allParts(u.uploadId()));
        clock.advance(GRACE);
        assertTrue(dueNow().containsAll(ids(partChunks)));
        assertTrue(store.getBucket("b-neighbour").isPresent());
        assertThrows(MetadataException.NoSuchBucket.class,
                () -> store.putObject("b", "k", inlineObject("e", new byte[0]), List.of(), WriteCondition.NONE));
        assertThrows(MetadataException.NoSuchBucket.class, () -> store.createUpload(Fixtures.upload("b", "x")));
    }

    // ---- objects and garbage ----

    @Test
    void putObjectReturnsReplacedAndQueuesItsChunksAfterTheGrace() {
        store.createBucket(bucket("b"));
        List<ChunkRecord> first = chunks(3);
        assertEquals(Optional.empty(),
                store.putObject("b", "k", chunkedObject("e1", first), first, WriteCondition.NONE));
        assertEquals(List.of(Optional.of(first.get(0)), Optional.of(first.get(1)), Optional.of(first.get(2))),
                store.getChunks(first.stream().map(ChunkRecord::id).toList()));

        List<ChunkRecord> second = chunks(1);
        Optional<ObjectRecord> replaced = store.putObject("b", "k", chunkedObject("e2", second), second,
                WriteCondition.NONE);
        assertSameObject(chunkedObject("e1", first), replaced.orElseThrow());
        assertSameObject(chunkedObject("e2", second), store.getObject("b", "k").orElseThrow());

        assertEquals(Set.of(), dueNow());
        clock.advance(GRACE.minusMillis(1));
        assertEquals(Set.of(), dueNow());
        clock.advance(Duration.ofMillis(1));
        assertEquals(ids(first), dueNow());
        assertEquals(1, store.dueGarbage(clock.millis(), 1).size());

        // chunk records stay until the collector forgets them
        assertTrue(store.getChunks(List.of(first.get(0).id())).get(0).isPresent());
        store.forgetChunks(List.of(first.get(0).id(), first.get(1).id()));
        assertEquals(Set.of(first.get(2).id()), dueNow());
        assertEquals(Optional.empty(), store.getChunks(List.of(first.get(0).id())).get(0));
        assertTrue(store.getChunks(List.of(second.get(0).id())).get(0).isPresent());
    }

    @Test
    void replacingWithTheSameChunksQueuesNothing() {
        store.createBucket(bucket("b"));
        List<ChunkRecord> c = chunks(2);
        store.putObject("b", "k", chunkedObject("e1", c), c, WriteCondition.NONE);
        store.putObject("b", "k", chunkedObject("e2", c), List.of(), WriteCondition.NONE);
        clock.advance(GRACE);
        assertEquals(Set.of(), dueNow());
    }

    @Test
    void deleteObjectQueuesChunksAndIsQuietWhenAbsent() {
        store.createBucket(bucket("b"));
        List<ChunkRecord> c = chunks(2);
        store.putObject("b", "k", chunkedObject("e1", c), c, WriteCondition.NONE);
        store.putObject("b", "inline", inlineObject("e", new byte[] {1, 2}), List.of(), WriteCondition.NONE);
        assertEquals(new StoreStats(1, 2, (8 << 20) + 2), store.stats());

        assertSameObject(chunkedObject("e1", c), store.deleteObject("b", "k", WriteCondition.NONE).orElseThrow());
        assertEquals(Optional.empty(), store.getObject("b", "k"));
        assertEquals(Optional.empty(), store.deleteObject("b", "k", WriteCondition.NONE));
        assertTrue(store.deleteObject("b", "inline", WriteCondition.NONE).isPresent());
        assertEquals(new StoreStats(1, 0, 0), store.stats());
        clock.advance(GRACE);
        assertEquals(ids(c), dueNow());
        assertThrows(MetadataException.NoSuchBucket.class, () -> store.deleteObject("nope", "k", WriteCondition.NONE));
    }

    @Test
    void pendingMarksAreClearedByCommitOrDropAndARestartMakesThemStale() {
        store.createBucket(bucket("b"));
        List<ChunkRecord> c = chunks(4);
        c.forEach(store::markPending);
        List<ChunkId> cIds = c.stream().map(ChunkRecord::id).toList();
        assertEquals(List.of(), store.stalePending(100), "marks of the running epoch are not stale");
        assertEquals(ids(c), store.pendingAmong(cIds));

        reopen(); // a new epoch for this holder retires the last one: its writes can never commit
        ChunkRecord fresh = chunks(1).get(0);
        store.markPending(fresh);
        assertEquals(ids(c), ids(store.stalePending(100)));
        assertEquals(2, store.stalePending(2).size());
        assertEquals(c.get(0), store.stalePending(100).stream()
                .filter(r -> r.id().equals(c.get(0).id())).findFirst().orElseThrow());
        assertThrows(MetadataException.Conflict.class, () -> store.putObject("b", "k",
                chunkedObject("e", c.subList(0, 2)), c.subList(0, 2), WriteCondition.NONE),
                "a chunk marked by a retired epoch may be collected already");

        store.dropPending(List.of(c.get(2).id()));
        store.forgetChunks(List.of(c.get(0).id(), c.get(1).id()));
        assertEquals(Set.of(c.get(3).id()), ids(store.stalePending(100)));
        store.putObject("b", "k", chunkedObject("e", List.of(fresh)), List.of(fresh), WriteCondition.NONE);
        assertEquals(Set.of(), store.pendingAmong(List.of(fresh.id())), "the commit clears the mark");

        // the collector deletes the stale chunk's pieces, then forgets it; the retired epoch goes with it
        store.forgetChunks(List.of(c.get(3).id()));
        assertEquals(List.of(), store.stalePending(100));
        assertEquals(Set.of(store.writerEpoch()), store.epochs().keySet());
        store.dropPending(List.of(ChunkId.random())); // unknown ids are fine
    }

    @Test
    void markingTwiceKeepsOneMark() {
        ChunkRecord c = chunks(1).get(0);
        store.markPending(c);
        store.markPending(c);
        reopen();
        assertEquals(1, store.stalePending(100).size());
        store.dropPending(List.of(c.id()));
        assertEquals(0, store.stalePending(100).size());
    }

    @Test
    void aMarkForAnEpochThatIsNotOpenIsRefused() {
        long old = store.writerEpoch();
        reopen();
        assertTrue(store.writerEpoch() > old);
        ChunkRecord c = chunks(1).get(0);
        assertThrows(MetadataException.Conflict.class,
                () -> store.commitAndWait(new GarbageCommand.MarkPending(old, List.of(c))));
        assertThrows(MetadataException.Conflict.class,
                () -> store.commitAndWait(new GarbageCommand.MarkPending(store.writerEpoch() + 1, List.of(c))));
        assertEquals(Set.of(), store.pendingAmong(List.of(c.id())), "a refused command leaves nothing");
    }

    @Test
    void anEpochRetiredByCommandMakesItsMarksStale() {
        long other = store.commitAndWait(new GarbageCommand.OpenEpoch("gateway-2", clock.millis())).epoch();
        ChunkRecord mine = chunks(1).get(0);
        ChunkRecord theirs = chunks(1).get(0);
        store.markPending(mine);
        store.commitAndWait(new GarbageCommand.MarkPending(other, List.of(theirs)));
        assertEquals(List.of(), store.stalePending(10));
        store.commitAndWait(new GarbageCommand.RetireEpoch(other));
        assertEquals(List.of(theirs), store.stalePending(10), "only the retired epoch's marks");
        assertTrue(store.epochs().get(other).retired());
        store.forgetChunks(List.of(theirs.id()));
        assertEquals(Set.of(store.writerEpoch()), store.epochs().keySet());
    }

    @Test
    void garbageWithoutAChunkRecordIsSkippedAndCleared() {
        store.createBucket(bucket("b"));
        List<ChunkRecord> recorded = chunks(2);
        List<ChunkRecord> unrecorded = chunks(2);
        List<ChunkRecord> all = new ArrayList<>(unrecorded);
        all.addAll(recorded);
        // only some chunk records are committed: the rest can never be handed to the collector
        store.putObject("b", "k", chunkedObject("e1", all), recorded, WriteCondition.NONE);
        store.deleteObject("b", "k", WriteCondition.NONE);
        clock.advance(GRACE);
        assertEquals(ids(recorded), ids(store.dueGarbage(clock.millis(), 2)));
        store.forgetChunks(recorded.stream().map(ChunkRecord::id).toList());
        assertEquals(Set.of(), dueNow());
    }

    // ---- conditional writes ----

    @Test
    void mustNotExistAndEtagMatches() {
        store.createBucket(bucket("b"));
        store.putObject("b", "k", inlineObject("e1", new byte[0]), List.of(), WriteCondition.MUST_NOT_EXIST);
        assertThrows(MetadataException.PreconditionFailed.class,
                () -> store.putObject("b", "k", inlineObject("e2", new byte[0]), List.of(), WriteCondition.MUST_NOT_EXIST));
        assertThrows(MetadataException.PreconditionFailed.class,
                () -> store.putObject("b", "k", inlineObject("e2", new byte[0]), List.of(), WriteCondition.etagMatches("zz")));
        assertThrows(MetadataException.NoSuchKey.class,
                () -> store.putObject("b", "absent", inlineObject("e2", new byte[0]), List.of(),
                        WriteCondition.etagMatches("e1")));
        store.putObject("b", "k", inlineObject("e2", new byte[0]), List.of(), WriteCondition.etagMatches("e1"));
        store.putObject("b", "k", inlineObject("e3", new byte[0]), List.of(), WriteCondition.etagMatches("\"e2\""));
        assertEquals("e3", store.getObject("b", "k").orElseThrow().etag());

        assertThrows(MetadataException.PreconditionFailed.class,
                () -> store.deleteObject("b", "k", WriteCondition.etagMatches("e1")));
        assertTrue(store.deleteObject("b", "k", WriteCondition.etagMatches("e3")).isPresent());
        assertThrows(MetadataException.NoSuchKey.class,
                () -> store.deleteObject("b", "k", WriteCondition.etagMatches("e3")));
    }

    @Test
    void everyClauseOfAConditionMustHold() {
        store.createBucket(bucket("b"));
        ObjectRecord o = inlineObject("e1", new byte[] {1, 2, 3}); // 3 bytes, modified 1_700_000_000_001
        store.putObject("b", "k", o, List.of(), WriteCondition.NONE);
        long second = 1_700_000_000L;
        for (WriteCondition failing : List.of(
                WriteCondition.NONE.andEtagNotIn(List.of("x", "W/\"e1\"")),
                WriteCondition.NONE.andSize(4),
                WriteCondition.NONE.andModifiedSecond(second + 1),
                WriteCondition.etagMatches("*").andSize(3).andModifiedSecond(second - 1),
                WriteCondition.NONE.andEtagIn(List.of("x", "y")))) {
            assertThrows(MetadataException.PreconditionFailed.class, () -> store.deleteObject("b", "k", failing),
                    failing::toString);
        }
        WriteCondition holding = WriteCondition.NONE.andEtagIn(List.of("x", "\"e1\"")).andEtagNotIn(List.of("e0"))
                .andSize(3).andModifiedSecond(second);
        assertTrue(store.deleteObject("b", "k", holding).isPresent());
        // size and time conditions on a missing object hold (the delete has nothing to do)
        assertEquals(Optional.empty(), store.deleteObject("b", "k", WriteCondition.NONE.andSize(9).andModifiedSecond(1)));
        store.putObject("b", "k", o, List.of(), WriteCondition.NONE.andEtagNotIn(List.of("e1")));
    }

    @Test
    void racingMustNotExistWritersHaveExactlyOneWinner() throws Exception {
        store.createBucket(bucket("b"));
        int threads = 16;
        for (int round = 0; round < 5; round++) {
            String key = "race-" + round;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger won = new AtomicInteger();
            AtomicInteger lost = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String etag = "t" + t;
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        store.putObject("b", key, inlineObject(etag, new byte[0]), List.of(), WriteCondition.MUST_NOT_EXIST);
                        won.incrementAndGet();
                    } catch (MetadataException.PreconditionFailed e) {
                        lost.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            assertEquals(1, won.get());
            assertEquals(threads - 1, lost.get());
        }
        assertEquals(5, store.stats().objects());
    }

    @Test
    void concurrentOverwritesQueueEveryReplacedChunkExactlyOnce() throws Exception {
        store.createBucket(bucket("b"));
        int threads = 8;
        int perThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<ChunkRecord>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                List<ChunkRecord> written = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    List<ChunkRecord> c = chunks(1);
                    store.putObject("b", "hot", chunkedObject("e", c), c, WriteCondition.NONE);
                    written.addAll(c);
                }
                return written;
            }));
        }
        List<ChunkRecord> all = new ArrayList<>();
        for (var f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        clock.advance(GRACE);
        Set<ChunkId> garbage = dueNow();
        ChunkId live = store.getObject("b", "hot").orElseThrow().chunks().get(0).id();
        assertEquals(threads * perThread - 1, garbage.size());
        assertFalse(garbage.contains(live));
        assertEquals(new StoreStats(1, 1, 4 << 20), store.stats());
    }

    // ---- lifecycle ----

    @Test
    void reopenKeepsEverything() {
        store.createBucket(bucket("b"));
        List<ChunkRecord> c = chunks(2);
        store.putObject("b", "k", chunkedObject("e1", c), c, WriteCondition.NONE);
        store.putObject("b", "k", inlineObject("e2", new byte[] {9}), List.of(), WriteCondition.NONE);
        store.putObject("b", "k2", inlineObject("e3", new byte[] {1, 2, 3}), List.of(), WriteCondition.NONE);
        UploadRecord u = Fixtures.upload("b", "mp");
        store.createUpload(u);
        List<ChunkRecord> pc = chunks(1);
        store.putPart("b", "mp", u.uploadId(), Fixtures.part(3, pc), pc);
        ChunkRecord pending = chunks(1).get(0);
        store.markPending(pending);
        StoreStats stats = store.stats();

        reopen();
        assertEquals(List.of(bucket("b")), store.listBuckets());
        assertSameObject(inlineObject("e2", new byte[] {9}), store.getObject("b", "k").orElseThrow());
        assertEquals(Optional.of(u), store.getUpload("b", "mp", u.uploadId()));
        assertEquals(List.of(Fixtures.part(3, pc)), store.allParts(u.uploadId()));
        assertEquals(List.of(pending), store.stalePending(clock.millis() + 1, 10));
        clock.advance(GRACE);
        assertEquals(ids(c), dueNow());
        assertEquals(stats, store.stats());
        assertEquals(new StoreStats(1, 2, 4), stats);
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailCleanly() {
        store.createBucket(bucket("b"));
        store.close();
        store.close();
        assertThrows(MetadataException.StorageFailure.class, () -> store.getBucket("b"));
        store = RocksMetadataStore.open(dir, clock, GRACE);
        assertTrue(store.getBucket("b").isPresent());
    }

    @Test
    void aNewerSchemaIsRefused() throws Exception {
        store.close();
        try (RocksHandles raw = RocksHandles.open(dir, true)) {
            raw.db.put(raw.meta, MetadataSchema.SCHEMA_KEY, new byte[] {MetadataSchema.SCHEMA_VERSION + 1});
        }
        assertThrows(MetadataException.StorageFailure.class, () -> RocksMetadataStore.open(dir, clock, GRACE));
        try (RocksHandles raw = RocksHandles.open(dir, true)) {
            raw.db.put(raw.meta, MetadataSchema.SCHEMA_KEY, new byte[] {MetadataSchema.SCHEMA_VERSION});
        }
        store = RocksMetadataStore.open(dir, clock, GRACE);
    }

    @Test
    void aSchema1StoreIsUpgradedAndItsTimedMarksAreStale() throws Exception {
        store.createBucket(bucket("b"));
        store.close();
        List<ChunkRecord> old = chunks(3);
        try (RocksHandles raw = RocksHandles.open(dir, true); WriteBatch batch = new WriteBatch()) {
            // what schema 1 held: marks keyed by time, no epochs
            for (String cf : List.of(MetadataSchema.PENDING, MetadataSchema.PENDING_BY_CHUNK, MetadataSchema.EPOCHS)) {
                try (RocksIterator it = raw.db.newIterator(raw.handle(cf))) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        batch.delete(raw.handle(cf), it.key());
                    }
                }
            }
            batch.delete(raw.meta, MetadataSchema.EPOCH_COUNTER_KEY);
            long t = 1_600_000_000_000L;
            for (ChunkRecord c : old) {
                batch.put(raw.pending, KeyCodec.timedChunkKey(t, c.id()), RecordCodec.encodeChunk(c));
                batch.put(raw.pendingByChunk, KeyCodec.chunkKey(c.id()), RecordCodec.encodeMillis(t++));
            }
            batch.put(raw.meta, MetadataSchema.SCHEMA_KEY, new byte[] {1});
            raw.db.write(raw.synced, batch);
        }
        store = RocksMetadataStore.open(dir, clock, GRACE);

        assertEquals(ids(old), ids(store.stalePending(100)));
        assertEquals(1, store.writerEpoch(), "epochs start after the legacy one");
        assertTrue(store.epochs().get(PendingMarks.LEGACY_EPOCH).retired());
        store.forgetChunks(old.stream().map(ChunkRecord::id).toList());
        assertEquals(List.of(), store.stalePending(100));
        assertEquals(Set.of(1L), store.epochs().keySet());
        assertTrue(store.getBucket("b").isPresent());
        reopen();
        assertEquals(2, store.writerEpoch());
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFails() {
        var e = assertThrows(MetadataException.StorageFailure.class, () -> RocksMetadataStore.open(dir, clock, GRACE));
        assertSame(MetadataException.StorageFailure.class, e.getClass());
    }

    @Test
    void settingTagsKeepsTheObjectsDataEtagAndTimeAndQueuesNoGarbage() {
        store.createBucket(bucket("tags"));
        List<ChunkRecord> c = chunks(2);
        ObjectRecord original = chunkedObject("etag-t", c);
        store.putObject("tags", "k", original, c, WriteCondition.NONE);
        clock.advance(Duration.ofMinutes(1));

        ObjectRecord updated = store.setObjectTags("tags", "k", java.util.Map.of("team", "storage"));

        ObjectRecord stored = store.getObject("tags", "k").orElseThrow();
        assertSameObject(original.withTags(java.util.Map.of("team", "storage")), stored);
        assertSameObject(updated, stored);
        assertEquals(original.modifiedMillis(), stored.modifiedMillis());
        clock.advance(GRACE);
        assertEquals(List.of(), store.dueGarbage(clock.millis(), 100));
        store.setObjectTags("tags", "k", java.util.Map.of());
        reopen();
        assertEquals(java.util.Map.of(), store.getObject("tags", "k").orElseThrow().tags());
        assertEquals(1, store.stats().objects());
    }

    @Test
    void settingTagsOfAMissingObjectOrBucketFails() {
        store.createBucket(bucket("tags2"));
        assertThrows(MetadataException.NoSuchKey.class, () -> store.setObjectTags("tags2", "absent",
                java.util.Map.of("a", "b")));
        assertThrows(MetadataException.NoSuchBucket.class, () -> store.setObjectTags("nope", "k",
                java.util.Map.of()));
        assertTrue(store.getObject("tags2", "absent").isEmpty());
    }
}
