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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.metadata.BucketRecord.Versioning;
import dev.cairn.metadata.MetaCommand.Expire;
import dev.cairn.metadata.MetaCommand.Expire.Target;

/**
 * The lifecycle worker's command on a real store: it acts only on the version it read, where it
 * read it, and never removes a locked version; what it removes is accounted for like an S3 delete.
 */
class LifecycleExpireTest {
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

    private ObjectRecord put(String bucket, String key, long millis, ObjectVersion version) {
        List<ChunkRecord> c = chunks(1);
        ObjectRecord o = new ObjectRecord(4 << 20, "e" + millis, millis, Map.of(), Map.of(), null, "STANDARD", null,
                Fixtures.refs(c), List.of(), "owner-1");
        return store.commitAndWait(new MetaCommand.PutObject(bucket, key, version == null ? o : o.withVersion(version),
                c, WriteCondition.NONE, store.garbageDueMillis())).written();
    }

    private MetaResult.Replaced expire(String bucket, String key, Target target, ObjectRecord read) {
        return store.commitAndWait(new Expire(bucket, key, target, read.versionId(), read.versionSeq(),
                read.modifiedMillis(), ObjectRecord.deleteMarker(clock.millis(), "owner-1", id()), clock.millis(),
                store.garbageDueMillis()));
    }

    @Test
    void anUnversionedObjectGoesOnlyIfItIsStillTheOneRead() {
        store.createBucket(bucket("b"));
        ObjectRecord first = put("b", "k", 1000, null);
        ObjectRecord second = put("b", "k", 2000, null); // an overwrite after the worker read "first"
        assertThrows(MetadataException.PreconditionFailed.class, () -> expire("b", "k", Target.CURRENT, first));
        assertTrue(store.getObject("b", "k").isPresent());
        assertEquals(1, store.bucketUsage("b").objects());

        expire("b", "k", Target.CURRENT, second);
        assertTrue(store.getObject("b", "k").isEmpty());
        assertEquals(0, store.bucketUsage("b").objects());
        assertEquals(2, store.garbage(Long.MAX_VALUE, 10).due().size(), "both objects' chunks are garbage");
    }

    @Test
    void aCurrentVersionGetsADeleteMarkerAndANoncurrentOneMustStillBeNoncurrent() {
        store.createBucket(bucket("v"));
        store.commitAndWait(new MetaCommand.SetBucketVersioning("v", Versioning.ENABLED));
        ObjectRecord v1 = put("v", "k", 1000, ObjectVersion.proposed(id(), false));
        ObjectRecord v2 = put("v", "k", 2000, ObjectVersion.proposed(id(), false));

        MetaResult.Replaced r = expire("v", "k", Target.CURRENT, v2);
        assertTrue(r.written().isDeleteMarker());
        assertEquals(v2.versionId(), store.getObjectVersion("v", "k", v2.versionId()).orElseThrow().versionId());

        // the client removes the marker and v2: v1 is current again, so its noncurrent expiry is stale
        store.commitAndWait(new MetaCommand.DeleteVersion("v", "k", r.written().versionId(), 0, clock.millis(), false));
        store.commitAndWait(new MetaCommand.DeleteVersion("v", "k", v2.versionId(), 0, clock.millis(), false));
        assertThrows(MetadataException.PreconditionFailed.class, () -> expire("v", "k", Target.NONCURRENT, v1));
        assertEquals(v1.versionId(), store.getObject("v", "k").orElseThrow().versionId());
    }

    @Test
    void aLoneDeleteMarkerGoesAndALockedVersionStays() {
        store.createBucket(bucket("l").withObjectLock());
        ObjectRecord held = put("l", "k", 1000, ObjectVersion.proposed(id(), false)
                .withLock(null, 0, true));
        MetaResult.Replaced marked = expire("l", "k", Target.CURRENT, held); // a marker over a locked version is fine
        ObjectRecord marker = marked.written();

        assertThrows(MetadataException.ObjectLocked.class, () -> expire("l", "k", Target.NONCURRENT, held));
        assertThrows(MetadataException.PreconditionFailed.class,
                () -> expire("l", "k", Target.LONE_DELETE_MARKER, marker)); // "held" is still there
        assertTrue(store.getObjectVersion("l", "k", held.versionId()).isPresent());

        store.commitAndWait(new MetaCommand.SetVersionLegalHold("l", "k", held.versionId(), false));
        expire("l", "k", Target.NONCURRENT, held);
        expire("l", "k", Target.LONE_DELETE_MARKER, marker);
        assertTrue(store.getObjectVersion("l", "k", null).isEmpty());
        assertEquals(0, store.bucketUsage("l").objects());
    }
}
