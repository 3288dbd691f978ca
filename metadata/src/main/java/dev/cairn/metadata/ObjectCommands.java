package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.rocksdb.RocksDBException;

import dev.cairn.metadata.BucketRecord.Versioning;

/**
 * Applies the object commands (see {@link MetaCommand}) to a {@link Txn}, with the write
 * conditions ({@link WriteCondition}) evaluated against the state the command is applied to.
 *
 * <p>Design note (versioning). A key's current object lives in {@code objects}; every other
 * version (noncurrent objects, delete markers) in {@code versions} ({@link VersionRows}), newest
 * first. A write reads the bucket's versioning state here, in apply: unversioned, it replaces the
 * current object; enabled, the current object moves to {@code versions} and the new one gets the
 * version id the caller proposed; suspended, the new one is the null version and replaces any
 * other null version of the key. Each version gets {@code seq} = the key's newest seq + 1, so
 * commit order is version order on every replica. A version's chunks become garbage only when
 * the version itself is removed and no other version of the key references them (a copy onto
 * itself shares chunks).
 */
final class ObjectCommands {
    private final RocksHandles h;
    private final BucketCommands buckets;
    private final ChunkQueues chunks;
    private final StoreCounters counters;
    private final VersionRows versions;

    ObjectCommands(RocksHandles h, BucketCommands buckets, ChunkQueues chunks, StoreCounters counters) {
        this.h = h;
        this.buckets = buckets;
        this.chunks = chunks;
        this.counters = counters;
        this.versions = new VersionRows(h);
    }

    Optional<ObjectRecord> read(Txn t, byte[] objectKey) throws RocksDBException {
        byte[] v = t.get(h.objects, objectKey);
        return v == null ? Optional.empty() : Optional.of(RecordCodec.decodeObject(v));
    }

    /**
     * The current object at {@code objectKey} (bucket/key), once the bucket exists and
     * {@code condition} holds for it.
     *
     * @throws MetadataException.NoSuchBucket, NoSuchKey or PreconditionFailed when not
     */
    Optional<ObjectRecord> current(Txn t, String bucket, String key, byte[] objectKey, WriteCondition condition)
            throws RocksDBException {
        buckets.require(t, bucket);
        Optional<ObjectRecord> current = read(t, objectKey);
        condition.check(bucket, key, current);
        return current;
    }

    /** Chunks of {@code old} that {@code keep} does not reference, in {@code old}'s order. */
    static Set<ChunkId> unreferenced(List<ChunkRef> old, List<ChunkRef> keep) {
        Set<ChunkId> out = new LinkedHashSet<>();
        old.forEach(c -> out.add(c.id()));
        keep.forEach(c -> out.remove(c.id()));
        return out;
    }

    MetaResult.Replaced put(Txn t, MetaCommand.PutObject c) throws RocksDBException {
        byte[] objectKey = KeyCodec.objectKey(c.bucket(), c.key());
        Optional<ObjectRecord> current = current(t, c.bucket(), c.key(), objectKey, c.condition());
        chunks.commit(t, c.newChunks()); // first: install counts the stored bytes from the chunk records
        ObjectRecord stored = install(t, c.bucket(), c.key(), current, c.object(), c.garbageDueMillis());
        return new MetaResult.Replaced(current, stored);
    }

    /**
     * Makes {@code proposed} the current object of bucket/key (whose current object is
     * {@code current}) as the bucket's versioning state says, queueing the data it replaces.
     *
     * @return the record as stored (with its version)
     */
    ObjectRecord install(Txn t, String bucket, String key, Optional<ObjectRecord> current, ObjectRecord proposed,
                         long garbageDueMillis) throws RocksDBException {
        Versioning state = buckets.record(t, bucket).versioning();
        byte[] objectKey = KeyCodec.objectKey(bucket, key);
        int stripe = StoreCounters.stripe(bucket, key);
        if (state == Versioning.UNVERSIONED) {
            ObjectRecord stored = proposed.withVersion(null);
            t.put(h.objects, objectKey, RecordCodec.encodeObject(stored));
            if (current.isPresent()) {
                chunks.addGarbage(t, unreferenced(current.get().chunks(), stored.chunks()), garbageDueMillis);
            }
            counters.restat(t, bucket, stripe, current.orElse(null), stored);
            return stored;
        }
        ObjectRecord stored = proposed.withVersion(placed(t, bucket, key, current, proposed, state));
        pushDown(t, bucket, key, current, stored, state, garbageDueMillis);
        t.put(h.objects, objectKey, RecordCodec.encodeObject(stored));
        counters.restat(t, bucket, stripe, null, stored);
        return stored;
    }

