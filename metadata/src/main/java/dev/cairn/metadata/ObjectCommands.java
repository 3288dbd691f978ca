package dev.cairn.metadata;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.rocksdb.RocksDBException;

/**
 * Applies the object commands (see {@link MetaCommand}) to a {@link Txn}, with the write
 * conditions ({@link WriteCondition}) evaluated against the state the command is applied to.
 */
final class ObjectCommands {
    private final RocksHandles h;
    private final BucketCommands buckets;
    private final ChunkQueues chunks;
    private final StoreCounters counters;

    ObjectCommands(RocksHandles h, BucketCommands buckets, ChunkQueues chunks, StoreCounters counters) {
        this.h = h;
        this.buckets = buckets;
        this.chunks = chunks;
        this.counters = counters;
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

    Optional<ObjectRecord> put(Txn t, MetaCommand.PutObject c) throws RocksDBException {
        byte[] objectKey = KeyCodec.objectKey(c.bucket(), c.key());
        Optional<ObjectRecord> current = current(t, c.bucket(), c.key(), objectKey, c.condition());
        t.put(h.objects, objectKey, RecordCodec.encodeObject(c.object()));
        chunks.commit(t, c.newChunks());
        if (current.isPresent()) {
            chunks.addGarbage(t, unreferenced(current.get().chunks(), c.object().chunks()), c.garbageDueMillis());
        }
        counters.restat(t, c.bucket(), StoreCounters.stripe(c.bucket(), c.key()), current.orElse(null), c.object());
        return current;
    }

    ObjectRecord setTags(Txn t, MetaCommand.SetObjectTags c) throws RocksDBException {
        return rewrite(t, c.bucket(), c.key(), o -> o.withTags(c.tags()));
    }

    ObjectRecord setAcl(Txn t, MetaCommand.SetObjectAcl c) throws RocksDBException {
        return rewrite(t, c.bucket(), c.key(), o -> o.withAcl(c.acl()));
    }

    /** Rewrites the current record of bucket/key; its data, chunks and times stay (so do the counters). */
    private ObjectRecord rewrite(Txn t, String bucket, String key, UnaryOperator<ObjectRecord> change)
            throws RocksDBException {
        buckets.require(t, bucket);
        byte[] objectKey = KeyCodec.objectKey(bucket, key);
        ObjectRecord updated = change.apply(read(t, objectKey)
                .orElseThrow(() -> new MetadataException.NoSuchKey(bucket, key)));
        t.put(h.objects, objectKey, RecordCodec.encodeObject(updated));
        return updated;
    }

    Optional<ObjectRecord> delete(Txn t, MetaCommand.DeleteObject c) throws RocksDBException {
        byte[] objectKey = KeyCodec.objectKey(c.bucket(), c.key());
        Optional<ObjectRecord> current = current(t, c.bucket(), c.key(), objectKey, c.condition());
        if (current.isEmpty()) {
            return current;
        }
        t.delete(h.objects, objectKey);
        chunks.addGarbage(t, unreferenced(current.get().chunks(), List.of()), c.garbageDueMillis());
        counters.restat(t, c.bucket(), StoreCounters.stripe(c.bucket(), c.key()), current.get(), null);
        return current;
    }
}
