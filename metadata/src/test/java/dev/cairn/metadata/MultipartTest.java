package dev.cairn.metadata;

import static dev.cairn.metadata.Fixtures.assertSameObject;
import static dev.cairn.metadata.Fixtures.bucket;
import static dev.cairn.metadata.Fixtures.chunkedObject;
import static dev.cairn.metadata.Fixtures.chunks;
import static dev.cairn.metadata.Fixtures.part;
import static dev.cairn.metadata.Fixtures.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultipartTest {
    private static final Duration GRACE = Duration.ofMinutes(1);
    private static final byte[] DIGEST = {1, 2, 3};

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(1_700_000_000_000L);
    RocksMetadataStore store;
    UploadRecord upload;

    @BeforeEach
    void open() {
        store = RocksMetadataStore.open(dir, clock, GRACE);
        store.createBucket(bucket("b"));
        upload = Fixtures.upload("b", "big/file");
        store.createUpload(upload);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Set<ChunkId> garbageAfterGrace() {
        clock.advance(GRACE);
        return store.dueGarbage(clock.millis(), 10_000).stream().map(ChunkRecord::id).collect(Collectors.toSet());
    }

    private static Set<ChunkId> ids(List<ChunkRecord> chunks) {
        return chunks.stream().map(ChunkRecord::id).collect(Collectors.toSet());
    }

    private List<ChunkRecord> putPart(int number, int chunkCount) {
        List<ChunkRecord> c = chunks(chunkCount);
        store.putPart("b", "big/file", upload.uploadId(), part(number, c), c);
        return c;
    }

    @Test
    void uploadIsFoundOnlyUnderItsBucketAndKey() {
        assertEquals(Optional.of(upload), store.getUpload("b", "big/file", upload.uploadId()));
        assertEquals(Optional.empty(), store.getUpload("b", "big/other", upload.uploadId()));
        assertEquals(Optional.empty(), store.getUpload("b", "big/file", ChunkId.random().hex()));
        assertEquals(Optional.empty(), store.getUpload("b", "big/file", "not-an-id"));
        assertThrows(IllegalArgumentException.class,
                () -> store.createUpload(new UploadRecord("b", "k", "xyz", 0, Map.of(), Map.of(), null, null, "S", "o")));
    }

    @Test
    void putPartReplacesAnEarlierPartAndQueuesItsChunks() {
        List<ChunkRecord> first = putPart(1, 2);
        List<ChunkRecord> second = putPart(1, 1);
        assertEquals(List.of(part(1, second)), store.allParts(upload.uploadId()));
        assertEquals(ids(first), garbageAfterGrace());
        assertTrue(store.getChunks(List.of(second.get(0).id())).get(0).isPresent());

        assertThrows(MetadataException.NoSuchUpload.class,
                () -> store.putPart("b", "big/file", ChunkId.random().hex(), part(1, List.of()), List.of()));
        assertThrows(MetadataException.NoSuchUpload.class,
                () -> store.putPart("b", "other", upload.uploadId(), part(1, List.of()), List.of()));
        assertThrows(MetadataException.NoSuchUpload.class,
                () -> store.putPart("b", "big/file", "bad", part(1, List.of()), List.of()));
        assertThrows(MetadataException.NoSuchBucket.class,
                () -> store.putPart("nope", "big/file", upload.uploadId(), part(1, List.of()), List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> store.putPart("b", "big/file", upload.uploadId(), part(0, List.of()), List.of()));
    }

    @Test
    void listPartsPagesWithOneExtraPart() {
        List<Integer> numbers = List.of(1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765,
                10000);
        for (int n : numbers) {
            putPart(n, 0);
        }
        List<Integer> seen = new ArrayList<>();
        int marker = 0;
        while (true) {
            List<PartRecord> page = store.listParts(upload.uploadId(), marker, 6);
            assertTrue(page.size() <= 7);
            List<PartRecord> shown = page.subList(0, Math.min(6, page.size()));
            shown.forEach(p -> seen.add(p.partNumber()));
            if (page.size() <= 6) {
                break;
            }
            marker = shown.get(shown.size() - 1).partNumber();
        }
        assertEquals(numbers, seen);
        assertEquals(List.of(8), store.listParts(upload.uploadId(), 5, 0).stream().map(PartRecord::partNumber).toList());
        assertEquals(List.of(), store.listParts(upload.uploadId(), 10000, 10));
        assertEquals(List.of(), store.listParts(ChunkId.random().hex(), 0, 10));
        assertEquals(20, store.allParts(upload.uploadId()).size());
    }

    @Test
    void completeUploadKeepsChosenPartsAndQueuesTheRest() {
        store.createBucket(bucket("b-other"));
        List<ChunkRecord> old = chunks(2);
        store.putObject("b", "big/file", chunkedObject("old", old), old, WriteCondition.NONE);
        List<ChunkRecord> p1 = putPart(1, 2);
        List<ChunkRecord> p2 = putPart(2, 1);
        List<ChunkRecord> p3 = putPart(3, 1);

        List<ChunkRecord> kept = new ArrayList<>(p1);
        kept.addAll(p3);
        ObjectRecord object = new ObjectRecord(3L * (4 << 20), "abc-2", 5, Map.of(), Map.of(), null, "STANDARD", null,
                refs(kept), List.of(new PartSummary(1, 2L * (4 << 20), "etag-1", null),
                new PartSummary(3, 4 << 20, "etag-3", null)), "owner-1");
        Optional<ObjectRecord> replaced = store.completeUpload("b", "big/file", upload.uploadId(), List.of(1, 3), object,
                WriteCondition.etagMatches("old"), DIGEST);

        assertSameObject(chunkedObject("old", old), replaced.orElseThrow());
        assertSameObject(object, store.getObject("b", "big/file").orElseThrow());
        assertEquals(Optional.empty(), store.getUpload("b", "big/file", upload.uploadId()));
        assertEquals(List.of(), store.allParts(upload.uploadId()));
        Set<ChunkId> expected = new HashSet<>(ids(old));
        expected.addAll(ids(p2));
        assertEquals(expected, garbageAfterGrace());
        assertTrue(store.getChunks(kept.stream().map(ChunkRecord::id).toList()).stream().allMatch(Optional::isPresent));
        assertEquals(new StoreStats(2, 1, 3L * (4 << 20)), store.stats());

        assertThrows(MetadataException.NoSuchUpload.class, () -> store.completeUpload("b", "big/file",
                upload.uploadId(), List.of(1), object, WriteCondition.NONE, DIGEST));
    }

    @Test
    void aCompletionIsRememberedUntilForgottenAndSurvivesAReopen() {
        List<ChunkRecord> p1 = putPart(1, 1);
        ObjectRecord object = new ObjectRecord(4 << 20, "abc-1", clock.millis(), Map.of(), Map.of(),
                new Checksum("CRC32", "COMPOSITE", "AAAAAA==-1"), "STANDARD", null, refs(p1),
                List.of(new PartSummary(1, 4 << 20, "etag-1", null)), "owner-1");
        assertEquals(Optional.empty(), store.getCompletedUpload(upload.uploadId()));
        store.completeUpload("b", "big/file", upload.uploadId(), List.of(1), object, WriteCondition.NONE, DIGEST);

        store.close();
        store = RocksMetadataStore.open(dir, clock, GRACE);
        CompletedUpload done = store.getCompletedUpload(upload.uploadId()).orElseThrow();
        assertEquals(List.of("b", "big/file", upload.uploadId(), clock.millis(), (long) (4 << 20), "abc-1"),
                List.of(done.bucket(), done.key(), done.uploadId(), done.completedMillis(), done.size(), done.etag()));
        assertEquals(object.checksum(), done.checksum());
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(done.partsDigest()[0], done.partsDigest()[1],
                done.partsDigest()[2]));
        assertEquals(Optional.empty(), store.getCompletedUpload("not-an-upload-id"));

        assertEquals(0, store.forgetCompletedUploads(clock.millis(), 10), "only completions made before the time");
        assertEquals(1, store.forgetCompletedUploads(clock.millis() + 1, 10));
        assertEquals(Optional.empty(), store.getCompletedUpload(upload.uploadId()));
        assertEquals(0, store.forgetCompletedUploads(Long.MAX_VALUE, 10));
    }

    @Test
    void forgettingCompletionsGoesOldestFirstInPages() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UploadRecord u = Fixtures.upload("b", "k" + i);
            store.createUpload(u);
            ids.add(u.uploadId());
            store.completeUpload("b", "k" + i, u.uploadId(), List.of(), new ObjectRecord(0, "e", 1000L * (i + 1),
                    Map.of(), Map.of(), null, "STANDARD", new byte[0], List.of(), List.of(), "owner-1"),
                    WriteCondition.NONE, DIGEST);
        }
        assertEquals(2, store.forgetCompletedUploads(4000, 2));
        assertEquals(List.of(false, false, true, true, true),
                ids.stream().map(id -> store.getCompletedUpload(id).isPresent()).toList());
        assertEquals(1, store.forgetCompletedUploads(4000, 2));
        assertEquals(List.of(false, false, false, true, true),
                ids.stream().map(id -> store.getCompletedUpload(id).isPresent()).toList());
    }

    @Test
    void completeUploadChecksTheConditionAndLeavesTheUploadOnFailure() {
        store.putObject("b", "big/file", Fixtures.inlineObject("x", new byte[0]), List.of(), WriteCondition.NONE);
        List<ChunkRecord> p1 = putPart(1, 1);
        ObjectRecord object = chunkedObject("new", p1);
        assertThrows(MetadataException.PreconditionFailed.class, () -> store.completeUpload("b", "big/file",
                upload.uploadId(), List.of(1), object, WriteCondition.MUST_NOT_EXIST, DIGEST));
        assertThrows(MetadataException.PreconditionFailed.class, () -> store.completeUpload("b", "big/file",
                upload.uploadId(), List.of(1), object, WriteCondition.etagMatches("y"), DIGEST));
        assertTrue(store.getUpload("b", "big/file", upload.uploadId()).isPresent());
        assertEquals(1, store.allParts(upload.uploadId()).size());
        assertEquals("x", store.getObject("b", "big/file").orElseThrow().etag());
        assertEquals(Set.of(), garbageAfterGrace());
    }

    @Test
    void completionPlannedBeforeAPartWasUploadedAgainIsAConflictAndLosesNothing() {
        List<ChunkRecord> first = putPart(1, 1);
        ObjectRecord planned = chunkedObject("planned", first);
        List<ChunkRecord> second = putPart(1, 2); // a client uploads part 1 again before the commit

        assertThrows(MetadataException.Conflict.class, () -> store.completeUpload("b", "big/file",
                upload.uploadId(), List.of(1), planned, WriteCondition.NONE, DIGEST));

        assertTrue(store.getUpload("b", "big/file", upload.uploadId()).isPresent());
        assertEquals(refs(second), store.allParts(upload.uploadId()).get(0).chunks());
        assertTrue(store.getObject("b", "big/file").isEmpty());
        assertEquals(ids(first), garbageAfterGrace());
    }

    @Test
    void uploadTagsRoundTripThroughTheStore() {
        UploadRecord tagged = new UploadRecord("b", "tagged", ChunkId.random().hex(), 1, Map.of(), Map.of(), null,
                null, "STANDARD", "owner-1", Map.of("project", "cairn"));
        store.createUpload(tagged);
        assertEquals(tagged, store.getUpload("b", "tagged", tagged.uploadId()).orElseThrow());
    }

    @Test
    void abortUploadQueuesAllPartChunks() {
        List<ChunkRecord> p1 = putPart(1, 2);
        List<ChunkRecord> p7 = putPart(7, 1);
        store.abortUpload("b", "big/file", upload.uploadId());
        assertEquals(Optional.empty(), store.getUpload("b", "big/file", upload.uploadId()));
        assertEquals(List.of(), store.allParts(upload.uploadId()));
        Set<ChunkId> expected = new HashSet<>(ids(p1));
        expected.addAll(ids(p7));
        assertEquals(expected, garbageAfterGrace());
        assertThrows(MetadataException.NoSuchUpload.class, () -> store.abortUpload("b", "big/file", upload.uploadId()));
        assertThrows(MetadataException.NoSuchUpload.class, () -> store.abortUpload("b", "big/file", "zz"));
    }

    @Test
    void partsRacingACompletionAreNeverLost() throws Exception {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch started = new CountDownLatch(threads);
        ConcurrentLinkedQueue<ChunkRecord> committed = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * 1000;
            futures.add(pool.submit(() -> {
                started.countDown();
                for (int i = 1; i < 1000; i++) {
                    List<ChunkRecord> c = chunks(1);
                    try {
                        store.putPart("b", "big/file", upload.uploadId(), part(base + i, c), c);
                        committed.addAll(c);
                    } catch (MetadataException.NoSuchUpload e) {
                        return null;
                    }
                }
                return null;
            }));
        }
        started.await();
        Thread.sleep(30);
        store.completeUpload("b", "big/file", upload.uploadId(), List.of(), Fixtures.inlineObject("e", new byte[0]),
                WriteCondition.NONE, DIGEST);
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertEquals(List.of(), store.allParts(upload.uploadId()));
        assertEquals(ids(new ArrayList<>(committed)), garbageAfterGrace());
    }
}
