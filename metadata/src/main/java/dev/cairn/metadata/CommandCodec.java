package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

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
import dev.cairn.metadata.MetaCommand.Type;
import dev.cairn.metadata.ClusterCommand.UpdatePieces;
import dev.cairn.metadata.MetaCommand.WriteIdentities;

/**
 * The binary form of a {@link MetaCommand}, as a replicated log carries it:
 * {@code u8 format version} ({@value #V1}), {@code u8 command tag} ({@link Type}), then the
 * command's fields in declaration order, with {@link ByteWriter}'s primitives. Stored records
 * inside a command (objects, chunks, uploads, parts, nodes, repairs, moves) are embedded as
 * length-prefixed values in their own versioned formats ({@link RecordCodec}), so a record format
 * change does not need a new command format. Bad input throws {@link MetadataException.StorageFailure}.
 * When a command's fields change, add a format version and keep decoding the old one.
 */
public final class CommandCodec {
    static final int V1 = 1;

    private CommandCodec() {
    }

    public static byte[] encode(MetaCommand<?> command) {
        ByteWriter w = new ByteWriter(64).u8(V1).u8(command.type().tag);
        switch (command.type()) {
            case CREATE_BUCKET -> w.bytes(RecordCodec.encodeBucket(((CreateBucket) command).bucket()));
            case DELETE_BUCKET -> {
                DeleteBucket c = (DeleteBucket) command;
                w.string(c.bucket()).varLong(c.garbageDueMillis());
            }
            case PUT_BUCKET_CONFIG -> {
                PutBucketConfig c = (PutBucketConfig) command;
                w.string(c.bucket()).string(c.kind()).bytes(c.document());
            }
            case SET_DEFAULT_STORAGE_CLASS -> {
                SetDefaultStorageClass c = (SetDefaultStorageClass) command;
                w.string(c.bucket()).string(c.storageClass());
            }
            case SET_BUCKET_VERSIONING -> {
                MetaCommand.SetBucketVersioning c = (MetaCommand.SetBucketVersioning) command;
                w.string(c.bucket()).u8(c.state().ordinal());
            }
            case DELETE_KEY -> {
                MetaCommand.DeleteKey c = (MetaCommand.DeleteKey) command;
                w.string(c.bucket()).string(c.key());
                condition(w, c.condition());
                w.bytes(RecordCodec.encodeObject(c.marker())).varLong(c.garbageDueMillis());
            }
            case EXPIRE -> {
                MetaCommand.Expire c = (MetaCommand.Expire) command;
                w.string(c.bucket()).string(c.key()).u8(c.target().ordinal()).string(c.versionId()).varLong(c.seq())
                        .varLong(c.modifiedMillis()).bytes(RecordCodec.encodeObject(c.marker())).varLong(c.nowMillis())
                        .varLong(c.garbageDueMillis());
            }
            case TRANSITION -> {
                MetaCommand.Transition c = (MetaCommand.Transition) command;
                w.string(c.bucket()).string(c.key()).string(c.versionId()).varLong(c.seq()).varLong(c.modifiedMillis())
                        .string(c.storageClass());
                each(w, c.expected(), ref -> w.raw(ref.id().bytes()).varLong(ref.size()));
                each(w, c.updated(), ref -> w.raw(ref.id().bytes()).varLong(ref.size()));
                list(w, c.newChunks(), RecordCodec::encodeChunk);
                w.varLong(c.garbageDueMillis());
            }
            case DELETE_VERSION -> {
                MetaCommand.DeleteVersion c = (MetaCommand.DeleteVersion) command;
                w.string(c.bucket()).string(c.key()).string(c.versionId()).varLong(c.garbageDueMillis())
                        .varLong(c.nowMillis()).u8(c.bypassGovernance() ? 1 : 0);
            }
            case SET_VERSION_RETENTION -> {
                MetaCommand.SetVersionRetention c = (MetaCommand.SetVersionRetention) command;
                w.string(c.bucket()).string(c.key()).string(c.versionId()).string(c.mode())
                        .varLong(c.retainUntilMillis()).varLong(c.nowMillis()).u8(c.bypassGovernance() ? 1 : 0);
            }
            case SET_VERSION_LEGAL_HOLD -> {
                MetaCommand.SetVersionLegalHold c = (MetaCommand.SetVersionLegalHold) command;
                w.string(c.bucket()).string(c.key()).string(c.versionId()).u8(c.on() ? 1 : 0);
            }
            case SET_VERSION_TAGS -> {
                MetaCommand.SetVersionTags c = (MetaCommand.SetVersionTags) command;
                w.string(c.bucket()).string(c.key()).string(c.versionId()).map(c.tags());
            }
            case SET_VERSION_ACL -> {
                MetaCommand.SetVersionAcl c = (MetaCommand.SetVersionAcl) command;
                w.string(c.bucket()).string(c.key()).string(c.versionId()).bytes(c.acl());
            }
            case PUT_OBJECT -> {
                PutObject c = (PutObject) command;
                w.string(c.bucket()).string(c.key()).bytes(RecordCodec.encodeObject(c.object()));
                list(w, c.newChunks(), RecordCodec::encodeChunk);
                condition(w, c.condition());
                w.varLong(c.garbageDueMillis());
            }
            case SET_OBJECT_TAGS -> {
                SetObjectTags c = (SetObjectTags) command;
                w.string(c.bucket()).string(c.key()).map(c.tags());
            }
            case SET_OBJECT_ACL -> {
                SetObjectAcl c = (SetObjectAcl) command;
                w.string(c.bucket()).string(c.key()).bytes(c.acl());
            }
            case DELETE_OBJECT -> {
                DeleteObject c = (DeleteObject) command;
                w.string(c.bucket()).string(c.key());
                condition(w, c.condition());
                w.varLong(c.garbageDueMillis());
            }
            case CREATE_UPLOAD -> w.bytes(RecordCodec.encodeUpload(((CreateUpload) command).upload()));
            case PUT_PART -> {
                PutPart c = (PutPart) command;
                w.string(c.bucket()).string(c.key()).string(c.uploadId()).bytes(RecordCodec.encodePart(c.part()));
                list(w, c.newChunks(), RecordCodec::encodeChunk);
                w.varLong(c.garbageDueMillis());
            }
            case COMPLETE_UPLOAD -> {
                CompleteUpload c = (CompleteUpload) command;
                w.string(c.bucket()).string(c.key()).string(c.uploadId());
                each(w, c.chosenParts(), w::varInt);
                w.bytes(RecordCodec.encodeObject(c.object()));
                condition(w, c.condition());
                w.bytes(c.partsDigest()).varLong(c.garbageDueMillis());
            }
            case ABORT_UPLOAD -> {
                AbortUpload c = (AbortUpload) command;
                w.string(c.bucket()).string(c.key()).string(c.uploadId()).varLong(c.garbageDueMillis());
            }
            case FORGET_COMPLETED_UPLOADS -> {
                ForgetCompletedUploads c = (ForgetCompletedUploads) command;
                w.varLong(c.completedBeforeMillis()).varInt(c.limit());
            }
            case OPEN_EPOCH -> {
                OpenEpoch c = (OpenEpoch) command;
                w.string(c.holder()).varLong(c.openedMillis());
            }
            case RETIRE_EPOCH -> w.varLong(((RetireEpoch) command).epoch());
            case MARK_PENDING -> {
                MarkPending c = (MarkPending) command;
                w.varLong(c.epoch());
                list(w, c.planned(), RecordCodec::encodeChunk);
            }
            case DROP_PENDING -> ids(w, ((DropPending) command).ids());
            case FORGET_CHUNKS -> ids(w, ((ForgetChunks) command).ids());
            case CLEAR_GARBAGE_ENTRIES -> each(w, ((ClearGarbageEntries) command).entries(),
                    e -> w.varLong(e.dueMillis()).raw(e.chunk().bytes()));
            case PUT_NODES -> list(w, ((PutNodes) command).nodes(), RecordCodec::encodeNode);
            case RECORD_REPAIRS -> repairs(w, ((RecordRepairs) command).records());
            case CLEAR_REPAIRS -> repairs(w, ((ClearRepairs) command).records());
            case UPDATE_PIECES -> {
                UpdatePieces c = (UpdatePieces) command;
                w.raw(c.chunk().bytes());
                pieces(w, c.expected());
                pieces(w, c.updated());
                w.varLong(c.deleteDueMillis());
            }
            case RECORD_MOVES -> moves(w, ((RecordMoves) command).intents());
            case CLEAR_MOVES -> moves(w, ((ClearMoves) command).intents());
            case CLEAR_PIECE_DELETES -> each(w, ((ClearPieceDeletes) command).deletes(),
                    d -> w.raw(d.chunk().bytes()).varInt(d.pieceIndex()).string(d.nodeId()).varLong(d.dueMillis()));
            case WRITE_IDENTITIES -> identities(w, ((WriteIdentities) command).change());
            case ADD_KEYRING_KEY -> keyringKey(w, ((MetaCommand.AddKeyringKey) command).key());
            case REWRAP_KEYRING -> {
                MetaCommand.RewrapKeyring c = (MetaCommand.RewrapKeyring) command;
                w.string(c.expectedMasterId()).string(c.masterId());
                each(w, c.keys(), k -> keyringKey(w, k));
            }
        }
        return w.toByteArray();
    }

