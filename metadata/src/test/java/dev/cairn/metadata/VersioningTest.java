package dev.cairn.metadata;

import static dev.cairn.metadata.Fixtures.bucket;
import static dev.cairn.metadata.Fixtures.chunkedObject;
import static dev.cairn.metadata.Fixtures.chunks;
import static dev.cairn.metadata.Fixtures.inlineObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.metadata.BucketRecord.Versioning;
import dev.cairn.metadata.MetaCommand.DeleteKey;
import dev.cairn.metadata.MetaCommand.DeleteVersion;
import dev.cairn.metadata.MetaCommand.PutObject;
import dev.cairn.metadata.MetaCommand.SetBucketVersioning;

/** Versions, delete markers, null versions, version listing and the schema 2 upgrade, on a real store. */
class VersioningTest {
    private static final Duration GRACE = Duration.ofMinutes(10);

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(1_700_000_000_000L);
    RocksMetadataStore store;
    int ids;

    @BeforeEach
    void open() {
        store = RocksMetadataStore.open(dir, clock, GRACE);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private String id() {
        return String.format("%032x", ++ids);
    }

    private ObjectRecord put(String bucket, String key, ObjectRecord o, List<ChunkRecord> chunks) {
        return store.commitAndWait(new PutObject(bucket, key, o.withVersion(ObjectVersion.proposed(id(), false)),
                chunks, WriteCondition.NONE, store.garbageDueMillis())).written();
    }

    private ObjectRecord put(String bucket, String key, String text) {
        return put(bucket, key, inlineObject(text, text.getBytes(StandardCharsets.UTF_8)), List.of());
    }

    private MetaResult.Replaced deleteKey(String bucket, String key) {
        return store.commitAndWait(new DeleteKey(bucket, key, WriteCondition.NONE,
                ObjectRecord.deleteMarker(clock.millis(), "owner-1", id()), store.garbageDueMillis()));
    }

    private MetaResult.Replaced deleteVersion(String bucket, String key, String versionId) {
        return store.commitAndWait(new DeleteVersion(bucket, key, versionId, store.garbageDueMillis(), clock.millis(),
                false));
    }

    private void versioning(String bucket, Versioning state) {
        store.commitAndWait(new SetBucketVersioning(bucket, state));
    }

    private Set<ChunkId> garbage() {
        return store.garbage(Long.MAX_VALUE, 1000).due().stream().map(ChunkRecord::id).collect(Collectors.toSet());
    }

    private static Set<ChunkId> ids(List<ChunkRecord> chunks) {
        return chunks.stream().map(ChunkRecord::id).collect(Collectors.toSet());
    }

    /** "key:versionId:latest|old:M" (M for a delete marker) for every entry of a listing. */
    private static List<String> shown(VersionListing page) {
        List<String> out = new ArrayList<>();
        page.versions().forEach(e -> out.add(e.key() + ":" + e.object().versionId() + ":"
                + (e.latest() ? "latest" : "old") + (e.object().isDeleteMarker() ? ":M" : "")));
        page.commonPrefixes().forEach(p -> out.add("prefix " + p));
        return out;
    }

    @Test
    void versionsStackUpAndADeleteMarkerHidesThemUntilItIsRemoved() {
        store.createBucket(bucket("b"));
        versioning("b", Versioning.ENABLED);
        ObjectRecord v1 = put("b", "k", "one");
        ObjectRecord v2 = put("b", "k", "two");
        assertEquals(1, v2.versionSeq() - v1.versionSeq());
        assertEquals("two", store.getObject("b", "k").orElseThrow().etag());
        assertEquals("one", store.getObjectVersion("b", "k", v1.versionId()).orElseThrow().etag());

        ObjectRecord marker = deleteKey("b", "k").written();
        assertTrue(marker.isDeleteMarker());
        assertTrue(store.getObject("b", "k").isEmpty(), "a delete marker on top hides the key");
        assertTrue(store.getObjectVersion("b", "k", null).orElseThrow().isDeleteMarker());
        assertEquals(List.of(), store.listObjects("b", new ListQuery("", null, null, 100)).contents());
        assertThrows(MetadataException.BucketNotEmpty.class, () -> store.deleteBucket("b"));

        assertEquals(List.of("k:" + marker.versionId() + ":latest:M", "k:" + v2.versionId() + ":old",
                "k:" + v1.versionId() + ":old"), shown(store.listVersions("b", new VersionQuery("", null, null, null, 100))));

        deleteVersion("b", "k", marker.versionId());
        assertEquals("two", store.getObject("b", "k").orElseThrow().etag(), "removing the marker brings v2 back");
        deleteVersion("b", "k", v2.versionId());
        assertEquals("one", store.getObject("b", "k").orElseThrow().etag(), "removing the current brings v1 back");
        assertTrue(deleteVersion("b", "k", "no-such").previous().isEmpty());
        deleteVersion("b", "k", v1.versionId());
        store.deleteBucket("b");
    }

    @Test
    void aSuspendedBucketReplacesItsNullVersionAndKeepsTheOthers() {
        store.createBucket(bucket("b"));
        List<ChunkRecord> unversioned = chunks(1);
        put("b", "k", chunkedObject("u", unversioned), unversioned); // never versioned: the null version
        versioning("b", Versioning.ENABLED);
        List<ChunkRecord> enabled = chunks(1);
        ObjectRecord kept = put("b", "k", chunkedObject("e", enabled), enabled);
        versioning("b", Versioning.SUSPENDED);
        List<ChunkRecord> suspended = chunks(1);
        ObjectRecord nul = put("b", "k", chunkedObject("s", suspended), suspended);
        assertEquals("null", nul.versionId());
        assertEquals(ids(unversioned), garbage(), "the old null version's data goes, the enabled version stays");
        assertEquals(List.of("k:null:latest", "k:" + kept.versionId() + ":old"),
                shown(store.listVersions("b", new VersionQuery("", null, null, null, 100))));

        ObjectRecord marker = deleteKey("b", "k").written();
        assertEquals("null", marker.versionId(), "a suspended bucket's delete marker is the null version");
        assertEquals(union(unversioned, suspended), garbage());
        assertEquals(List.of("k:null:latest:M", "k:" + kept.versionId() + ":old"),
                shown(store.listVersions("b", new VersionQuery("", null, null, null, 100))));
        assertEquals(2, store.stats().objects() + 1, "counters count stored versions, not markers");
    }

    private static Set<ChunkId> union(List<ChunkRecord> a, List<ChunkRecord> b) {
        Set<ChunkId> out = ids(a);
        out.addAll(ids(b));
        return out;
    }

    @Test
    void dataSharedByTwoVersionsIsCollectedOnlyWithTheLastOfThem() {
        store.createBucket(bucket("b"));
        versioning("b", Versioning.ENABLED);
        List<ChunkRecord> c = chunks(2);
        ObjectRecord a = put("b", "k", chunkedObject("a", c), c);
        ObjectRecord b = put("b", "k", chunkedObject("b", c), List.of()); // a copy onto itself keeps the chunks
        deleteVersion("b", "k", a.versionId());
        assertEquals(Set.of(), garbage());
        deleteVersion("b", "k", b.versionId());
        assertEquals(ids(c), garbage());
    }

    @Test
    void listingPagesByKeyAndVersionMarkersAndRollsUpPrefixes() {
        store.createBucket(bucket("b"));
        versioning("b", Versioning.ENABLED);
        List<String> all = new ArrayList<>();
        for (String key : List.of("a", "a/x", "ab", "c")) {
            List<String> ofKey = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ofKey.add(0, key + ":" + put("b", key, key + i).versionId());
            }
            for (int i = 0; i < ofKey.size(); i++) {
                all.add(ofKey.get(i) + (i == 0 ? ":latest" : ":old"));
            }
        }
        List<String> paged = new ArrayList<>();
        String keyMarker = null;
        String versionMarker = null;
        while (true) {
            VersionListing page = store.listVersions("b", new VersionQuery("", null, keyMarker, versionMarker, 2));
            paged.addAll(shown(page));
            assertTrue(paged.size() <= all.size(), "paging must end: " + paged);
            if (!page.truncated()) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        }
        assertEquals(all, paged);

        VersionListing rolled = store.listVersions("b", new VersionQuery("a", "/", null, null, 100));
        assertEquals(List.of("a/"), rolled.commonPrefixes());
        assertEquals(6, rolled.versions().size(), "a and ab, three versions each");
        VersionListing after = store.listVersions("b", new VersionQuery("", "/", "a/", null, 100));
        assertFalse(shown(after).stream().anyMatch(s -> s.startsWith("a/") || s.startsWith("a:")));
        assertEquals(6, after.versions().size(), "ab and c");
    }

