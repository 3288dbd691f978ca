package dev.cairn.metadata;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The numbers behind {@link MetadataStore#stats()}: objects and bytes per object lock stripe,
 * mirrored by the {@code stats} rows (see {@link MetadataSchema}), and the bucket count. A
 * stripe's numbers change only while its key lock is held: the caller adds the new row to the
 * batch with {@link #restat}, commits, then {@link #apply}s it, so memory follows disk exactly.
 * The per-bucket numbers ({@link BucketStats}) change in the same step.
 */
final class StoreCounters {
    private final RocksHandles h;
    private final AtomicLong buckets = new AtomicLong();
    private final AtomicLongArray objects = new AtomicLongArray(StoreLocks.KEY_STRIPES);
    private final AtomicLongArray bytes = new AtomicLongArray(StoreLocks.KEY_STRIPES);
    private final BucketStats perBucket;

    /** A restat to apply once its batch committed. */
    record Change(int stripe, long objects, long bytes, BucketStats.Change bucket) {
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
                int into = stripe % StoreLocks.KEY_STRIPES;
                objects.addAndGet(into, row[0]);
                bytes.addAndGet(into, row[1]);
                if (into != stripe) {
                    fold.delete(h.stats, it.key());
                }
            }
            it.status();
            if (fold.count() > 0) {
                for (int i = 0; i < StoreLocks.KEY_STRIPES; i++) {
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

    void bucketCreated() {
        buckets.incrementAndGet();
    }

    void bucketDeleted(String bucket) {
        buckets.decrementAndGet();
        perBucket.bucketDeleted(bucket);
    }

    /**
     * Adds to {@code batch} the stats rows of {@code stripe} (store-wide and of {@code bucket})
     * after {@code removed} is replaced by {@code added} (either may be null); returns the change
     * to {@link #apply} once the batch commits.
     */
    Change restat(WriteBatch batch, String bucket, int stripe, ObjectRecord removed, ObjectRecord added)
            throws RocksDBException {
        long o = objects.get(stripe) + (added == null ? 0 : 1) - (removed == null ? 0 : 1);
        long b = bytes.get(stripe) + (added == null ? 0 : added.size()) - (removed == null ? 0 : removed.size());
        batch.put(h.stats, KeyCodec.statsKey(stripe), RecordCodec.encodeStats(o, b));
        return new Change(stripe, o, b, perBucket.restat(batch, bucket, stripe, removed, added));
    }

    void apply(Change change) {
        objects.set(change.stripe(), change.objects());
        bytes.set(change.stripe(), change.bytes());
        perBucket.apply(change.bucket());
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
        for (int i = 0; i < StoreLocks.KEY_STRIPES; i++) {
            o += objects.get(i);
            b += bytes.get(i);
        }
        return new StoreStats(buckets.get(), o, b);
    }
}
