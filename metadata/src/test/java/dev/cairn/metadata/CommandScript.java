package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.cairn.metadata.UploadCommand.AbortUpload;
import dev.cairn.metadata.GarbageCommand.ClearGarbageEntries;
import dev.cairn.metadata.ClusterCommand.ClearMoves;
import dev.cairn.metadata.ClusterCommand.ClearPieceDeletes;
import dev.cairn.metadata.ClusterCommand.ClearRepairs;
import dev.cairn.metadata.UploadCommand.CompleteUpload;
import dev.cairn.metadata.MetaCommand.CreateBucket;
import dev.cairn.metadata.UploadCommand.CreateUpload;
import dev.cairn.metadata.MetaCommand.DeleteBucket;
import dev.cairn.metadata.MetaCommand.DeleteObject;
import dev.cairn.metadata.GarbageCommand.DropPending;
import dev.cairn.metadata.MetaCommand.Expire;
import dev.cairn.metadata.GarbageCommand.ForgetChunks;
import dev.cairn.metadata.UploadCommand.ForgetCompletedUploads;
import dev.cairn.metadata.GarbageCommand.MarkPending;
import dev.cairn.metadata.GarbageCommand.OpenEpoch;
import dev.cairn.metadata.MetaCommand.PutBucketConfig;
import dev.cairn.metadata.ClusterCommand.PutNodes;
import dev.cairn.metadata.MetaCommand.PutObject;
import dev.cairn.metadata.UploadCommand.PutPart;
import dev.cairn.metadata.ClusterCommand.RecordMoves;
import dev.cairn.metadata.ClusterCommand.RecordRepairs;
import dev.cairn.metadata.GarbageCommand.RetireEpoch;
import dev.cairn.metadata.MetaCommand.SetDefaultStorageClass;
import dev.cairn.metadata.MetaCommand.SetObjectAcl;
import dev.cairn.metadata.MetaCommand.SetObjectTags;
import dev.cairn.metadata.ClusterCommand.UpdatePieces;
import dev.cairn.metadata.MetaCommand.WriteIdentities;

/**
 * A fixed sequence of commands that uses every command type and meets every rejection reason,
 * for a store whose writer epoch 1 is open (a fresh {@link RocksMetadataStore}). Ids come from a
 * seeded generator, so two scripts built with the same seed are equal.
 */
final class CommandScript {
    static final long T = 1_750_000_000_000L;
    private final Random random;
    final List<MetaCommand<?>> commands = new ArrayList<>();

    private CommandScript(long seed) {
        this.random = new Random(seed);
    }

    private ChunkId id() {
        byte[] b = new byte[ChunkId.LENGTH];
        random.nextBytes(b);
        return ChunkId.of(b);
    }

    private String uploadId() {
        return id().hex();
    }

    private ChunkRecord chunk() {
        ChunkId id = id();
        return new ChunkRecord(id, 4 << 20, Protection.erasure(2, 1), List.of(
                new PieceLocation(0, "node-a", 2 << 20, random.nextInt()),
                new PieceLocation(1, "node-b", 2 << 20, random.nextInt()),
                new PieceLocation(2, "node-c", 2 << 20, random.nextInt())));
    }

    private static ObjectRecord object(String etag, List<ChunkRecord> chunks) {
        return new ObjectRecord(chunks.stream().mapToLong(ChunkRecord::size).sum(), etag, T,
                Map.of("content-type", "application/octet-stream"), Map.of("mtime", "1"),
                new Checksum("CRC32C", "FULL_OBJECT", "AAAAAA=="), "STANDARD", null,
                chunks.stream().map(c -> new ChunkRef(c.id(), c.size())).toList(), List.of(), "owner");
    }

    private static ObjectRecord inline(String etag, String text) {
        byte[] data = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new ObjectRecord(data.length, etag, T, Map.of(), Map.of(), null, "STANDARD", data, List.of(),
                List.of(), "owner");
    }

