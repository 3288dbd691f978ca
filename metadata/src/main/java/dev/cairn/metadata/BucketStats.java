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
 * Objects and bytes per bucket, exact: the {@code bucket_stats} rows (one per bucket and stats
 * stripe, see {@link MetadataSchema}) are rewritten in the same batch as the object change, and
 * their per-bucket sums are kept in memory, changed once the batch is written. Only the totals
 * live in memory; a stripe row is read (through the command's {@link Txn}) when it changes.
 */
final class BucketStats {
    private final RocksHandles h;
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    private record Totals(AtomicLong objects, AtomicLong bytes) {
        Totals() {
            this(new AtomicLong(), new AtomicLong());
        }
    }

    private record Row(String bucket, int stripe) {
    }

    BucketStats(RocksHandles h) {
        this.h = h;
    }

    /** Builds the rows from the objects if this store predates them, then loads the totals. */
    void load() throws RocksDBException {
        if (h.db.get(h.meta, MetadataSchema.BUCKET_STATS_BUILT_KEY) == null) {
            build();
        }
        try (RocksIterator it = h.db.newIterator(h.bucketStats)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                long[] row = RecordCodec.decodeStats(it.value());
                add(KeyCodec.leadingBucket(it.key()), row[0], row[1]);
            }
            it.status();
        }
    }

    /** One pass over the objects, writing every bucket row and the built marker in one batch. */
    private void build() throws RocksDBException {
        Map<Row, long[]> rows = new HashMap<>();
        try (RocksIterator it = h.db.newIterator(h.objects)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String bucket = KeyCodec.leadingBucket(it.key());
                Row where = new Row(bucket, StoreCounters.stripe(bucket, KeyCodec.objectName(it.key())));
                long[] row = rows.computeIfAbsent(where, k -> new long[2]);
                row[0]++;
                row[1] += RecordCodec.decodeObject(it.value()).size();
            }
            it.status();
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (Map.Entry<Row, long[]> e : rows.entrySet()) {
                batch.put(h.bucketStats, KeyCodec.bucketStatsKey(e.getKey().bucket(), e.getKey().stripe()),
                        RecordCodec.encodeStats(e.getValue()[0], e.getValue()[1]));
            }
            batch.put(h.meta, MetadataSchema.BUCKET_STATS_BUILT_KEY, new byte[] {1});
            h.db.write(h.synced, batch);
        }
    }

    /** Adds {@code dObjects} and {@code dBytes} to the bucket's row of {@code stripe}; a row reaching zero goes. */
    void restat(Txn t, String bucket, int stripe, long dObjects, long dBytes) throws RocksDBException {
        byte[] key = KeyCodec.bucketStatsKey(bucket, stripe);
        byte[] current = t.get(h.bucketStats, key);
        long[] row = current == null ? new long[2] : RecordCodec.decodeStats(current);
        long o = row[0] + dObjects;
        long b = row[1] + dBytes;
        if (o == 0 && b == 0) {
            t.delete(h.bucketStats, key);
        } else {
            t.put(h.bucketStats, key, RecordCodec.encodeStats(o, b));
        }
        t.afterCommit(() -> add(bucket, dObjects, dBytes));
    }

    private void add(String bucket, long objects, long bytes) {
        Totals t = totals.computeIfAbsent(bucket, b -> new Totals());
        t.objects().addAndGet(objects);
        t.bytes().addAndGet(bytes);
    }

    /** Forgets a deleted (hence empty) bucket. */
    void bucketDeleted(String bucket) {
        totals.remove(bucket);
    }

    /** What one bucket holds now (zero for an empty or unknown bucket). */
    BucketUsage usage(String bucket) {
        Totals t = totals.get(bucket);
        return t == null ? new BucketUsage(bucket, 0, 0) : new BucketUsage(bucket, t.objects().get(), t.bytes().get());
    }

    List<BucketUsage> snapshot() {
        List<BucketUsage> out = new ArrayList<>(totals.size());
        totals.forEach((bucket, t) -> {
            long objects = t.objects().get();
            if (objects != 0) {
                out.add(new BucketUsage(bucket, objects, t.bytes().get()));
            }
        });
        return out;
    }
}
