package dev.cairn.metadata;

import static dev.cairn.metadata.Fixtures.bucket;
import static dev.cairn.metadata.Fixtures.chunks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.metadata.BucketRecord.Versioning;
import dev.cairn.metadata.MetaCommand.Transition;

/**
 * The lifecycle transition command on a real store: it swaps a version's chunks for re-protected
 * ones only while the version still holds exactly the chunks the worker read; an overwrite, a
 * delete or an earlier transition wins; the old chunks become garbage unless another version
 * of the key still uses them; a locked version may transition (no data is dropped).
 */
class LifecycleTransitionTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(1_700_000_000_000L);
    RocksMetadataStore store;
    int ids;

    @BeforeEach
    void open() {
        store = RocksMetadataStore.open(dir, clock, Duration.ofMinutes(10));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String id() {
        return String.format("%032x", ++ids);
    }

    private ObjectRecord put(String bucket, String key, long millis, List<ChunkRecord> c, ObjectVersion version) {
        ObjectRecord o = new ObjectRecord(c.stream().mapToLong(ChunkRecord::size).sum(), "e" + millis, millis, Map.of(),
                Map.of(), null, "STANDARD", null, Fixtures.refs(c), List.of(), "owner-1");
        return store.commitAndWait(new MetaCommand.PutObject(bucket, key, version == null ? o : o.withVersion(version),
                c, WriteCondition.NONE, store.garbageDueMillis())).written();
    }

    /** Re-protected copies of {@code read}'s chunks, marked pending by this store's epoch as a PUT marks them. */
    private List<ChunkRecord> copies(ObjectRecord read) {
        List<ChunkRecord> fresh = read.chunks().stream().map(ref -> new ChunkRecord(ChunkId.random(), ref.size(),
                Protection.replicas(2), List.of(new PieceLocation(0, "node-c", ref.size(), 1),
                new PieceLocation(1, "node-d", ref.size(), 2)))).toList();
        fresh.forEach(store::markPending);
        return fresh;
    }

    private ObjectRecord transition(String bucket, String key, ObjectRecord read, List<ChunkRecord> fresh) {
        return store.commitAndWait(new Transition(bucket, key, read.versionId(), read.versionSeq(),
                read.modifiedMillis(), "STANDARD_IA", read.chunks(), Fixtures.refs(fresh), fresh,
                store.garbageDueMillis())).object();
    }

    private Set<ChunkId> garbage() {
        return store.garbage(Long.MAX_VALUE, 100).due().stream().map(ChunkRecord::id).collect(Collectors.toSet());
    }

    @Test
    void aNoncurrentVersionSwapsItsChunksAndTheOldOnesBecomeGarbage() {
        store.createBucket(bucket("v"));
        store.commitAndWait(new MetaCommand.SetBucketVersioning("v", Versioning.ENABLED));
        List<ChunkRecord> old = chunks(2);
        ObjectRecord v1 = put("v", "k", 1000, old, ObjectVersion.proposed(id(), false));
        ObjectRecord v2 = put("v", "k", 2000, chunks(1), ObjectVersion.proposed(id(), false));
        long storedBefore = store.bucketUsage("v").storedBytes();

        List<ChunkRecord> fresh = copies(v1);
        ObjectRecord moved = transition("v", "k", v1, fresh);
        assertEquals("STANDARD_IA", moved.storageClass());
        assertEquals(Fixtures.refs(fresh), moved.chunks());
        ObjectRecord stored = store.getObjectVersion("v", "k", v1.versionId()).orElseThrow();
        assertEquals("STANDARD_IA", stored.storageClass());
        assertEquals(v1.etag(), stored.etag());
        assertEquals(v1.modifiedMillis(), stored.modifiedMillis());
        assertEquals(Fixtures.refs(fresh), stored.chunks());
        assertEquals(fresh, store.getChunks(fresh.stream().map(ChunkRecord::id).toList()).stream()
                .map(o -> o.orElseThrow()).toList());
        assertEquals(old.stream().map(ChunkRecord::id).collect(Collectors.toSet()), garbage());
        assertEquals("STANDARD", store.getObject("v", "k").orElseThrow().storageClass(), "the current one is untouched");
        assertEquals(v2.chunks(), store.getObject("v", "k").orElseThrow().chunks());
        assertEquals(storedBefore, store.bucketUsage("v").storedBytes());
        assertEquals(List.of(), store.stalePending(10));

        // the same transition again (a second worker, a retry) read chunks the version no longer has
        List<ChunkRecord> again = copies(v1);
        assertThrows(MetadataException.PreconditionFailed.class, () -> transition("v", "k", v1, again));
        assertEquals(Fixtures.refs(fresh), store.getObjectVersion("v", "k", v1.versionId()).orElseThrow().chunks());
        assertTrue(store.getChunks(List.of(again.get(0).id())).get(0).isEmpty(), "a refused swap writes no record");
    }

    @Test
    void anOverwriteOrADeleteAfterTheReadWins() {
        store.createBucket(bucket("b"));
        ObjectRecord first = put("b", "k", 1000, chunks(1), null);
        List<ChunkRecord> fresh = copies(first);
        ObjectRecord second = put("b", "k", 2000, chunks(1), null);
        assertThrows(MetadataException.PreconditionFailed.class, () -> transition("b", "k", first, fresh));
        assertEquals(second.chunks(), store.getObject("b", "k").orElseThrow().chunks());
        assertEquals("STANDARD", store.getObject("b", "k").orElseThrow().storageClass());

        store.deleteObject("b", "k", WriteCondition.NONE);
        List<ChunkRecord> more = copies(second);
        assertThrows(MetadataException.PreconditionFailed.class, () -> transition("b", "k", second, more));
        assertTrue(store.getObject("b", "k").isEmpty());
    }

    @Test
    void chunksAnotherVersionSharesAreNotGarbageAndALockedVersionMoves() {
        store.createBucket(bucket("v"));
        store.commitAndWait(new MetaCommand.SetBucketVersioning("v", Versioning.ENABLED));
        List<ChunkRecord> shared = chunks(1);
        ObjectRecord v1 = put("v", "k", 1000, shared, ObjectVersion.proposed(id(), false)
                .withLock(ObjectVersion.COMPLIANCE, clock.millis() + 86_400_000L, true));
        // a copy onto itself: a new version with the same chunks
        ObjectRecord copy = new ObjectRecord(v1.size(), "e2", 2000, Map.of(), Map.of(), null, "STANDARD", null,
                v1.chunks(), List.of(), "owner-1").withVersion(ObjectVersion.proposed(id(), false));
        store.commitAndWait(new MetaCommand.PutObject("v", "k", copy, List.of(), WriteCondition.NONE,
                store.garbageDueMillis()));

        List<ChunkRecord> fresh = copies(v1);
        ObjectRecord moved = transition("v", "k", v1, fresh);
        assertTrue(moved.version().legalHold(), "the lock stays with the version");
        assertEquals(Set.of(), garbage(), "the current version still uses the old chunk");
        assertEquals(Fixtures.refs(shared), store.getObject("v", "k").orElseThrow().chunks());
    }

    @Test
    void aSwapThatWouldChangeTheBytesIsRefused() {
        store.createBucket(bucket("b"));
        ObjectRecord o = put("b", "k", 1000, chunks(1), null);
        ChunkRecord wrongSize = new ChunkRecord(ChunkId.random(), 7, Protection.replicas(1),
                List.of(new PieceLocation(0, "node-c", 7, 1)));
        store.markPending(wrongSize);
        assertThrows(MetadataException.Conflict.class, () -> transition("b", "k", o, List.of(wrongSize)));
        assertEquals(o.chunks(), store.getObject("b", "k").orElseThrow().chunks());
    }
}