    /** The version {@code proposed} becomes: the proposed id (enabled) or null (suspended), next seq. */
    private ObjectVersion placed(Txn t, String bucket, String key, Optional<ObjectRecord> current,
                                 ObjectRecord proposed, Versioning state) throws RocksDBException {
        long newest = current.isPresent() ? current.get().versionSeq()
                : versions.newest(t, bucket, key).map(r -> r.record().versionSeq()).orElse(-1L);
        long seq = newest + 1;
        ObjectVersion asked = proposed.version() == null ? ObjectVersion.proposed(null, false) : proposed.version();
        if (state == Versioning.SUSPENDED) {
            return asked.at(null, seq);
        }
        String id = asked.id() == null ? String.format("%016x%016x", proposed.modifiedMillis(), seq) : asked.id();
        return asked.at(id, seq);
    }

    /**
     * Before {@code incoming} becomes the newest version: the current object moves to
     * {@code versions}, and in a suspended bucket the key's null version (wherever it is) goes.
     */
    private void pushDown(Txn t, String bucket, String key, Optional<ObjectRecord> current, ObjectRecord incoming,
                          Versioning state, long garbageDueMillis) throws RocksDBException {
        boolean dropNull = state == Versioning.SUSPENDED;
        List<VersionRows.Row> rows = dropNull ? versions.all(t, bucket, key) : List.of();
        List<ObjectRecord> kept = new ArrayList<>();
        kept.add(incoming);
        rows.stream().filter(r -> !r.record().isNullVersion()).forEach(r -> kept.add(r.record()));
        if (current.isPresent() && !(dropNull && current.get().isNullVersion())) {
            kept.add(current.get());
        }
        if (current.isPresent()) {
            if (dropNull && current.get().isNullVersion()) {
                remove(t, bucket, key, current.get(), kept, garbageDueMillis);
            } else {
                versions.put(t, bucket, key, current.get());
            }
        }
        for (VersionRows.Row r : rows) {
            if (r.record().isNullVersion()) {
                versions.delete(t, r);
                remove(t, bucket, key, r.record(), kept, garbageDueMillis);
            }
        }
    }

    /** Accounts for a version that is gone: its chunks no other version uses become garbage. */
    private void remove(Txn t, String bucket, String key, ObjectRecord gone, List<ObjectRecord> others,
                        long garbageDueMillis) throws RocksDBException {
        chunks.addGarbage(t, VersionRows.freed(gone, others), garbageDueMillis);
        if (!gone.isDeleteMarker()) {
            counters.restat(t, bucket, StoreCounters.stripe(bucket, key), gone, null);
        }
    }

    ObjectRecord setTags(Txn t, MetaCommand.SetObjectTags c) throws RocksDBException {
        return rewrite(t, c.bucket(), c.key(), null, o -> o.withTags(c.tags()));
    }

    ObjectRecord setAcl(Txn t, MetaCommand.SetObjectAcl c) throws RocksDBException {
        return rewrite(t, c.bucket(), c.key(), null, o -> o.withAcl(c.acl()));
    }

    ObjectRecord setVersionTags(Txn t, MetaCommand.SetVersionTags c) throws RocksDBException {
        return rewrite(t, c.bucket(), c.key(), c.versionId(), o -> o.withTags(c.tags()));
    }

    ObjectRecord setVersionAcl(Txn t, MetaCommand.SetVersionAcl c) throws RocksDBException {
        return rewrite(t, c.bucket(), c.key(), c.versionId(), o -> o.withAcl(c.acl()));
    }