    private static UploadRecord upload(String bucket, String key, String id) {
        return new UploadRecord(bucket, key, id, T, Map.of("content-type", "text/plain"), Map.of("a", "b"), "CRC32",
                "COMPOSITE", "STANDARD", "owner", Map.of("team", "storage"));
    }

    private static PartRecord part(int n, List<ChunkRecord> chunks) {
        return new PartRecord(n, chunks.stream().mapToLong(ChunkRecord::size).sum(), "etag-" + n, T,
                new Checksum("CRC32", "COMPOSITE", "AAAA"), chunks.stream().map(c -> new ChunkRef(c.id(), c.size())).toList());
    }

    private static NodeRecord node(String id, NodeState state) {
        return new NodeRecord(id, "http://" + id + ":9100", "zone-" + id, 1L << 40, 1L << 30, 12, state, T, T - 1000);
    }

    private void add(MetaCommand<?> c) {
        commands.add(c);
    }

    static CommandScript build(long seed) {
        CommandScript s = new CommandScript(seed);
        s.script();
        return s;
    }

    private void script() {
        long due = T + 60_000;
        // buckets
        add(new CreateBucket(new BucketRecord("b1", "owner", T, "us-east-1")));
        add(new CreateBucket(new BucketRecord("b2", "owner", T, "eu-west-1")));
        add(new CreateBucket(new BucketRecord("live", "owner", T, "us-east-1")));
        add(new CreateBucket(new BucketRecord("b1", "other", T + 1, "us-east-1"))); // BUCKET_EXISTS
        add(new PutBucketConfig("b1", "cors", "<CORSConfiguration/>".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        add(new PutBucketConfig("b1", "tagging", new byte[] {1, 2, 3}));
        add(new PutBucketConfig("b1", "tagging", null));
        add(new PutBucketConfig("nope", "cors", new byte[0])); // NO_SUCH_BUCKET
        add(new SetDefaultStorageClass("b1", "REDUCED_REDUNDANCY"));
        add(new SetDefaultStorageClass("nope", "STANDARD")); // NO_SUCH_BUCKET

        // objects, with pending marks of the store's epoch 1
        List<ChunkRecord> c = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            c.add(chunk());
        }
        add(new MarkPending(1, c));
        add(new PutObject("b1", "k1", object("e1", c.subList(0, 2)), c.subList(0, 2), WriteCondition.MUST_NOT_EXIST, due));
        add(new PutObject("b1", "k1", object("e2", c.subList(0, 2)), List.of(), WriteCondition.MUST_NOT_EXIST, due)); // PRECONDITION_FAILED
        add(new PutObject("b1", "k1", object("e3", c.subList(2, 3)), c.subList(2, 3), WriteCondition.etagMatches("\"e1\""),
                due + 1));
        add(new PutObject("b1", "k2", inline("e4", "small"), List.of(), WriteCondition.NONE, due));
        add(new SetObjectTags("b1", "k2", Map.of("a", "1", "b", "2")));
        add(new SetObjectTags("b1", "missing", Map.of())); // NO_SUCH_KEY
        add(new SetObjectAcl("b1", "k2", new byte[] {1, 0, 7}));
        add(new SetObjectAcl("b1", "missing", null)); // NO_SUCH_KEY
        add(new SetObjectAcl("b1", "k1", null));
        add(new DeleteObject("b1", "k2", WriteCondition.etagMatches("zz"), due)); // PRECONDITION_FAILED
        add(new DeleteObject("b1", "k2", WriteCondition.NONE.andSize(6), due)); // PRECONDITION_FAILED
        add(new PutObject("b1", "k1", inline("e5", "x"), List.of(), WriteCondition.NONE.andEtagNotIn(List.of("W/\"e3\"")),
                due)); // PRECONDITION_FAILED
        add(new PutObject("b1", "k3", inline("e6", "x"), List.of(), WriteCondition.etagMatches("*"), due)); // NO_SUCH_KEY
        add(new DeleteObject("b1", "k2", WriteCondition.NONE.andSize(5).andModifiedSecond(T / 1000)
                .andEtagNotIn(List.of("zz")), due + 2));
        add(new DeleteObject("b1", "absent", WriteCondition.NONE, due));

        // multipart
        String u1 = uploadId();
        ChunkRecord p1 = chunk();
        ChunkRecord p2 = chunk();
        ChunkRecord p2again = chunk();
        add(new CreateUpload(upload("b1", "mp", u1)));
        add(new PutPart("b1", "mp", u1, part(1, List.of(p1)), List.of(p1), due));
        add(new PutPart("b1", "mp", u1, part(2, List.of(p2)), List.of(p2), due));
        add(new PutPart("b1", "mp", u1, part(2, List.of(p2again)), List.of(p2again), due + 3));
        add(new PutPart("b1", "mp", uploadId(), part(1, List.of()), List.of(), due)); // NO_SUCH_UPLOAD
        add(new CompleteUpload("b1", "mp", u1, List.of(1, 2), object("mp-2", List.of(p1, p2)), WriteCondition.NONE,
                new byte[] {1, 2}, due)); // CONFLICT: part 2 was uploaded again
        add(new CompleteUpload("b1", "mp", u1, List.of(1, 2), object("mp-2", List.of(p1, p2again)),
                WriteCondition.NONE, new byte[] {1, 2, 3}, due + 4));
        add(new ForgetCompletedUploads(T, 10)); // completed at T: kept
        String u2 = uploadId();
        ChunkRecord q = chunk();
        add(new CreateUpload(upload("b1", "mp2", u2)));
        add(new PutPart("b1", "mp2", u2, part(1, List.of(q)), List.of(q), due));
        add(new AbortUpload("b1", "mp2", u2, due + 5));
        add(new AbortUpload("b1", "mp2", u2, due)); // NO_SUCH_UPLOAD
        String u3 = uploadId();
        ChunkRecord r = chunk();
        add(new CreateUpload(upload("b2", "left", u3)));
        add(new PutPart("b2", "left", u3, part(7, List.of(r)), List.of(r), due));

        // bucket deletion
        add(new DeleteBucket("b1", due)); // BUCKET_NOT_EMPTY
        add(new DeleteObject("b1", "k1", WriteCondition.NONE, due + 6));
        add(new DeleteObject("b1", "mp", WriteCondition.NONE, due + 7));
        add(new DeleteBucket("b1", due + 8));
        add(new DeleteBucket("b2", due + 9)); // aborts u3

        // epochs and pending marks
        ChunkRecord m1 = chunk();
        ChunkRecord m2 = chunk();
        add(new OpenEpoch("gateway-2", T + 10)); // epoch 2
        add(new MarkPending(2, List.of(m1, m2)));
        add(new DropPending(List.of(m1.id(), id())));
        add(new RetireEpoch(2));
        add(new MarkPending(2, List.of(chunk()))); // CONFLICT: retired
        add(new ForgetChunks(List.of(m2.id(), c.get(0).id()))); // epoch 2's last mark: its row goes
        add(new OpenEpoch("local", T + 20)); // epoch 3, retires epoch 1

        // garbage entries without a chunk record
        ChunkRecord recorded = chunk();
        ChunkRecord unrecorded = chunk();
        add(new PutObject("live", "partly", object("p", List.of(unrecorded, recorded)), List.of(recorded),
                WriteCondition.NONE, due));
        add(new DeleteObject("live", "partly", WriteCondition.NONE, due + 10));
        add(new ClearGarbageEntries(List.of(new GarbageEntry(due + 10, unrecorded.id()),
                new GarbageEntry(due + 10, recorded.id()))));

        // versioning: enabled, suspended; version ids proposed by the caller, seqs given in apply
        add(new MetaCommand.SetBucketVersioning("live", BucketRecord.Versioning.UNVERSIONED)); // CONFLICT
        add(new PutObject("live", "v", inline("v0", "before"), List.of(), WriteCondition.NONE, due)); // null version
        add(new MetaCommand.SetBucketVersioning("live", BucketRecord.Versioning.ENABLED));
        ChunkRecord vc = chunk();
        add(new MarkPending(3, List.of(vc)));
        add(new PutObject("live", "v", object("v1", List.of(vc)).withVersion(ObjectVersion.proposed(uploadId(), false)),
                List.of(vc), WriteCondition.NONE, due));
        add(new PutObject("live", "v", inline("v2", "two").withVersion(ObjectVersion.proposed(uploadId(), false)),
                List.of(), WriteCondition.NONE, due));
        add(new MetaCommand.SetVersionTags("live", "v", "null", Map.of("old", "yes")));
        add(new MetaCommand.SetVersionAcl("live", "v", "null", new byte[] {4}));
        add(new MetaCommand.SetVersionTags("live", "v", "no-such-version", Map.of())); // NO_SUCH_KEY
        add(new MetaCommand.DeleteKey("live", "v", WriteCondition.NONE, ObjectRecord.deleteMarker(T + 30, "owner",
                uploadId()), due + 11));
        add(new MetaCommand.DeleteKey("live", "nope", WriteCondition.NONE, ObjectRecord.deleteMarker(T, "owner",
                uploadId()), due)); // NO_SUCH_BUCKET
        add(new MetaCommand.SetBucketVersioning("live", BucketRecord.Versioning.SUSPENDED));
        add(new PutObject("live", "v", inline("v3", "suspended"), List.of(), WriteCondition.NONE, due + 12));
        add(new MetaCommand.DeleteVersion("live", "v", "null", due + 13, T, false)); // the marker on top stays newest
        add(new MetaCommand.DeleteKey("live", "v", WriteCondition.NONE, ObjectRecord.deleteMarker(T + 40, "owner",
                null), due + 14));
        add(new MetaCommand.DeleteVersion("live", "v", "absent", due, T, false));
        add(new MetaCommand.SetBucketVersioning("nope", BucketRecord.Versioning.ENABLED)); // NO_SUCH_BUCKET

        // object lock: retention and legal hold, decided at the command's time
        add(new CreateBucket(new BucketRecord("locked", "owner", T, "us-east-1").withObjectLock()));
        add(new MetaCommand.SetBucketVersioning("locked", BucketRecord.Versioning.SUSPENDED)); // CONFLICT
        add(new MetaCommand.SetVersionRetention("live", "v", null, "GOVERNANCE", T + 1, T, false)); // CONFLICT
        String lockedId = uploadId();
        add(new PutObject("locked", "l", inline("l1", "kept").withVersion(ObjectVersion.proposed(lockedId, false)
                .withLock(ObjectVersion.COMPLIANCE, T + 86_400_000L, false)), List.of(), WriteCondition.NONE, due));
        add(new MetaCommand.DeleteVersion("locked", "l", lockedId, due, T + 1000, true)); // OBJECT_LOCKED
        add(new MetaCommand.SetVersionRetention("locked", "l", lockedId, "GOVERNANCE", T + 86_400_000L, T + 1000,
                true)); // OBJECT_LOCKED: COMPLIANCE stays
        add(new MetaCommand.SetVersionRetention("locked", "l", null, "COMPLIANCE", T + 2 * 86_400_000L, T + 1000,
                false));
        add(new MetaCommand.SetVersionLegalHold("locked", "l", lockedId, true));
        add(new MetaCommand.DeleteVersion("locked", "l", lockedId, due, T + 3 * 86_400_000L, false)); // OBJECT_LOCKED
        add(new MetaCommand.SetVersionLegalHold("locked", "l", null, false));
        add(new MetaCommand.DeleteVersion("locked", "l", lockedId, due + 15, T + 3 * 86_400_000L, false));

        // lifecycle: each expiration names the version it read; a stale one is refused, a locked version kept
        String e1 = uploadId();
        String e2 = uploadId();
        String markerId = uploadId();
        ObjectRecord marker = ObjectRecord.deleteMarker(T + 50, "owner", markerId);
        add(new PutObject("locked", "e", inline("e1", "one").withVersion(ObjectVersion.proposed(e1, false)), List.of(),
                WriteCondition.NONE, due)); // seq 0
        add(new PutObject("locked", "e", inline("e2", "two").withVersion(ObjectVersion.proposed(e2, false)
                .withLock(ObjectVersion.COMPLIANCE, T + 86_400_000L, false)), List.of(), WriteCondition.NONE, due));
        add(new Expire("locked", "e", Expire.Target.CURRENT, e2, 0, T, marker, T + 1000, due)); // PRECONDITION_FAILED
        add(new Expire("locked", "e", Expire.Target.CURRENT, e2, 1, T, marker, T + 1000, due + 16)); // marker on top
        add(new Expire("locked", "e", Expire.Target.NONCURRENT, e2, 1, T, marker, T + 1000, due)); // OBJECT_LOCKED
        add(new Expire("locked", "e", Expire.Target.NONCURRENT, e1, 0, T, marker, T + 1000, due + 17));
        add(new Expire("locked", "e", Expire.Target.LONE_DELETE_MARKER, markerId, 2, T + 50, marker, T + 1000,
                due)); // PRECONDITION_FAILED: e2 is still there
        add(new Expire("locked", "e", Expire.Target.NONCURRENT, e2, 1, T, marker, T + 2 * 86_400_000L, due + 18));
        add(new Expire("locked", "e", Expire.Target.LONE_DELETE_MARKER, markerId, 2, T + 50, marker,
                T + 2 * 86_400_000L, due + 19));
        add(new Expire("nope", "e", Expire.Target.CURRENT, e1, 0, T, marker, T, due)); // NO_SUCH_BUCKET

        // lifecycle transitions: new chunks marked as a PUT marks them; a swap of data that changed is refused
        ChunkRecord cold = chunk();
        ChunkRecord colder = new ChunkRecord(id(), cold.size(), Protection.replicas(2), List.of(
                new PieceLocation(0, "node-d", cold.size(), random.nextInt()),
                new PieceLocation(1, "node-e", cold.size(), random.nextInt())));
        add(new MarkPending(1, List.of(cold, colder)));
        add(new PutObject("live", "cold", object("c", List.of(cold)), List.of(cold), WriteCondition.NONE, due));
        ChunkRef coldRef = new ChunkRef(cold.id(), cold.size());
        ChunkRef colderRef = new ChunkRef(colder.id(), colder.size());
        add(new MetaCommand.Transition("live", "cold", "null", 0, T, "STANDARD_IA", List.of(colderRef),
                List.of(colderRef), List.of(), due)); // PRECONDITION_FAILED: not its chunks
        add(new MetaCommand.Transition("live", "cold", "null", 0, T, "STANDARD_IA", List.of(coldRef),
                List.of(colderRef), List.of(colder), due + 20));

        // cluster map and repairs
        add(new PutNodes(List.of(node("n1", NodeState.UP), node("n2", NodeState.UP))));
        add(new PutNodes(List.of(node("n1", NodeState.DOWN))));

        // movers, on a live chunk
        ChunkRecord moved = chunk();
        add(new PutObject("live", "moved", object("m", List.of(moved)), List.of(moved), WriteCondition.NONE, due));
        add(new RecordRepairs(List.of(new RepairRecord(moved.id(), 1, "corrupt", "node-b", T),
                new RepairRecord(moved.id(), 2, "missing", "node-c", T))));
        add(new ClearRepairs(List.of(new RepairRecord(moved.id(), 2, "missing", "node-c", T))));
        MoveIntent intent = new MoveIntent(moved.id(), 1, "node-b", "node-d", T);
        add(new RecordMoves(List.of(intent, new MoveIntent(moved.id(), 0, "", "node-e", T))));
        List<PieceLocation> updated = List.of(moved.pieces().get(0),
                new PieceLocation(1, "node-d", 2 << 20, moved.pieces().get(1).crc32c()),
                new PieceLocation(2, "node-f", 2 << 20, moved.pieces().get(2).crc32c()));
        add(new UpdatePieces(moved.id(), List.of(moved.pieces().get(2), moved.pieces().get(1), moved.pieces().get(0)),
                updated, T + 5000));
        add(new UpdatePieces(moved.id(), moved.pieces(), updated, T + 5000)); // stale: not applied
        add(new ClearMoves(List.of(new MoveIntent(moved.id(), 0, "", "node-e", T))));
        add(new ClearPieceDeletes(List.of(new PieceDelete(moved.id(), 1, "node-b", T + 5000)))); // node-c's stays
        add(new RecordMoves(List.of(new MoveIntent(moved.id(), 0, "node-a", "node-g", T))));
        add(new ForgetChunks(List.of(recorded.id())));
        add(new RecordRepairs(List.of(new RepairRecord(moved.id(), 0, "missing", "node-a", T)))); // stays
        add(new ForgetCompletedUploads(T + 1, 10)); // now forgotten

        // identities: compare-and-set changes
        IdentityKey alice = IdentityKey.of(IdentityKey.Kind.USER, "alice");
        IdentityKey aliceKey = IdentityKey.of(IdentityKey.Kind.ACCESS_KEY, "alice", "AKIA1");
        IdentityKey quota = IdentityKey.of(IdentityKey.Kind.USER_QUOTA, "alice");
        byte[] v1 = utf8("{\"name\":\"alice\",\"v\":1}");
        add(new WriteIdentities(new IdentityChange(List.of(new IdentityRow(alice, v1),
                new IdentityRow(aliceKey, utf8("{\"secret\":\"s\"}"))), List.of(),
                List.of(IdentityChange.Expected.absent(alice)))));
        add(new WriteIdentities(new IdentityChange(List.of(new IdentityRow(alice, utf8("{}"))), List.of(),
                List.of(IdentityChange.Expected.absent(alice))))); // PRECONDITION_FAILED: alice exists
        add(new WriteIdentities(new IdentityChange(List.of(new IdentityRow(quota, utf8("{\"maxBytes\":10}"))),
                List.of(aliceKey), List.of(new IdentityChange.Expected(alice, v1)))));
        add(new WriteIdentities(new IdentityChange(List.of(), List.of(quota),
                List.of(new IdentityChange.Expected(alice, utf8("stale")))))); // PRECONDITION_FAILED

        // keyring: keys arrive wrapped (the bytes are the caller's), the first sets the master key id
        byte[] w1 = new byte[60];
        random.nextBytes(w1);
        byte[] w2 = new byte[60];
        random.nextBytes(w2);
        add(new MetaCommand.RewrapKeyring(null, "mk-1", List.of(new Keyring.Key("cairn-sse-s3", "mk-1", w1)))); // import
        add(new MetaCommand.AddKeyringKey(new Keyring.Key("cairn-sse-s3", "mk-1", w2))); // CONFLICT: exists
        add(new MetaCommand.AddKeyringKey(new Keyring.Key("kms-1", "mk-2", w2))); // PRECONDITION_FAILED: mk-1 wraps
        add(new MetaCommand.AddKeyringKey(new Keyring.Key("kms-1", "mk-1", w2)));
        add(new MetaCommand.RewrapKeyring("mk-1", "mk-2", List.of(new Keyring.Key("cairn-sse-s3", "mk-2", w2))));
        // PRECONDITION_FAILED above: kms-1 was left out; then the whole keyring, re-wrapped
        add(new MetaCommand.RewrapKeyring("mk-1", "mk-2", List.of(new Keyring.Key("cairn-sse-s3", "mk-2", w2),
                new Keyring.Key("kms-1", "mk-2", w1))));
        add(new MetaCommand.RewrapKeyring("mk-1", "mk-3", List.of(new Keyring.Key("cairn-sse-s3", "mk-3", w1),
                new Keyring.Key("kms-1", "mk-3", w2)))); // PRECONDITION_FAILED: mk-2 wraps it now
        add(new MetaCommand.AddKeyringKey(new Keyring.Key("kms-2", "mk-2", w1)));
        add(new MetaCommand.RewrapKeyring(null, "mk-9", List.of())); // PRECONDITION_FAILED: not empty, no import
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
