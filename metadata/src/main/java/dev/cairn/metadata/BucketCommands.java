package dev.cairn.metadata;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.rocksdb.RocksDBException;

/** Applies the bucket commands (see {@link MetaCommand}) to a {@link Txn}. */
final class BucketCommands {
    private final RocksHandles h;
    private final PartTable parts;
    private final ChunkQueues chunks;
    private final StoreCounters counters;

    BucketCommands(RocksHandles h, PartTable parts, ChunkQueues chunks, StoreCounters counters) {
        this.h = h;
        this.parts = parts;
        this.chunks = chunks;
        this.counters = counters;
    }

    /** @throws MetadataException.NoSuchBucket when the bucket does not exist */
    void require(Txn t, String bucket) throws RocksDBException {
        if (!t.exists(h.buckets, KeyCodec.bucketKey(bucket))) {
            throw new MetadataException.NoSuchBucket(bucket);
        }
    }

    /** @throws MetadataException.NoSuchBucket when the bucket does not exist */
    BucketRecord record(Txn t, String bucket) throws RocksDBException {
        byte[] v = t.get(h.buckets, KeyCodec.bucketKey(bucket));
        if (v == null) {
            throw new MetadataException.NoSuchBucket(bucket);
        }
        return RecordCodec.decodeBucket(v);
    }

    /** Enables or suspends versioning (never back to unversioned: rejected as a Conflict). */
    BucketRecord setVersioning(Txn t, MetaCommand.SetBucketVersioning c) throws RocksDBException {
        if (c.state() == BucketRecord.Versioning.UNVERSIONED) {
            throw new MetadataException.Conflict("a versioned bucket cannot become unversioned");
        }
        BucketRecord current = record(t, c.bucket());
        if (current.objectLock() && c.state() != BucketRecord.Versioning.ENABLED) {
            throw new MetadataException.Conflict("versioning cannot be suspended on a bucket with object lock");
        }
        BucketRecord updated = current.withVersioning(c.state());
        t.put(h.buckets, KeyCodec.bucketKey(c.bucket()), RecordCodec.encodeBucket(updated));
        return updated;
    }

    void create(Txn t, MetaCommand.CreateBucket c) throws RocksDBException {
        byte[] key = KeyCodec.bucketKey(c.bucket().name());
        byte[] existing = t.get(h.buckets, key);
        if (existing != null) {
            throw new MetadataException.BucketAlreadyExists(RecordCodec.decodeBucket(existing));
        }
        t.put(h.buckets, key, RecordCodec.encodeBucket(c.bucket()));
        counters.bucketCreated(t);
    }

    BucketRecord setDefaultStorageClass(Txn t, MetaCommand.SetDefaultStorageClass c) throws RocksDBException {
        byte[] key = KeyCodec.bucketKey(c.bucket());
        byte[] existing = t.get(h.buckets, key);
        if (existing == null) {
            throw new MetadataException.NoSuchBucket(c.bucket());
        }
        BucketRecord updated = RecordCodec.decodeBucket(existing).withDefaultStorageClass(c.storageClass());
        t.put(h.buckets, key, RecordCodec.encodeBucket(updated));
        return updated;
    }

    void putConfig(Txn t, MetaCommand.PutBucketConfig c) throws RocksDBException {
        require(t, c.bucket());
        byte[] key = KeyCodec.bucketConfigKey(c.bucket(), c.kind());
        byte[] document = c.document();
        if (document == null) {
            t.delete(h.bucketConfigs, key);
        } else {
            t.put(h.bucketConfigs, key, RecordCodec.encodeBucketConfig(document));
        }
    }

    /** Deletes an empty bucket, its configs and its uploads (whose parts' chunks become garbage). */
    void delete(Txn t, MetaCommand.DeleteBucket c) throws RocksDBException {
        require(t, c.bucket());
        byte[] bp = KeyCodec.bucketPrefix(c.bucket());
        if (!t.keysWithPrefix(h.objects, bp, 1).isEmpty() || !t.keysWithPrefix(h.versions, bp, 1).isEmpty()) {
            throw new MetadataException.BucketNotEmpty(c.bucket());
        }
        t.delete(h.buckets, KeyCodec.bucketKey(c.bucket()));
        for (byte[] configKey : t.keysWithPrefix(h.bucketConfigs, bp, Integer.MAX_VALUE)) {
            t.delete(h.bucketConfigs, configKey);
        }
        Set<ChunkId> garbage = new LinkedHashSet<>();
        for (byte[] uploadKey : t.keysWithPrefix(h.uploads, bp, Integer.MAX_VALUE)) {
            t.delete(h.uploads, uploadKey);
            byte[] uploadId = Arrays.copyOfRange(uploadKey, uploadKey.length - KeyCodec.UPLOAD_ID_LENGTH,
                    uploadKey.length);
            parts.deleteAll(t, uploadId, garbage);
        }
        chunks.addGarbage(t, garbage, c.garbageDueMillis());
        counters.bucketDeleted(t, c.bucket());
    }
}