    @Test
    void aSchema2StoreOpensWithItsObjectsAsNullVersions() throws Exception {
        store.close();
        List<ChunkRecord> c = chunks(1);
        try (RocksHandles raw = RocksHandles.open(dir, true)) {
            // what schema 2 wrote: bucket v2, object v3 (no version), the schema byte 2
            byte[] bucketV2 = new ByteWriter(32).u8(MetadataSchema.BUCKET_V2).string("old").string("owner-1")
                    .varLong(5).string("us-east-1").string(null).toByteArray();
            raw.db.put(raw.buckets, KeyCodec.bucketKey("old"), bucketV2);
            byte[] objectV3 = RecordCodec.encodeObject(chunkedObject("legacy", c));
            assertEquals(MetadataSchema.OBJECT_V3, objectV3[0]);
            raw.db.put(raw.objects, KeyCodec.objectKey("old", "k"), objectV3);
            raw.db.put(raw.chunks, KeyCodec.chunkKey(c.get(0).id()), RecordCodec.encodeChunk(c.get(0)));
            raw.db.put(raw.meta, MetadataSchema.SCHEMA_KEY, new byte[] {2});
        }
        store = RocksMetadataStore.open(dir, clock, GRACE);
        RocksHandles h = store.handles();
        assertEquals(MetadataSchema.SCHEMA_VERSION, h.db.get(h.meta, MetadataSchema.SCHEMA_KEY)[0]);
        assertEquals(Versioning.UNVERSIONED, store.getBucket("old").orElseThrow().versioning());
        assertEquals("null", store.getObjectVersion("old", "k", "null").orElseThrow().versionId());

        versioning("old", Versioning.ENABLED);
        ObjectRecord v = put("old", "k", "new");
        assertEquals(List.of("k:" + v.versionId() + ":latest", "k:null:old"),
                shown(store.listVersions("old", new VersionQuery("", null, null, null, 100))));
        deleteVersion("old", "k", v.versionId());
        assertEquals("legacy", store.getObject("old", "k").orElseThrow().etag());
        assertEquals(Set.of(), garbage());
    }
}
