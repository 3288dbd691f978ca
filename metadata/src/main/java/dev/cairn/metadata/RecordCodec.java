package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Binary value formats of every record the store keeps. Each value starts with its format
 * version byte (see {@link MetadataSchema}); decoders reject versions they do not know, and any
 * malformed value, with {@link MetadataException.StorageFailure}. When a format changes, add a
 * new version and keep the old decoder.
 */
final class RecordCodec {
    private RecordCodec() {
    }

    // ---- buckets ----

    static byte[] encodeBucket(BucketRecord b) {
        return new ByteWriter(48 + b.name().length())
                .u8(MetadataSchema.BUCKET_V3)
                .string(b.name()).string(b.owner()).varLong(b.createdMillis()).string(b.region())
                .string(b.defaultStorageClass())
                .u8(b.versioning().ordinal()).u8(b.objectLock() ? 1 : 0)
                .toByteArray();
    }

    /** Reads v3, v2 (written before buckets were versioned) and v1 (before a default storage class). */
    static BucketRecord decodeBucket(byte[] v) {
        if (isVersion(v, MetadataSchema.BUCKET_V1)) {
            return decode("bucket", v, MetadataSchema.BUCKET_V1,
                    r -> new BucketRecord(r.string(), r.string(), r.varLong(), r.string()));
        }
        if (isVersion(v, MetadataSchema.BUCKET_V2)) {
            return decode("bucket", v, MetadataSchema.BUCKET_V2,
                    r -> new BucketRecord(r.string(), r.string(), r.varLong(), r.string(), r.string()));
        }
        return decode("bucket", v, MetadataSchema.BUCKET_V3,
                r -> new BucketRecord(r.string(), r.string(), r.varLong(), r.string(), r.string(),
                        versioning(r.u8()), r.u8() == 1));
    }

    private static BucketRecord.Versioning versioning(int ordinal) {
        BucketRecord.Versioning[] all = BucketRecord.Versioning.values();
        if (ordinal >= all.length) {
            throw new IllegalStateException("unknown versioning state " + ordinal);
        }
        return all[ordinal];
    }

    // ---- objects ----

    static byte[] encodeObject(ObjectRecord o) {
        ByteWriter w = new ByteWriter(128 + (o.inline() == null ? 0 : o.inline().length) + 24 * o.chunks().size())
                .u8(o.sealing() != null ? MetadataSchema.OBJECT_V5
                        : o.version() == null ? MetadataSchema.OBJECT_V3 : MetadataSchema.OBJECT_V4)
                .varLong(o.size()).string(o.etag()).varLong(o.modifiedMillis())
                .map(o.headers()).map(o.userMetadata());
        checksum(w, o.checksum());
        w.string(o.storageClass()).bytes(o.inline());
        chunkRefs(w, o.chunks());
        w.varInt(o.parts().size());
        for (PartSummary p : o.parts()) {
            w.varInt(p.partNumber()).varLong(p.size()).string(p.etag());
            checksum(w, p.checksum());
        }
        w.string(o.owner()).map(o.tags()).bytes(o.acl());
        if (o.sealing() != null) {
            w.u8(o.version() == null ? 0 : 1);
        }
        if (o.version() != null) {
            ObjectVersion v = o.version();
            w.string(v.id()).varLong(v.seq()).u8(v.deleteMarker() ? 1 : 0)
                    .string(v.lockMode()).varLong(v.retainUntilMillis()).u8(v.legalHold() ? 1 : 0);
        }
        if (o.sealing() != null) {
            w.bytes(o.sealing());
        }
        return w.toByteArray();
    }