    /**
     * Rewrites one version of bucket/key (null {@code versionId}: the current object); its data,
     * chunks, times and version stay (so do the counters).
     *
     * @throws MetadataException.NoSuchKey when there is no such version, or it is a delete marker
     */
    private ObjectRecord rewrite(Txn t, String bucket, String key, String versionId,
                                 UnaryOperator<ObjectRecord> change) throws RocksDBException {
        buckets.require(t, bucket);
        byte[] objectKey = KeyCodec.objectKey(bucket, key);
        Optional<ObjectRecord> current = read(t, objectKey);
        if (versionId == null || current.map(o -> o.versionId().equals(versionId)).orElse(false)) {
            ObjectRecord updated = change.apply(current.orElseThrow(() -> new MetadataException.NoSuchKey(bucket, key)));
            t.put(h.objects, objectKey, RecordCodec.encodeObject(updated));
            return updated;
        }
        for (VersionRows.Row r : versions.all(t, bucket, key)) {
            if (r.record().versionId().equals(versionId) && !r.record().isDeleteMarker()) {
                ObjectRecord updated = change.apply(r.record());
                t.put(h.versions, r.rowKey(), RecordCodec.encodeObject(updated));
                return updated;
            }
        }
        throw new MetadataException.NoSuchKey(bucket, key);
    }

    /**
     * @throws MetadataException.ObjectLocked when {@code o} has a legal hold, or a retention in
     *                                        force at {@code nowMillis} (GOVERNANCE unless bypassed)
     */
    static void requireUnlocked(ObjectRecord o, long nowMillis, boolean bypassGovernance) {
        ObjectVersion v = o.version();
        if (v == null) {
            return;
        }
        if (v.legalHold()) {
            throw new MetadataException.ObjectLocked("version " + o.versionId() + " is under a legal hold");
        }
        if (v.retainedAt(nowMillis) && !(bypassGovernance && ObjectVersion.GOVERNANCE.equals(v.lockMode()))) {
            throw new MetadataException.ObjectLocked("version " + o.versionId() + " is retained in "
                    + v.lockMode() + " mode");
        }
    }

    ObjectRecord setRetention(Txn t, MetaCommand.SetVersionRetention c) throws RocksDBException {
        requireLockEnabled(t, c.bucket());
        return rewrite(t, c.bucket(), c.key(), c.versionId(), o -> {
            ObjectVersion v = o.version() == null ? new ObjectVersion(null, 0, false) : o.version();
            if (v.retainedAt(c.nowMillis())) {
                boolean keepsOrExtends = c.mode() != null && c.retainUntilMillis() >= v.retainUntilMillis();
                boolean compliance = ObjectVersion.COMPLIANCE.equals(v.lockMode());
                if (compliance ? !(keepsOrExtends && ObjectVersion.COMPLIANCE.equals(c.mode()))
                        : !keepsOrExtends && !c.bypassGovernance()) {
                    throw new MetadataException.ObjectLocked("the retention of version " + o.versionId()
                            + " cannot be shortened or removed");
                }
            }
            return o.withVersion(v.withLock(c.mode(), c.retainUntilMillis(), v.legalHold()));
        });
    }

    ObjectRecord setLegalHold(Txn t, MetaCommand.SetVersionLegalHold c) throws RocksDBException {
        requireLockEnabled(t, c.bucket());
        return rewrite(t, c.bucket(), c.key(), c.versionId(), o -> {
            ObjectVersion v = o.version() == null ? new ObjectVersion(null, 0, false) : o.version();
            return o.withVersion(v.withLock(v.lockMode(), v.retainUntilMillis(), c.on()));
        });
    }

    private void requireLockEnabled(Txn t, String bucket) throws RocksDBException {
        if (!buckets.record(t, bucket).objectLock()) {
            throw new MetadataException.Conflict("bucket " + bucket + " has no object lock");
        }
    }

