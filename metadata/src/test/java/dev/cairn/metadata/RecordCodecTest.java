package dev.cairn.metadata;

import static dev.cairn.metadata.Fixtures.assertSameObject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class RecordCodecTest {

    @Test
    void bucketRoundTrips() {
        BucketRecord b = new BucketRecord("my-bucket", "owner", 1_700_000_000_123L, "eu-west-1");
        assertEquals(b, RecordCodec.decodeBucket(RecordCodec.encodeBucket(b)));
    }

    @Test
    void inlineObjectRoundTripsWithNullChecksumAndEmptyMaps() {
        ObjectRecord o = new ObjectRecord(3, "abc", 5, Map.of(), Map.of(), null, "STANDARD", new byte[] {1, 0, -1},
                List.of(), List.of(), "me");
        ObjectRecord back = RecordCodec.decodeObject(RecordCodec.encodeObject(o));
        assertSameObject(o, back);
        assertNull(back.checksum());
        assertEquals(Map.of(), back.headers());
    }

    @Test
    void emptyInlineObjectStaysInline() {
        ObjectRecord o = Fixtures.inlineObject("d41d8cd98f00b204e9800998ecf8427e", new byte[0]);
        ObjectRecord back = RecordCodec.decodeObject(RecordCodec.encodeObject(o));
        assertSameObject(o, back);
        assertEquals(0, back.inline().length);
    }

    @Test
    void chunkedMultipartObjectRoundTrips() {
        ObjectRecord o = new ObjectRecord(Long.MAX_VALUE, "abc-2", 1_700_000_000_000L,
                Map.of("content-type", "image/png", "cache-control", "no-cache"),
                Map.of("unicode", "\u00e9\uD83D\uDE00", "empty", ""),
                new Checksum("CRC64NVME", "COMPOSITE", "xyz=-2"), null, null,
                Fixtures.refs(Fixtures.chunks(3)),
                List.of(new PartSummary(1, 5 << 20, "e1", null),
                        new PartSummary(2, 1, "e2", new Checksum("SHA256", "COMPOSITE", "q"))),
                null);
        ObjectRecord back = RecordCodec.decodeObject(RecordCodec.encodeObject(o));
        assertSameObject(o, back);
        assertNull(back.inline());
        assertNull(back.owner());
        assertNull(back.storageClass());
    }

    @Test
    void encodingIsDeterministicWhateverTheMapOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("x", "1");
        a.put("a", "2");
        ObjectRecord o1 = new ObjectRecord(0, "e", 0, a, Map.of(), null, "S", new byte[0], List.of(), List.of(), "o");
        ObjectRecord o2 = new ObjectRecord(0, "e", 0, new TreeMap<>(a), Map.of(), null, "S", new byte[0], List.of(),
                List.of(), "o");
        assertArrayEquals(RecordCodec.encodeObject(o1), RecordCodec.encodeObject(o2));
    }

    @Test
    void objectTagsRoundTrip() {
        ObjectRecord o = Fixtures.inlineObject("e", new byte[] {1}).withTags(Map.of("a", "1", "empty", ""));
        assertEquals(Map.of("a", "1", "empty", ""), RecordCodec.decodeObject(RecordCodec.encodeObject(o)).tags());
    }

    /** The exact bytes of an ObjectRecord v1 as the previous build wrote them. */
    private static byte[] objectV1(ObjectRecord o) {
        ByteWriter w = new ByteWriter(64).u8(MetadataSchema.OBJECT_V1)
                .varLong(o.size()).string(o.etag()).varLong(o.modifiedMillis())
                .map(o.headers()).map(o.userMetadata())
                .u8(0) // no checksum
                .string(o.storageClass()).bytes(o.inline())
                .varInt(0) // no chunks
                .varInt(0); // no parts
        return w.string(o.owner()).toByteArray();
    }

    @Test
    void objectWrittenInVersionOneIsReadAsAnUntaggedObject() {
        ObjectRecord o = Fixtures.inlineObject("v1etag", new byte[] {4, 2});
        ObjectRecord back = RecordCodec.decodeObject(objectV1(o));
        assertSameObject(o, back);
        assertEquals(Map.of(), back.tags());
        assertEquals(MetadataSchema.OBJECT_V4, RecordCodec.encodeObject(back)[0]);
    }

    @Test
    void objectWrittenInVersionTwoIsReadWithTheDefaultAcl() {
        ObjectRecord o = Fixtures.inlineObject("v2etag", new byte[] {1}).withTags(Map.of("t", "v"));
        byte[] v3 = RecordCodec.encodeObject(o);
        // v2 is v3 without the trailing acl field (a null byte array is the single byte 0)
        byte[] v2 = java.util.Arrays.copyOf(v3, v3.length - 1);
        v2[0] = (byte) MetadataSchema.OBJECT_V2;
        ObjectRecord back = RecordCodec.decodeObject(v2);
        assertEquals(Map.of("t", "v"), back.tags());
        assertEquals(null, back.acl());
    }

    @Test
    void objectAndUploadAclsRoundTrip() {
        byte[] acl = {'{', '}'};
        ObjectRecord o = Fixtures.inlineObject("e", new byte[] {1}).withAcl(acl);
        assertArrayEquals(acl, RecordCodec.decodeObject(RecordCodec.encodeObject(o)).acl());
        UploadRecord u = new UploadRecord("b", "k", ChunkId.random().hex(), 7, Map.of(), Map.of(), null, null,
                "STANDARD", "o", Map.of(), acl);
        assertArrayEquals(acl, RecordCodec.decodeUpload(RecordCodec.encodeUpload(u)).acl());
    }

    @Test
    void uploadWrittenInVersionOneIsReadWithoutTags() {
        UploadRecord u = new UploadRecord("b", "k", ChunkId.random().hex(), 7, Map.of("content-type", "a/b"),
                Map.of("m", "n"), "CRC32", "COMPOSITE", "STANDARD_IA", "o");
        byte[] v1 = new ByteWriter(96).u8(MetadataSchema.UPLOAD_V1)
                .string(u.bucket()).string(u.key()).string(u.uploadId()).varLong(u.initiatedMillis())
                .map(u.headers()).map(u.userMetadata())
                .string(u.checksumAlgorithm()).string(u.checksumType()).string(u.storageClass()).string(u.owner())
                .toByteArray();
        assertEquals(u, RecordCodec.decodeUpload(v1));
        UploadRecord tagged = new UploadRecord("b", "k", u.uploadId(), 7, Map.of(), Map.of(), null, null, "STANDARD",
                "o", Map.of("t", "v"));
        assertEquals(tagged, RecordCodec.decodeUpload(RecordCodec.encodeUpload(tagged)));
    }

    @Test
    void uploadRoundTripsWithAndWithoutChecksumAlgorithm() {
        UploadRecord u = Fixtures.upload("b", "dir/\0key");
        assertEquals(u, RecordCodec.decodeUpload(RecordCodec.encodeUpload(u)));
        UploadRecord c = new UploadRecord("b", "k", ChunkId.random().hex(), 7, Map.of("content-type", "a/b"),
                Map.of("m", "n"), "CRC32", "COMPOSITE", "STANDARD_IA", "o");
        assertEquals(c, RecordCodec.decodeUpload(RecordCodec.encodeUpload(c)));
    }

    @Test
    void partRoundTrips() {
        PartRecord p = Fixtures.part(10000, Fixtures.chunks(2));
        assertEquals(p, RecordCodec.decodePart(RecordCodec.encodePart(p)));
        PartRecord empty = new PartRecord(1, 0, "e", 0, new Checksum("CRC32", "FULL_OBJECT", "AAA="), List.of());
        assertEquals(empty, RecordCodec.decodePart(RecordCodec.encodePart(empty)));
    }

    @Test
    void chunkRoundTripsForReplicasAndErasure() {
        ChunkRecord ec = Fixtures.chunk(ChunkId.random(), 4 << 20);
        assertEquals(ec, RecordCodec.decodeChunk(RecordCodec.encodeChunk(ec)));
        ChunkRecord rep = new ChunkRecord(ChunkId.random(), 1, Protection.replicas(3),
                List.of(new PieceLocation(0, "n1", 1, Integer.MIN_VALUE), new PieceLocation(2, "n3", 1, 0)));
        assertEquals(rep, RecordCodec.decodeChunk(RecordCodec.encodeChunk(rep)));
        ChunkRecord none = new ChunkRecord(ChunkId.random(), 0, Protection.erasure(200, 55), List.of());
        assertEquals(none, RecordCodec.decodeChunk(RecordCodec.encodeChunk(none)));
    }

    @Test
    void smallValuesRoundTrip() {
        for (long v : new long[] {0, 1, 127, 128, 1_700_000_000_000L, Long.MAX_VALUE, -1}) {
            assertEquals(v, RecordCodec.decodeMillis(RecordCodec.encodeMillis(v)));
        }
        assertArrayEquals(new long[] {3, 1L << 40}, RecordCodec.decodeStats(RecordCodec.encodeStats(3, 1L << 40)));
    }

    @Test
    void unknownVersionsAreRejected() {
        byte[] v = RecordCodec.encodeObject(Fixtures.inlineObject("e", new byte[] {1}));
        v[0] = 99;
        assertThrows(MetadataException.StorageFailure.class, () -> RecordCodec.decodeObject(v));
        byte[] c = RecordCodec.encodeChunk(Fixtures.chunk(ChunkId.random(), 10));
        c[0] = 2;
        assertThrows(MetadataException.StorageFailure.class, () -> RecordCodec.decodeChunk(c));
        assertThrows(MetadataException.StorageFailure.class, () -> RecordCodec.decodeBucket(new byte[0]));
        assertThrows(MetadataException.StorageFailure.class, () -> RecordCodec.decodeUpload(new byte[] {0}));
        assertThrows(MetadataException.StorageFailure.class, () -> RecordCodec.decodePart(new byte[] {7}));
    }

    @Test
    void truncatedOrCorruptValuesAreRejected() {
        byte[] full = RecordCodec.encodeObject(Fixtures.chunkedObject("e", Fixtures.chunks(2)));
        for (int n = 1; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThrows(MetadataException.StorageFailure.class, () -> RecordCodec.decodeObject(cut), "length " + n);
        }
        byte[] chunk = RecordCodec.encodeChunk(Fixtures.chunk(ChunkId.random(), 10));
        chunk[1 + 16 + 1] = 7; // protection kind
        assertThrows(MetadataException.StorageFailure.class, () -> RecordCodec.decodeChunk(chunk));
    }
}