    public static MetaCommand<?> decode(byte[] bytes) {
        return RecordCodec.decode("command", bytes, V1, r -> {
            Type type = Type.ofTag(r.u8());
            MetaCommand<?> c = switch (type) {
                case CREATE_BUCKET -> new CreateBucket(RecordCodec.decodeBucket(r.bytes()));
                case DELETE_BUCKET -> new DeleteBucket(r.string(), r.varLong());
                case PUT_BUCKET_CONFIG -> new PutBucketConfig(r.string(), r.string(), r.bytes());
                case SET_DEFAULT_STORAGE_CLASS -> new SetDefaultStorageClass(r.string(), r.string());
                case SET_BUCKET_VERSIONING -> new MetaCommand.SetBucketVersioning(r.string(),
                        BucketRecord.Versioning.values()[Math.min(r.u8(), BucketRecord.Versioning.values().length)]);
                case DELETE_KEY -> new MetaCommand.DeleteKey(r.string(), r.string(), condition(r),
                        RecordCodec.decodeObject(r.bytes()), r.varLong());
                case EXPIRE -> new MetaCommand.Expire(r.string(), r.string(), expireTarget(r.u8()), r.string(),
                        r.varLong(), r.varLong(), RecordCodec.decodeObject(r.bytes()), r.varLong(), r.varLong());
                case TRANSITION -> new MetaCommand.Transition(r.string(), r.string(), r.string(), r.varLong(),
                        r.varLong(), r.string(), chunkRefs(r), chunkRefs(r), list(r, RecordCodec::decodeChunk),
                        r.varLong());
                case DELETE_VERSION -> new MetaCommand.DeleteVersion(r.string(), r.string(), r.string(), r.varLong(),
                        r.varLong(), r.u8() == 1);
                case SET_VERSION_RETENTION -> new MetaCommand.SetVersionRetention(r.string(), r.string(), r.string(),
                        r.string(), r.varLong(), r.varLong(), r.u8() == 1);
                case SET_VERSION_LEGAL_HOLD -> new MetaCommand.SetVersionLegalHold(r.string(), r.string(), r.string(),
                        r.u8() == 1);
                case SET_VERSION_TAGS -> new MetaCommand.SetVersionTags(r.string(), r.string(), r.string(), r.map());
                case SET_VERSION_ACL -> new MetaCommand.SetVersionAcl(r.string(), r.string(), r.string(), r.bytes());
                case PUT_OBJECT -> new PutObject(r.string(), r.string(), RecordCodec.decodeObject(r.bytes()),
                        list(r, RecordCodec::decodeChunk), condition(r), r.varLong());
                case SET_OBJECT_TAGS -> new SetObjectTags(r.string(), r.string(), r.map());
                case SET_OBJECT_ACL -> new SetObjectAcl(r.string(), r.string(), r.bytes());
                case DELETE_OBJECT -> new DeleteObject(r.string(), r.string(), condition(r), r.varLong());
                case CREATE_UPLOAD -> new CreateUpload(RecordCodec.decodeUpload(r.bytes()));
                case PUT_PART -> new PutPart(r.string(), r.string(), r.string(), RecordCodec.decodePart(r.bytes()),
                        list(r, RecordCodec::decodeChunk), r.varLong());
                case COMPLETE_UPLOAD -> new CompleteUpload(r.string(), r.string(), r.string(), repeat(r, r::varInt),
                        RecordCodec.decodeObject(r.bytes()), condition(r), required(r.bytes(), "parts digest"),
                        r.varLong());
                case ABORT_UPLOAD -> new AbortUpload(r.string(), r.string(), r.string(), r.varLong());
                case FORGET_COMPLETED_UPLOADS -> new ForgetCompletedUploads(r.varLong(), r.varInt());
                case OPEN_EPOCH -> new OpenEpoch(r.string(), r.varLong());
                case RETIRE_EPOCH -> new RetireEpoch(r.varLong());
                case MARK_PENDING -> new MarkPending(r.varLong(), list(r, RecordCodec::decodeChunk));
                case DROP_PENDING -> new DropPending(ids(r));
                case FORGET_CHUNKS -> new ForgetChunks(ids(r));
                case CLEAR_GARBAGE_ENTRIES ->
                        new ClearGarbageEntries(repeat(r, () -> new GarbageEntry(r.varLong(), chunkId(r))));
                case PUT_NODES -> new PutNodes(list(r, RecordCodec::decodeNode));
                case RECORD_REPAIRS -> new RecordRepairs(repairs(r));
                case CLEAR_REPAIRS -> new ClearRepairs(repairs(r));
                case UPDATE_PIECES -> new UpdatePieces(chunkId(r), pieces(r), pieces(r), r.varLong());
                case RECORD_MOVES -> new RecordMoves(moves(r));
                case CLEAR_MOVES -> new ClearMoves(moves(r));
                case CLEAR_PIECE_DELETES -> new ClearPieceDeletes(
                        repeat(r, () -> new PieceDelete(chunkId(r), r.varInt(), r.string(), r.varLong())));
                case WRITE_IDENTITIES -> new WriteIdentities(identities(r));
                case ADD_KEYRING_KEY -> new MetaCommand.AddKeyringKey(keyringKey(r));
                case REWRAP_KEYRING -> new MetaCommand.RewrapKeyring(r.string(), required(r.string(), "master key id"),
                        repeat(r, () -> keyringKey(r)));
            };
            r.requireEnd();
            return c;
        });
    }

