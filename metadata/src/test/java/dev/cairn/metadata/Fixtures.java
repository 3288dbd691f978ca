package dev.cairn.metadata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Record builders and comparisons shared by the tests. */
final class Fixtures {
    private Fixtures() {
    }

    static BucketRecord bucket(String name) {
        return new BucketRecord(name, "owner-1", 1_700_000_000_000L, "us-east-1");
    }

    static ChunkRecord chunk(ChunkId id, long size) {
        return new ChunkRecord(id, size, Protection.erasure(4, 2), List.of(
                new PieceLocation(0, "node-a", size / 4, 0x12345678),
                new PieceLocation(5, "node-b", size / 4, -1)));
    }

    static List<ChunkRecord> chunks(int n) {
        List<ChunkRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(chunk(ChunkId.random(), 4 << 20));
        }
        return out;
    }

    static List<ChunkRef> refs(List<ChunkRecord> chunks) {
        return chunks.stream().map(c -> new ChunkRef(c.id(), c.size())).toList();
    }

    static ObjectRecord inlineObject(String etag, byte[] data) {
        return new ObjectRecord(data.length, etag, 1_700_000_000_001L, Map.of("content-type", "text/plain"), Map.of(),
                null, "STANDARD", data, List.of(), List.of(), "owner-1");
    }

    static ObjectRecord chunkedObject(String etag, List<ChunkRecord> chunks) {
        long size = chunks.stream().mapToLong(ChunkRecord::size).sum();
        return new ObjectRecord(size, etag, 1_700_000_000_002L, Map.of(), Map.of("k", "v"),
                new Checksum("CRC32C", "FULL_OBJECT", "AAAAAA=="), "STANDARD", null, refs(chunks), List.of(), "owner-1");
    }

    static UploadRecord upload(String bucket, String key) {
        return new UploadRecord(bucket, key, ChunkId.random().hex(), 1_700_000_000_003L, Map.of(), Map.of(),
                null, null, "STANDARD", "owner-1");
    }

    static PartRecord part(int number, List<ChunkRecord> chunks) {
        long size = chunks.stream().mapToLong(ChunkRecord::size).sum();
        return new PartRecord(number, size, "etag-" + number, 1_700_000_000_004L, null, refs(chunks));
    }

    /** ObjectRecord holds a byte array, so record equality is identity for inline data. */
    static void assertSameObject(ObjectRecord expected, ObjectRecord actual) {
        assertEquals(expected.size(), actual.size());
        assertEquals(expected.etag(), actual.etag());
        assertEquals(expected.modifiedMillis(), actual.modifiedMillis());
        assertEquals(expected.headers(), actual.headers());
        assertEquals(expected.userMetadata(), actual.userMetadata());
        assertEquals(expected.checksum(), actual.checksum());
        assertEquals(expected.storageClass(), actual.storageClass());
        assertArrayEquals(expected.inline(), actual.inline());
        assertEquals(expected.chunks(), actual.chunks());
        assertEquals(expected.parts(), actual.parts());
        assertEquals(expected.owner(), actual.owner());
        assertEquals(expected.tags(), actual.tags());
    }
}
