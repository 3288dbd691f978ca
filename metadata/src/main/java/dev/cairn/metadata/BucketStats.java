package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Objects, logical bytes and stored bytes per bucket, exact: the {@code bucket_stats} rows (one
 * per bucket and stats stripe, see {@link MetadataSchema}) are rewritten in the same batch as the
 * object change, and
 * their per-bucket sums are kept in memory, changed once the batch is written. Only the totals
 * live in memory; a stripe row is read (through the command's {@link Txn}) when it changes.
 */
final class BucketStats {
    private final RocksHandles h;
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    private record Totals(AtomicLong objects, AtomicLong bytes, AtomicLong stored) {
        Totals() {
            this(new AtomicLong(), new AtomicLong(), new AtomicLong());
        }
    }

    private record Row(String bucket, int stripe) {
    }

    BucketStats(RocksHandles h) {
        this.h = h;
    }

    /**
     * Builds the rows from the object records if this store predates them, or predates the stored
     * bytes in them, then loads the totals.
     */
    void load() throws RocksDBException {
        if (h.db.get(h.meta, MetadataSchema.BUCKET_STATS_BUILT_KEY) == null
                || h.db.get(h.meta, MetadataSchema.BUCKET_STORED_BUILT_KEY) == null) {
            build();
        }
        try (RocksIterator it = h.db.newIterator(h.bucketStats)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                long[] row = RecordCodec.decodeBucketStats(it.value());
                add(KeyCodec.leadingBucket(it.key()), row[0], row[1], row[2]);
            }
            it.status();
        }
    }

    /**
     * One pass over the objects and the noncurrent versions (what {@link StoreCounters#restat}
     * counts), reading each one's chunk records for its stored bytes, replacing every bucket row
     * and writing the built markers in one batch.
     */
    private void build() throws RocksDBException {
        Map<Row, long[]> rows = new HashMap<>();
        try (RocksIterator it = h.db.newIterator(h.objects)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String bucket = KeyCodec.leadingBucket(it.key());
                count(rows, bucket, KeyCodec.objectName(it.key()), RecordCodec.decodeObject(it.value()));
            }
            it.status();
        }
        try (RocksIterator it = h.db.newIterator(h.versions)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                ObjectRecord o = RecordCodec.decodeObject(it.value());
                if (!o.isDeleteMarker()) {
                    KeyCodec.Field bucket = KeyCodec.readTerminated(it.key(), 0);
                    KeyCodec.Field key = KeyCodec.readTerminated(it.key(), bucket.end());
                    count(rows, KeyCodec.string(bucket.raw()), KeyCodec.string(key.raw()), o);
                }
            }
            it.status();
        }
        try (WriteBatch batch = new WriteBatch(); RocksIterator old = h.db.newIterator(h.bucketStats)) {
            for (old.seekToFirst(); old.isValid(); old.next()) {
                batch.delete(h.bucketStats, old.key());
            }
            old.status();
            for (Map.Entry<Row, long[]> e : rows.entrySet()) {
                long[] v = e.getValue();
                batch.put(h.bucketStats, KeyCodec.bucketStatsKey(e.getKey().bucket(), e.getKey().stripe()),
                        RecordCodec.encodeBucketStats(v[0], v[1], v[2]));
            }
            batch.put(h.meta, MetadataSchema.BUCKET_STATS_BUILT_KEY, new byte[] {1});
            batch.put(h.meta, MetadataSchema.BUCKET_STORED_BUILT_KEY, new byte[] {1});
            h.db.write(h.synced, batch);
        }
    }

    private void count(Map<Row, long[]> rows, String bucket, String key, ObjectRecord o) throws RocksDBException {
        long[] row = rows.computeIfAbsent(new Row(bucket, StoreCounters.stripe(bucket, key)), k -> new long[3]);
        row[0]++;
        row[1] += o.size();
        row[2] += storedSize(o, id -> h.db.get(h.chunks, KeyCodec.chunkKey(id)));
    }

    /** Reads a chunk record's stored bytes (null: no record). */
    @FunctionalInterface
    interface ChunkRows {
        byte[] get(ChunkId id) throws RocksDBException;
    }

    /**
     * The bytes an object's data takes once compressed and encrypted (before erasure coding or
     * copies): its inline bytes, or the sizes of its chunk records. A chunk without a record (never
     * the case for a live object) counts at its original size.
     */
    static long storedSize(ObjectRecord o, ChunkRows chunks) throws RocksDBException {
        if (o == null) {
            return 0;
        }
        if (o.isInline()) {
            return o.inline().length;
        }
        long sum = 0;
        for (ChunkRef c : o.chunks()) {
            byte[] v = chunks.get(c.id());
            sum += v == null ? c.size() : RecordCodec.decodeChunk(v).size();
        }
        return sum;
    }

    /**
     * Adds {@code dObjects}, {@code dBytes} (logical) and {@code dStored} to the bucket's row of
     * {@code stripe}; a row reaching zero goes.
     */
    void restat(Txn t, String bucket, int stripe, long dObjects, long dBytes, long dStored) throws RocksDBException {
        byte[] key = KeyCodec.bucketStatsKey(bucket, stripe);
        byte[] current = t.get(h.bucketStats, key);
        long[] row = current == null ? new long[3] : RecordCodec.decodeBucketStats(current);
        long o = row[0] + dObjects;
        long b = row[1] + dBytes;
        long s = row[2] + dStored;
        if (o == 0 && b == 0 && s == 0) {
            t.delete(h.bucketStats, key);
        } else {
            t.put(h.bucketStats, key, RecordCodec.encodeBucketStats(o, b, s));
        }
        t.afterCommit(() -> add(bucket, dObjects, dBytes, dStored));
    }

    private void add(String bucket, long objects, long bytes, long stored) {
        Totals t = totals.computeIfAbsent(bucket, b -> new Totals());
        t.objects().addAndGet(objects);
        t.bytes().addAndGet(bytes);
        t.stored().addAndGet(stored);
    }

    /** Forgets a deleted (hence empty) bucket. */
    void bucketDeleted(String bucket) {
        totals.remove(bucket);
    }

    /** What one bucket holds now (zero for an empty or unknown bucket). */
    BucketUsage usage(String bucket) {
        Totals t = totals.get(bucket);
        return t == null ? new BucketUsage(bucket, 0, 0, 0)
                : new BucketUsage(bucket, t.objects().get(), t.bytes().get(), t.stored().get());
    }

    List<BucketUsage> snapshot() {
        List<BucketUsage> out = new ArrayList<>(totals.size());
        totals.forEach((bucket, t) -> {
            long objects = t.objects().get();
            if (objects != 0) {
                out.add(new BucketUsage(bucket, objects, t.bytes().get(), t.stored().get()));
            }
        });
        return out;
    }
}