    /**
     * Reads v5 (an encrypted object's record: a flag byte saying whether the version fields follow,
     * then the sealing), v4 (a version), v3 (a record without a version: the null version, written
     * before versioning or by a bucket that never had it, unencrypted), v2 (before objects had
     * ACLs) and v1 (before they had tags).
     */
    static ObjectRecord decodeObject(byte[] v) {
        boolean v1 = isVersion(v, MetadataSchema.OBJECT_V1);
        boolean v2 = isVersion(v, MetadataSchema.OBJECT_V2);
        boolean v3 = isVersion(v, MetadataSchema.OBJECT_V3);
        boolean v4 = isVersion(v, MetadataSchema.OBJECT_V4);
        int version = v1 ? MetadataSchema.OBJECT_V1 : v2 ? MetadataSchema.OBJECT_V2
                : v3 ? MetadataSchema.OBJECT_V3 : v4 ? MetadataSchema.OBJECT_V4 : MetadataSchema.OBJECT_V5;
        return decode("object", v, version, r -> {
            long size = r.varLong();
            String etag = r.string();
            long modified = r.varLong();
            var headers = r.map();
            var userMetadata = r.map();
            Checksum checksum = checksum(r);
            String storageClass = r.string();
            byte[] inline = r.bytes();
            List<ChunkRef> chunks = chunkRefs(r);
            int n = r.count();
            List<PartSummary> parts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                parts.add(new PartSummary(r.varInt(), r.varLong(), r.string(), checksum(r)));
            }
            String owner = r.string();
            var tags = v1 ? java.util.Map.<String, String>of() : r.map();
            byte[] acl = v1 || v2 ? null : r.bytes();
            boolean sealed = version == MetadataSchema.OBJECT_V5;
            boolean versioned = version == MetadataSchema.OBJECT_V4 || sealed && r.u8() == 1;
            ObjectVersion ov = versioned ? new ObjectVersion(r.string(), r.varLong(), r.u8() == 1, r.string(),
                    r.varLong(), r.u8() == 1) : null;
            byte[] sealing = sealed ? r.bytes() : null;
            return new ObjectRecord(size, etag, modified, headers, userMetadata, checksum, storageClass, inline,
                    chunks, parts, owner, tags, acl, sealing, ov);
        });
    }

    // ---- uploads and parts ----

    static byte[] encodeUpload(UploadRecord u) {
        return new ByteWriter(96 + u.key().length())
                .u8(MetadataSchema.UPLOAD_V4)
                .string(u.bucket()).string(u.key()).string(u.uploadId()).varLong(u.initiatedMillis())
                .map(u.headers()).map(u.userMetadata())
                .string(u.checksumAlgorithm()).string(u.checksumType()).string(u.storageClass()).string(u.owner())
                .map(u.tags())
                .bytes(u.acl())
                .bytes(u.sealing())
                .toByteArray();
    }

    /** Reads v4, v3 (written before uploads could be encrypted), v2 (before an ACL) and v1 (before tags). */
    static UploadRecord decodeUpload(byte[] v) {
        boolean v1 = isVersion(v, MetadataSchema.UPLOAD_V1);
        boolean v2 = isVersion(v, MetadataSchema.UPLOAD_V2);
        boolean v3 = isVersion(v, MetadataSchema.UPLOAD_V3);
        int version = v1 ? MetadataSchema.UPLOAD_V1 : v2 ? MetadataSchema.UPLOAD_V2
                : v3 ? MetadataSchema.UPLOAD_V3 : MetadataSchema.UPLOAD_V4;
        return decode("upload", v, version,
                r -> new UploadRecord(r.string(), r.string(), r.string(), r.varLong(), r.map(), r.map(),
                        r.string(), r.string(), r.string(), r.string(), v1 ? java.util.Map.of() : r.map(),
                        v1 || v2 ? null : r.bytes(), v1 || v2 || v3 ? null : r.bytes()));
    }

    static byte[] encodePart(PartRecord p) {
        ByteWriter w = new ByteWriter(64 + 24 * p.chunks().size())
                .u8(MetadataSchema.PART_V1)
                .varInt(p.partNumber()).varLong(p.size()).string(p.etag()).varLong(p.modifiedMillis());
        checksum(w, p.checksum());
        chunkRefs(w, p.chunks());
        return w.toByteArray();
    }

    static PartRecord decodePart(byte[] v) {
        return decode("part", v, MetadataSchema.PART_V1,
                r -> new PartRecord(r.varInt(), r.varLong(), r.string(), r.varLong(), checksum(r), chunkRefs(r)));
    }

    // ---- chunks ----

    static byte[] encodeCompletedUpload(CompletedUpload c) {
        ByteWriter w = new ByteWriter(128 + c.key().length())
                .u8(MetadataSchema.COMPLETED_UPLOAD_V1)
                .string(c.bucket()).string(c.key()).string(c.uploadId()).varLong(c.completedMillis())
                .varLong(c.size()).string(c.etag());
        checksum(w, c.checksum());
        return w.bytes(c.partsDigest()).toByteArray();
    }

    static CompletedUpload decodeCompletedUpload(byte[] v) {
        return decode("completed upload", v, MetadataSchema.COMPLETED_UPLOAD_V1, r -> new CompletedUpload(r.string(),
                r.string(), r.string(), r.varLong(), r.varLong(), r.string(), checksum(r), r.bytes()));
    }

    static byte[] encodeChunk(ChunkRecord c) {
        Protection p = c.protection();
        ByteWriter w = new ByteWriter(32 + 24 * c.pieces().size())
                .u8(MetadataSchema.CHUNK_V1)
                .raw(c.id().bytes()).varLong(c.size())
                .u8(p.kind() == Protection.Kind.REPLICA ? 0 : 1).u8(p.dataPieces()).u8(p.parityPieces())
                .varInt(c.pieces().size());
        for (PieceLocation l : c.pieces()) {
            w.varInt(l.index()).string(l.nodeId()).varLong(l.size()).fixedInt(l.crc32c());
        }
        return w.toByteArray();
    }

    static ChunkRecord decodeChunk(byte[] v) {
        return decode("chunk", v, MetadataSchema.CHUNK_V1, r -> {
            ChunkId id = ChunkId.of(r.raw(ChunkId.LENGTH));
            long size = r.varLong();
            int kind = r.u8();
            if (kind > 1) {
                throw new IllegalStateException("unknown protection kind " + kind);
            }
            Protection protection = new Protection(kind == 0 ? Protection.Kind.REPLICA : Protection.Kind.ERASURE,
                    r.u8(), r.u8());
            int n = r.count();
            List<PieceLocation> pieces = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                pieces.add(new PieceLocation(r.varInt(), r.string(), r.varLong(), r.fixedInt()));
            }
            return new ChunkRecord(id, size, protection, pieces);
        });
    }

    // ---- small values ----

    /** A millisecond time: the values of pending_by_chunk and gc_by_chunk. */
    static byte[] encodeMillis(long millis) {
        return new ByteWriter(9).u8(MetadataSchema.MILLIS_V1).varLong(millis).toByteArray();
    }

    static long decodeMillis(byte[] v) {
        return decode("time", v, MetadataSchema.MILLIS_V1, ByteReader::varLong);
    }

    /** A stats row: {objects, bytes}. */
    static byte[] encodeStats(long objects, long bytes) {
        return new ByteWriter(20).u8(MetadataSchema.STATS_V1).varLong(objects).varLong(bytes).toByteArray();
    }

    static long[] decodeStats(byte[] v) {
        return decode("stats", v, MetadataSchema.STATS_V1, r -> new long[] {r.varLong(), r.varLong()});
    }

    /** A bucket stats row: {objects, logical bytes, stored bytes}. */
    static byte[] encodeBucketStats(long objects, long bytes, long stored) {
        return new ByteWriter(30).u8(MetadataSchema.BUCKET_STATS_V2).varLong(objects).varLong(bytes).varLong(stored)
                .toByteArray();
    }

    /** A bucket stats row; a v1 row (before stored bytes) reads with 0 stored bytes (the store rebuilds them at open). */
    static long[] decodeBucketStats(byte[] v) {
        if (isVersion(v, MetadataSchema.STATS_V1)) {
            long[] old = decodeStats(v);
            return new long[] {old[0], old[1], 0};
        }
        return decode("bucket stats", v, MetadataSchema.BUCKET_STATS_V2,
                r -> new long[] {r.varLong(), r.varLong(), r.varLong()});
    }

    // ---- shared pieces ----

    private static void checksum(ByteWriter w, Checksum c) {
        if (c == null) {
            w.u8(0);
        } else {
            w.u8(1).string(c.algorithm()).string(c.type()).string(c.value());
        }
    }

    private static Checksum checksum(ByteReader r) {
        int present = r.u8();
        if (present == 0) {
            return null;
        }
        if (present != 1) {
            throw new IllegalStateException("bad checksum flag " + present);
        }
        return new Checksum(r.string(), r.string(), r.string());
    }

    private static void chunkRefs(ByteWriter w, List<ChunkRef> refs) {
        w.varInt(refs.size());
        for (ChunkRef c : refs) {
            w.raw(c.id().bytes()).varLong(c.size());
        }
    }

    private static List<ChunkRef> chunkRefs(ByteReader r) {
        int n = r.count();
        List<ChunkRef> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(new ChunkRef(ChunkId.of(r.raw(ChunkId.LENGTH)), r.varLong()));
        }
        return refs;
    }

    // ---- cluster map ----

    static byte[] encodeNode(NodeRecord n) {
        return new ByteWriter(64 + n.id().length() + n.address().length())
                .u8(MetadataSchema.NODE_V1)
                .string(n.id()).string(n.address()).string(n.zone())
                .varLong(n.capacity()).varLong(n.used()).varLong(n.pieces())
                .u8(n.state().ordinal())
                .varLong(n.lastHeartbeatMillis()).varLong(n.joinedMillis())
                .toByteArray();
    }

    static NodeRecord decodeNode(byte[] v) {
        return decode("node", v, MetadataSchema.NODE_V1, r -> {
            String id = r.string();
            String address = r.string();
            String zone = r.string();
            long capacity = r.varLong();
            long used = r.varLong();
            long pieces = r.varLong();
            int state = r.u8();
            if (state >= NodeState.values().length) {
                throw new IllegalStateException("unknown node state " + state);
            }
            return new NodeRecord(id, address, zone, capacity, used, pieces, NodeState.values()[state],
                    r.varLong(), r.varLong());
        });
    }

    static byte[] encodeRepair(RepairRecord rec) {
        return new ByteWriter(48)
                .u8(MetadataSchema.REPAIR_V1)
                .string(rec.reason()).string(rec.nodeId()).varLong(rec.recordedMillis())
                .toByteArray();
    }

    static RepairRecord decodeRepair(ChunkId chunk, int pieceIndex, byte[] v) {
        return decode("repair", v, MetadataSchema.REPAIR_V1,
                r -> new RepairRecord(chunk, pieceIndex, r.string(), r.string(), r.varLong()));
    }

    static byte[] encodeMove(MoveIntent m) {
        return new ByteWriter(48)
                .u8(MetadataSchema.MOVE_V1)
                .string(m.fromNode()).string(m.toNode()).varLong(m.startedMillis())
                .toByteArray();
    }

    static MoveIntent decodeMove(ChunkId chunk, int pieceIndex, byte[] v) {
        return decode("move", v, MetadataSchema.MOVE_V1,
                r -> new MoveIntent(chunk, pieceIndex, r.string(), r.string(), r.varLong()));
    }

    static byte[] encodeBucketConfig(byte[] document) {
        byte[] out = new byte[document.length + 1];
        out[0] = (byte) MetadataSchema.BUCKET_CONFIG_V1;
        System.arraycopy(document, 0, out, 1, document.length);
        return out;
    }

    static byte[] decodeBucketConfig(byte[] v) {
        return decode("bucket config", v, MetadataSchema.BUCKET_CONFIG_V1,
                r -> java.util.Arrays.copyOfRange(v, 1, v.length));
    }

    // ---- identities: a version byte, then the IAM layer's document ----

    static byte[] encodeIdentity(byte[] document) {
        byte[] out = new byte[document.length + 1];
        out[0] = (byte) MetadataSchema.IDENTITY_V1;
        System.arraycopy(document, 0, out, 1, document.length);
        return out;
    }

    static byte[] decodeIdentity(byte[] v) {
        return decode("identity", v, MetadataSchema.IDENTITY_V1, r -> java.util.Arrays.copyOfRange(v, 1, v.length));
    }

    // ---- keyring ----

    static byte[] encodeKeyringKey(Keyring.Key k) {
        return new ByteWriter(64).u8(MetadataSchema.KEYRING_KEY_V1).string(k.masterId()).bytes(k.wrapped())
                .toByteArray();
    }

    static Keyring.Key decodeKeyringKey(String id, byte[] v) {
        return decode("keyring key", v, MetadataSchema.KEYRING_KEY_V1, r -> new Keyring.Key(id, r.string(), r.bytes()));
    }

    static byte[] encodeKeyringMaster(String masterId) {
        return new ByteWriter(24).u8(MetadataSchema.KEYRING_MASTER_V1).string(masterId).toByteArray();
    }

    static String decodeKeyringMaster(byte[] v) {
        return decode("keyring master", v, MetadataSchema.KEYRING_MASTER_V1, ByteReader::string);
    }

    private static boolean isVersion(byte[] v, int version) {
        return v != null && v.length > 0 && (v[0] & 0xFF) == version;
    }

    static <T> T decode(String what, byte[] v, int version, Function<ByteReader, T> body) {
        if (v == null || v.length == 0) {
            throw new MetadataException.StorageFailure("empty " + what + " value", null);
        }
        int found = v[0] & 0xFF;
        if (found != version) {
            throw new MetadataException.StorageFailure("unknown " + what + " format version " + found
                    + " (this build reads " + version + ")", null);
        }
        try {
            ByteReader r = new ByteReader(v);
            r.u8();
            return body.apply(r);
        } catch (IllegalStateException | IllegalArgumentException | NullPointerException e) {
            throw new MetadataException.StorageFailure("corrupt " + what + " value: " + e.getMessage(), e);
        }
    }
}