    // ---- shared fields ----

    /** A count, then each item as {@code write} puts it. */
    private static <T> void each(ByteWriter w, List<T> items, Consumer<T> write) {
        w.varInt(items.size());
        items.forEach(write);
    }

    /** A count, then that many items as {@code read} takes them. */
    private static <T> List<T> repeat(ByteReader r, Supplier<T> read) {
        int n = r.count();
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(read.get());
        }
        return out;
    }

    private static <T> void list(ByteWriter w, List<T> items, Function<T, byte[]> encode) {
        each(w, items, i -> w.bytes(encode.apply(i)));
    }

    private static <T> List<T> list(ByteReader r, Function<byte[], T> decode) {
        return repeat(r, () -> decode.apply(required(r.bytes(), "list item")));
    }

    private static void ids(ByteWriter w, List<ChunkId> ids) {
        each(w, ids, id -> w.raw(id.bytes()));
    }

    private static List<ChunkId> ids(ByteReader r) {
        return repeat(r, () -> chunkId(r));
    }

    private static ChunkId chunkId(ByteReader r) {
        return ChunkId.of(r.raw(ChunkId.LENGTH));
    }

    private static final int MUST_NOT_EXIST = 1;
    private static final int ETAG_IN = 2;
    private static final int SIZE = 4;
    private static final int MODIFIED_SECOND = 8;

    /**
     * A write condition: a flags byte (1 mustNotExist, 2 etagIn given, 4 size given, 8
     * modifiedSecond given; never reuse a bit), then etagIn (when given), etagNotIn (string lists),
     * size and modifiedSecond (varlongs, when given).
     */
    private static void condition(ByteWriter w, WriteCondition c) {
        int flags = (c.mustNotExist() ? MUST_NOT_EXIST : 0) | (c.etagIn() != null ? ETAG_IN : 0)
                | (c.size() != null ? SIZE : 0) | (c.modifiedSecond() != null ? MODIFIED_SECOND : 0);
        w.u8(flags);
        if (c.etagIn() != null) {
            strings(w, c.etagIn());
        }
        strings(w, c.etagNotIn());
        if (c.size() != null) {
            w.varLong(c.size());
        }
        if (c.modifiedSecond() != null) {
            w.varLong(c.modifiedSecond());
        }
    }

    private static WriteCondition condition(ByteReader r) {
        int flags = r.u8();
        if ((flags & ~(MUST_NOT_EXIST | ETAG_IN | SIZE | MODIFIED_SECOND)) != 0) {
            throw new IllegalStateException("unknown write condition flags " + flags);
        }
        List<String> etagIn = (flags & ETAG_IN) != 0 ? strings(r) : null;
        List<String> etagNotIn = strings(r);
        Long size = (flags & SIZE) != 0 ? r.varLong() : null;
        Long modifiedSecond = (flags & MODIFIED_SECOND) != 0 ? r.varLong() : null;
        return new WriteCondition((flags & MUST_NOT_EXIST) != 0, etagIn, etagNotIn, size, modifiedSecond);
    }

    private static void strings(ByteWriter w, List<String> items) {
        each(w, items, w::string);
    }

    private static List<String> strings(ByteReader r) {
        return repeat(r, () -> required(r.string(), "string"));
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalStateException("null " + what);
        }
        return value;
    }

    private static void pieces(ByteWriter w, List<PieceLocation> pieces) {
        each(w, pieces, l -> w.varInt(l.index()).string(l.nodeId()).varLong(l.size()).fixedInt(l.crc32c()));
    }

    private static List<PieceLocation> pieces(ByteReader r) {
        return repeat(r, () -> new PieceLocation(r.varInt(), r.string(), r.varLong(), r.fixedInt()));
    }

    private static void repairs(ByteWriter w, List<RepairRecord> records) {
        each(w, records, x -> w.raw(x.chunk().bytes()).varInt(x.pieceIndex()).bytes(RecordCodec.encodeRepair(x)));
    }

    private static List<RepairRecord> repairs(ByteReader r) {
        return repeat(r, () -> RecordCodec.decodeRepair(chunkId(r), r.varInt(), r.bytes()));
    }

    private static void moves(ByteWriter w, List<MoveIntent> intents) {
        each(w, intents, m -> w.raw(m.chunk().bytes()).varInt(m.pieceIndex()).bytes(RecordCodec.encodeMove(m)));
    }

    private static List<MoveIntent> moves(ByteReader r) {
        return repeat(r, () -> RecordCodec.decodeMove(chunkId(r), r.varInt(), r.bytes()));
    }

    /**
     * An identity change: the rows to put (key, document), the keys to delete, then the
     * expectations (key, document or null for "absent"). A key is its kind's tag byte, the name
     * and the member (null for kinds without members).
     */
    private static void identities(ByteWriter w, IdentityChange c) {
        each(w, c.puts(), row -> identityKey(w, row.key()).bytes(row.document()));
        each(w, c.deletes(), k -> identityKey(w, k));
        each(w, c.expected(), e -> identityKey(w, e.key()).bytes(e.document()));
    }

    private static IdentityChange identities(ByteReader r) {
        List<IdentityRow> puts = repeat(r, () -> new IdentityRow(identityKey(r), required(r.bytes(), "identity document")));
        List<IdentityKey> deletes = repeat(r, () -> identityKey(r));
        List<IdentityChange.Expected> expected = repeat(r, () -> new IdentityChange.Expected(identityKey(r), r.bytes()));
        return new IdentityChange(puts, deletes, expected);
    }

    private static ByteWriter identityKey(ByteWriter w, IdentityKey k) {
        return w.u8(k.kind().tag).string(k.name()).string(k.member());
    }

    private static IdentityKey identityKey(ByteReader r) {
        return new IdentityKey(IdentityKey.Kind.ofTag((byte) r.u8()), required(r.string(), "identity name"), r.string());
    }

    private static List<ChunkRef> chunkRefs(ByteReader r) {
        return repeat(r, () -> new ChunkRef(chunkId(r), r.varLong()));
    }

    private static MetaCommand.Expire.Target expireTarget(int ordinal) {
        MetaCommand.Expire.Target[] all = MetaCommand.Expire.Target.values();
        if (ordinal >= all.length) {
            throw new IllegalArgumentException("unknown expiration target " + ordinal);
        }
        return all[ordinal];
    }

    /** A keyring key: id, master key id, wrapped bytes. */
    private static void keyringKey(ByteWriter w, Keyring.Key k) {
        w.string(k.id()).string(k.masterId()).bytes(k.wrapped());
    }

    private static Keyring.Key keyringKey(ByteReader r) {
        return new Keyring.Key(required(r.string(), "key id"), required(r.string(), "master key id"),
                required(r.bytes(), "wrapped key"));
    }
}