    /** The old delete: unversioned buckets only (a versioned bucket needs {@link #deleteKey}). */
    Optional<ObjectRecord> delete(Txn t, MetaCommand.DeleteObject c) throws RocksDBException {
        byte[] objectKey = KeyCodec.objectKey(c.bucket(), c.key());
        Optional<ObjectRecord> current = current(t, c.bucket(), c.key(), objectKey, c.condition());
        if (buckets.record(t, c.bucket()).versioning() != Versioning.UNVERSIONED) {
            throw new MetadataException.Conflict("bucket " + c.bucket() + " is versioned: delete with DeleteKey");
        }
        if (current.isEmpty()) {
            return current;
        }
        t.delete(h.objects, objectKey);
        chunks.addGarbage(t, unreferenced(current.get().chunks(), List.of()), c.garbageDueMillis());
        counters.restat(t, c.bucket(), StoreCounters.stripe(c.bucket(), c.key()), current.get(), null);
        return current;
    }

    /**
     * DeleteObject without a version id: removes the object (unversioned bucket) or puts a delete
     * marker on top (enabled: a new version id; suspended: the null version, replacing the old one).
     */
    MetaResult.Replaced deleteKey(Txn t, MetaCommand.DeleteKey c) throws RocksDBException {
        byte[] objectKey = KeyCodec.objectKey(c.bucket(), c.key());
        Optional<ObjectRecord> current = current(t, c.bucket(), c.key(), objectKey, c.condition());
        Versioning state = buckets.record(t, c.bucket()).versioning();
        if (state == Versioning.UNVERSIONED) {
            if (current.isPresent()) {
                t.delete(h.objects, objectKey);
                remove(t, c.bucket(), c.key(), current.get(), List.of(), c.garbageDueMillis());
            }
            return new MetaResult.Replaced(current, null);
        }
        ObjectRecord marker = c.marker().withVersion(placed(t, c.bucket(), c.key(), current, c.marker(), state));
        pushDown(t, c.bucket(), c.key(), current, marker, state, c.garbageDueMillis());
        t.delete(h.objects, objectKey);
        versions.put(t, c.bucket(), c.key(), marker);
        return new MetaResult.Replaced(current, marker);
    }

    /**
     * Permanently removes one version (an object or a delete marker); nothing to do when there is
     * none. When it was the newest, the next newest becomes current (back into {@code objects}
     * unless it is a delete marker).
     */
    MetaResult.Replaced deleteVersion(Txn t, MetaCommand.DeleteVersion c) throws RocksDBException {
        buckets.require(t, c.bucket());
        byte[] objectKey = KeyCodec.objectKey(c.bucket(), c.key());
        Optional<ObjectRecord> current = read(t, objectKey);
        List<VersionRows.Row> rows = versions.all(t, c.bucket(), c.key());
        List<ObjectRecord> others = new ArrayList<>();
        ObjectRecord gone = null;
        if (current.isPresent() && current.get().versionId().equals(c.versionId())) {
            gone = current.get();
            t.delete(h.objects, objectKey);
            current = Optional.empty();
        } else {
            current.ifPresent(others::add);
        }
        VersionRows.Row goneRow = null;
        for (VersionRows.Row r : rows) {
            if (gone == null && r.record().versionId().equals(c.versionId())) {
                gone = r.record();
                goneRow = r;
                versions.delete(t, r);
            } else {
                others.add(r.record());
            }
        }
        if (gone == null) {
            return new MetaResult.Replaced(Optional.empty(), null);
        }
        requireUnlocked(gone, c.nowMillis(), c.bypassGovernance());
        remove(t, c.bucket(), c.key(), gone, others, c.garbageDueMillis());
        if (current.isEmpty()) {
            for (VersionRows.Row r : rows) {
                if (r != goneRow) {
                    if (!r.record().isDeleteMarker()) {
                        versions.delete(t, r);
                        t.put(h.objects, objectKey, RecordCodec.encodeObject(r.record()));
                    }
                    break;
                }
            }
        }
        return new MetaResult.Replaced(Optional.of(gone), null);
    }
}
