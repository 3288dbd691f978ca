package dev.cairn.metadata;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every change to metadata, as a value: what {@link MetadataStateMachine} applies and what a
 * replicated log will carry. A command holds everything that must come out the same on every
 * replica - times (when garbage becomes due, when an epoch opened), ids, version and upload ids -
 * chosen by the caller before it is applied; applying it reads no clock and draws no random
 * number. {@code R} is the result a successful apply gives; a refused command gives a
 * {@link MetaResult.Rejected} instead (see {@link MetaCommitter}).
 *
 * <p>The bucket, object, version, identity and keyring commands are declared here; the
 * families in {@link UploadCommand}, {@link GarbageCommand} and {@link ClusterCommand} have their
 * own files.
 *
 * <p>Each command has a {@link Type} whose tag names it in the binary form ({@link CommandCodec});
 * tags are never reused. {@link #durable()} says whether the write must be synced before the
 * caller is answered (bookkeeping a crash may lose is not).
 *
 * <p>Times are epoch milliseconds. {@code garbageDueMillis} is when chunks the command replaces or
 * removes become due for collection (the caller's clock plus the grace period).
 */
public sealed interface MetaCommand<R extends MetaResult>
        permits MetaCommand.CreateBucket, MetaCommand.DeleteBucket, MetaCommand.PutBucketConfig,
                MetaCommand.SetDefaultStorageClass, MetaCommand.SetBucketVersioning, MetaCommand.PutObject,
                MetaCommand.SetObjectTags, MetaCommand.SetObjectAcl, MetaCommand.DeleteObject, MetaCommand.DeleteKey,
                MetaCommand.DeleteVersion, MetaCommand.SetVersionRetention, MetaCommand.SetVersionLegalHold,
                MetaCommand.SetVersionTags, MetaCommand.SetVersionAcl, MetaCommand.Expire,
                MetaCommand.Transition,
                MetaCommand.WriteIdentities, MetaCommand.AddKeyringKey, MetaCommand.RewrapKeyring, UploadCommand,
                GarbageCommand, ClusterCommand {

    /** The commands, with their wire tags (never reuse a tag). */
    enum Type {
        CREATE_BUCKET(1), DELETE_BUCKET(2), PUT_BUCKET_CONFIG(3), SET_DEFAULT_STORAGE_CLASS(4),
        SET_BUCKET_VERSIONING(5),
        PUT_OBJECT(10), SET_OBJECT_TAGS(11), DELETE_OBJECT(12), SET_OBJECT_ACL(13),
        DELETE_KEY(14), DELETE_VERSION(15), SET_VERSION_TAGS(16), SET_VERSION_ACL(17), SET_VERSION_RETENTION(18),
        SET_VERSION_LEGAL_HOLD(19), EXPIRE(70), TRANSITION(71),
        CREATE_UPLOAD(20), PUT_PART(21), COMPLETE_UPLOAD(22), ABORT_UPLOAD(23), FORGET_COMPLETED_UPLOADS(24),
        OPEN_EPOCH(30), RETIRE_EPOCH(31), MARK_PENDING(32), DROP_PENDING(33), FORGET_CHUNKS(34),
        CLEAR_GARBAGE_ENTRIES(35),
        PUT_NODES(40), RECORD_REPAIRS(41), CLEAR_REPAIRS(42),
        UPDATE_PIECES(50), RECORD_MOVES(51), CLEAR_MOVES(52), CLEAR_PIECE_DELETES(53),
        WRITE_IDENTITIES(60),
        ADD_KEYRING_KEY(80), REWRAP_KEYRING(81);

        final int tag;

        Type(int tag) {
            this.tag = tag;
        }

        static Type ofTag(int tag) {
            for (Type t : values()) {
                if (t.tag == tag) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown command tag " + tag);
        }
    }

    Type type();

    /** Whether the write is synced before the caller is answered. */
    default boolean durable() {
        return true;
    }

    // ---- buckets ----

    /** Creates a bucket; rejected (BucketAlreadyExists) when one of that name exists. */
    record CreateBucket(BucketRecord bucket) implements MetaCommand<MetaResult.Done> {
        public CreateBucket {
            Objects.requireNonNull(bucket, "bucket");
        }

        @Override
        public Type type() {
            return Type.CREATE_BUCKET;
        }
    }

    /** Deletes an empty bucket with its configs, aborting its uploads (their chunks become garbage). */
    record DeleteBucket(String bucket, long garbageDueMillis) implements MetaCommand<MetaResult.Done> {
        public DeleteBucket {
            Objects.requireNonNull(bucket, "bucket");
        }

        @Override
        public Type type() {
            return Type.DELETE_BUCKET;
        }
    }

    /** Stores a bucket sub-resource document of {@code kind}; a null document removes it. */
    record PutBucketConfig(String bucket, String kind, byte[] document) implements MetaCommand<MetaResult.Done> {
        public PutBucketConfig {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(kind, "kind");
            document = document == null ? null : document.clone();
        }

        @Override
        public byte[] document() {
            return document == null ? null : document.clone();
        }

        @Override
        public Type type() {
            return Type.PUT_BUCKET_CONFIG;
        }
    }

    /** Sets (null: clears) the storage class a PUT naming none gets in the bucket. */
    record SetDefaultStorageClass(String bucket, String storageClass)
            implements MetaCommand<MetaResult.BucketResult> {
        public SetDefaultStorageClass {
            Objects.requireNonNull(bucket, "bucket");
        }

        @Override
        public Type type() {
            return Type.SET_DEFAULT_STORAGE_CLASS;
        }
    }

    /**
     * Enables or suspends versioning of a bucket; rejected (Conflict) for
     * {@link BucketRecord.Versioning#UNVERSIONED}, which a bucket never returns to.
     */
    record SetBucketVersioning(String bucket, BucketRecord.Versioning state)
            implements MetaCommand<MetaResult.BucketResult> {
        public SetBucketVersioning {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(state, "state");
        }

        @Override
        public Type type() {
            return Type.SET_BUCKET_VERSIONING;
        }
    }

    // ---- objects ----

    /**
     * Makes {@code object} the current version of bucket/key when {@code condition} holds: writes
     * the records of {@code newChunks}, clears their pending marks and queues the replaced
     * object's chunks that {@code object} does not reference.
     */
    record PutObject(String bucket, String key, ObjectRecord object, List<ChunkRecord> newChunks,
                     WriteCondition condition, long garbageDueMillis) implements MetaCommand<MetaResult.Replaced> {
        public PutObject {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(object, "object");
            newChunks = newChunks == null ? List.of() : List.copyOf(newChunks);
            condition = condition == null ? WriteCondition.NONE : condition;
        }

        @Override
        public Type type() {
            return Type.PUT_OBJECT;
        }
    }

    /** Replaces the tags of the current version, keeping its data, ETag and time. */
    record SetObjectTags(String bucket, String key, Map<String, String> tags)
            implements MetaCommand<MetaResult.ObjectResult> {
        public SetObjectTags {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            tags = Map.copyOf(tags);
        }

        @Override
        public Type type() {
            return Type.SET_OBJECT_TAGS;
        }
    }

    /**
     * Replaces the ACL of the current version (null: the default ACL; the S3 layer's encoding),
     * keeping its data, ETag and time.
     */
    record SetObjectAcl(String bucket, String key, byte[] acl) implements MetaCommand<MetaResult.ObjectResult> {
        public SetObjectAcl {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            acl = acl == null ? null : acl.clone();
        }

        @Override
        public byte[] acl() {
            return acl == null ? null : acl.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetObjectAcl c && c.bucket.equals(bucket) && c.key.equals(key)
                    && java.util.Arrays.equals(c.acl, acl);
        }

        @Override
        public int hashCode() {
            return Objects.hash(bucket, key) * 31 + java.util.Arrays.hashCode(acl);
        }

        @Override
        public Type type() {
            return Type.SET_OBJECT_ACL;
        }
    }

    /** Removes bucket/key when {@code condition} holds (nothing to do when absent); its chunks become garbage. */
    record DeleteObject(String bucket, String key, WriteCondition condition, long garbageDueMillis)
            implements MetaCommand<MetaResult.Replaced> {
        public DeleteObject {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            condition = condition == null ? WriteCondition.NONE : condition;
        }

        @Override
        public Type type() {
            return Type.DELETE_OBJECT;
        }
    }

    /**
     * DeleteObject without a version id, when {@code condition} holds for the current object:
     * in an unversioned bucket removes it; in a versioned one puts {@code marker} (a delete marker
     * whose version id the caller proposed, {@link ObjectRecord#deleteMarker}) on top - with the
     * null version id, replacing the key's null version, when versioning is suspended. The result
     * gives the object that was current and the marker as stored (null when none was made).
     */
    record DeleteKey(String bucket, String key, WriteCondition condition, ObjectRecord marker, long garbageDueMillis)
            implements MetaCommand<MetaResult.Replaced> {
        public DeleteKey {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(marker, "marker");
            condition = condition == null ? WriteCondition.NONE : condition;
        }

        @Override
        public Type type() {
            return Type.DELETE_KEY;
        }
    }

    /**
     * Permanently removes version {@code versionId} ({@code "null"}: the null version) of
     * bucket/key, an object or a delete marker; the result gives what was removed (empty: no such
     * version). Its chunks that no other version references become garbage. Rejected
     * (OBJECT_LOCKED) when the version has a legal hold or a retention in force at
     * {@code nowMillis} - a GOVERNANCE one unless {@code bypassGovernance}.
     */
    record DeleteVersion(String bucket, String key, String versionId, long garbageDueMillis, long nowMillis,
                         boolean bypassGovernance)
            implements MetaCommand<MetaResult.Replaced> {
        public DeleteVersion {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(versionId, "versionId");
        }

        @Override
        public Type type() {
            return Type.DELETE_VERSION;
        }
    }

    /**
     * Sets the retention of version {@code versionId} (null: the current object) to {@code mode}
     * until {@code retainUntilMillis} (null mode: none). Rejected (OBJECT_LOCKED) when a retention
     * in force at {@code nowMillis} would be shortened, removed or - COMPLIANCE - changed in mode,
     * unless it is GOVERNANCE and {@code bypassGovernance}; (CONFLICT) when the bucket has no
     * object lock.
     */
    record SetVersionRetention(String bucket, String key, String versionId, String mode, long retainUntilMillis,
                               long nowMillis, boolean bypassGovernance) implements MetaCommand<MetaResult.ObjectResult> {
        public SetVersionRetention {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public Type type() {
            return Type.SET_VERSION_RETENTION;
        }
    }

    /** Puts a legal hold on version {@code versionId} (null: the current object) or lifts it. */
    record SetVersionLegalHold(String bucket, String key, String versionId, boolean on)
            implements MetaCommand<MetaResult.ObjectResult> {
        public SetVersionLegalHold {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
        }

        @Override
        public Type type() {
            return Type.SET_VERSION_LEGAL_HOLD;
        }
    }

    /** Replaces the tags of version {@code versionId} (not a delete marker), keeping everything else. */
    record SetVersionTags(String bucket, String key, String versionId, Map<String, String> tags)
            implements MetaCommand<MetaResult.ObjectResult> {
        public SetVersionTags {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(versionId, "versionId");
            tags = Map.copyOf(tags);
        }

        @Override
        public Type type() {
            return Type.SET_VERSION_TAGS;
        }
    }

    /** Replaces the ACL of version {@code versionId} (null ACL: the default), keeping everything else. */
    record SetVersionAcl(String bucket, String key, String versionId, byte[] acl)
            implements MetaCommand<MetaResult.ObjectResult> {
        public SetVersionAcl {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(versionId, "versionId");
            acl = acl == null ? null : acl.clone();
        }

        @Override
        public byte[] acl() {
            return acl == null ? null : acl.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetVersionAcl c && c.bucket.equals(bucket) && c.key.equals(key)
                    && c.versionId.equals(versionId) && java.util.Arrays.equals(c.acl, acl);
        }

        @Override
        public int hashCode() {
            return Objects.hash(bucket, key, versionId) * 31 + java.util.Arrays.hashCode(acl);
        }

        @Override
        public Type type() {
            return Type.SET_VERSION_ACL;
        }
    }

    /**
     * A lifecycle expiration of one version, decided from a read made before it is applied: it
     * names the version it read ({@code versionId}, {@code seq}, {@code modifiedMillis}) and
     * applies only while that version still stands where the rule found it ({@code target}),
     * else it is rejected (PRECONDITION_FAILED) and changes nothing. CURRENT: the key's current
     * object, removed or covered by {@code marker} as {@link DeleteKey} does; NONCURRENT: a version
     * that is not the key's newest, and LONE_DELETE_MARKER: a delete marker that is the key's only
     * version, both removed as {@link DeleteVersion} does - so a version under a legal hold or a
     * retention in force at {@code nowMillis} is never removed (OBJECT_LOCKED). See
     * {@link LifecycleCommands}.
     */
    record Expire(String bucket, String key, Target target, String versionId, long seq, long modifiedMillis,
                  ObjectRecord marker, long nowMillis, long garbageDueMillis) implements MetaCommand<MetaResult.Replaced> {
        /** Where the expired version stood when the rule matched it. */
        public enum Target { CURRENT, NONCURRENT, LONE_DELETE_MARKER }

        public Expire {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(versionId, "versionId");
            Objects.requireNonNull(marker, "marker");
        }

        @Override
        public Type type() {
            return Type.EXPIRE;
        }
    }

    /**
     * A lifecycle transition of one version, decided and prepared before it is applied: the
     * worker read the version ({@code versionId}, {@code seq}, {@code modifiedMillis}) with the
     * chunks {@code expected}, wrote the same stored bytes again as {@code newChunks} under the
     * protection of {@code storageClass} (pending marks of its writer epoch), and asks to swap them
     * in: the version's chunk list becomes {@code updated} (same length and sizes; each position
     * either the old chunk or one of {@code newChunks}) and its storage class {@code storageClass}.
     * Applied only while that version exists with exactly {@code expected} as its chunks, else
     * rejected (PRECONDITION_FAILED: a concurrent overwrite, delete or transition wins and the new
     * pieces are garbage); a mark of a retired epoch is CONFLICT, as for a PUT. The old chunks no
     * other version of the key references are queued for collection at {@code garbageDueMillis}.
     * Object lock does not stop it: no data is dropped. See {@link LifecycleCommands}.
     */
    record Transition(String bucket, String key, String versionId, long seq, long modifiedMillis, String storageClass,
                      List<ChunkRef> expected, List<ChunkRef> updated, List<ChunkRecord> newChunks,
                      long garbageDueMillis) implements MetaCommand<MetaResult.ObjectResult> {
        public Transition {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(versionId, "versionId");
            Objects.requireNonNull(storageClass, "storageClass");
            expected = List.copyOf(expected);
            updated = List.copyOf(updated);
            newChunks = List.copyOf(newChunks);
        }

        @Override
        public Type type() {
            return Type.TRANSITION;
        }
    }

    // ---- identities ----

    /**
     * Applies an identity change (users, access keys, policies, user quotas): its expectations
     * ({@link IdentityChange.Expected}, a compare-and-set) are evaluated against the state the
     * command meets; when one fails the command is rejected (PRECONDITION_FAILED) and writes
     * nothing.
     */
    record WriteIdentities(IdentityChange change) implements MetaCommand<MetaResult.Done> {
        public WriteIdentities {
            Objects.requireNonNull(change, "change");
        }

        @Override
        public Type type() {
            return Type.WRITE_IDENTITIES;
        }
    }

    // ---- keyring ----

    /**
     * Adds a key to the keyring, already wrapped by the caller (apply draws no random number).
     * Rejected (CONFLICT) when a key of that id exists, (PRECONDITION_FAILED) when the keyring is
     * wrapped by another master key than {@code key.masterId()}.
     */
    record AddKeyringKey(Keyring.Key key) implements MetaCommand<MetaResult.Done> {
        public AddKeyringKey {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public Type type() {
            return Type.ADD_KEYRING_KEY;
        }
    }

    /**
     * Replaces the whole keyring by {@code keys}, each wrapped by {@code masterId} (a master key
     * rotation, or the import of a server's keyring file): applied only when the keyring is still
     * wrapped by {@code expectedMasterId} and holds exactly the ids of {@code keys} - or, when
     * {@code expectedMasterId} is null, is empty (an import) - else rejected (PRECONDITION_FAILED).
     */
    record RewrapKeyring(String expectedMasterId, String masterId, List<Keyring.Key> keys)
            implements MetaCommand<MetaResult.Done> {
        public RewrapKeyring {
            Objects.requireNonNull(masterId, "masterId");
            keys = List.copyOf(keys);
            for (Keyring.Key k : keys) {
                if (!k.masterId().equals(masterId)) {
                    throw new IllegalArgumentException("key " + k.id() + " is not wrapped by " + masterId);
                }
            }
        }

        @Override
        public Type type() {
            return Type.REWRAP_KEYRING;
        }
    }
}
