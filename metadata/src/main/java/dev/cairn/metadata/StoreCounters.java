package dev.cairn.metadata;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The numbers behind {@link MetadataReads#stats()}: objects and bytes per stripe (a hash of
 * bucket and key), mirrored by the {@code stats} rows (see {@link MetadataSchema}), and the bucket
 * count. A command rewrites its stripe's row in its own batch with {@link #restat}, reading the
 * row through the {@link Txn} (so commands applied together add up); memory follows once the
 * batch is written ({@link Txn#afterCommit}), so it mirrors disk exactly. The per-bucket numbers
 * ({@link BucketStats}) change in the same step.
 */
final class StoreCounters {
    /** Stripes of the stats rows: a fixed part of the stored layout (rows of more stripes are folded at open). */
    static final int STRIPES = 256;

    private final RocksHandles h;
    private final AtomicLong buckets = new AtomicLong();
    private final AtomicLongArray objects = new AtomicLongArray(STRIPES);
    private final AtomicLongArray bytes = new AtomicLongArray(STRIPES);
    private final BucketStats perBucket;

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        return h ^ (h >>> 16);
    }

    /** The stats stripe of an object: the same on every JVM (String.hashCode is specified). */
    static int stripe(String bucket, String key) {
        return spread(bucket.hashCode() * 31 + key.hashCode()) & (STRIPES - 1);
    }

    StoreCounters(RocksHandles h) {
        this.h = h;
        this.perBucket = new BucketStats(h);
    }

    /** Loads the rows, folding any written under a larger stripe count, and counts the buckets. */
    void load() throws RocksDBException {
        try (WriteBatch fold = new WriteBatch(); RocksIterator it = h.db.newIterator(h.stats)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                int stripe = KeyCodec.statsStripe(it.key());
                long[] row = RecordCodec.decodeStats(it.value());
                int into = stripe % STRIPES;
                objects.addAndGet(into, row[0]);
                bytes.addAndGet(into, row[1]);
                if (into != stripe) {
                    fold.delete(h.stats, it.key());
                }
            }
            it.status();
            if (fold.count() > 0) {
                for (int i = 0; i < STRIPES; i++) {
                    fold.put(h.stats, KeyCodec.statsKey(i), RecordCodec.encodeStats(objects.get(i), bytes.get(i)));
                }
                h.db.write(h.synced, fold);
            }
        }
        try (RocksIterator it = h.db.newIterator(h.buckets)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                buckets.incrementAndGet();
            }
            it.status();
        }
        perBucket.load();
    }

    void bucketCreated(Txn t) {
        t.afterCommit(buckets::incrementAndGet);
    }

    void bucketDeleted(Txn t, String bucket) {
        t.afterCommit(() -> {
            buckets.decrementAndGet();
            perBucket.bucketDeleted(bucket);
        });
    }

    /**
     * Rewrites the stats rows of {@code stripe} (store-wide and of {@code bucket}) after
     * {@code removed} is replaced by {@code added} (either may be null). The bucket's stored bytes
     * come from the chunk records, read through {@code t}: those of {@code added} must be written
     * before, those of {@code removed} are still there (a queued chunk keeps its record).
     */
    void restat(Txn t, String bucket, int stripe, ObjectRecord removed, ObjectRecord added) throws RocksDBException {
        long dObjects = (added == null ? 0 : 1) - (removed == null ? 0 : 1);
        long dBytes = (added == null ? 0 : added.size()) - (removed == null ? 0 : removed.size());
        byte[] key = KeyCodec.statsKey(stripe);
        byte[] current = t.get(h.stats, key);
        long[] row = current == null ? new long[2] : RecordCodec.decodeStats(current);
        long o = row[0] + dObjects;
        long b = row[1] + dBytes;
        t.put(h.stats, key, RecordCodec.encodeStats(o, b));
        BucketStats.ChunkRows chunkRows = id -> t.get(h.chunks, KeyCodec.chunkKey(id));
        long dStored = BucketStats.storedSize(added, chunkRows) - BucketStats.storedSize(removed, chunkRows);
        perBucket.restat(t, bucket, stripe, dObjects, dBytes, dStored);
        t.afterCommit(() -> {
            objects.set(stripe, o);
            bytes.set(stripe, b);
        });
    }

    List<BucketUsage> buckets() {
        return perBucket.snapshot();
    }

    BucketUsage bucket(String bucket) {
        return perBucket.usage(bucket);
    }

    StoreStats snapshot() {
        long o = 0;
        long b = 0;
        for (int i = 0; i < STRIPES; i++) {
            o += objects.get(i);
            b += bytes.get(i);
        }
        return new StoreStats(buckets.get(), o, b);
    }
}
