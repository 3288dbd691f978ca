package dev.cairn.metadata;

import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The striped locks that make read-modify-write changes atomic without putting all writers
 * behind one lock (RocksDB group-commits concurrent synced writes). Always taken in this order,
 * each family at most once per operation, so they cannot deadlock:
 * <ol>
 * <li>bucket (read/write, striped by bucket name): every change inside a bucket holds it shared;
 *     createBucket and deleteBucket hold it exclusive, so a bucket cannot vanish under a write;</li>
 * <li>upload (read/write, striped by upload id): putPart holds it shared, completeUpload and
 *     abortUpload exclusive, so no part lands in an upload being finished;</li>
 * <li>key (exclusive, striped by bucket+key or by upload id+part number): guards the
 *     read-compare-write of one object or part, and the stats row of its stripe.</li>
 * </ol>
 */
final class StoreLocks {
    static final int KEY_STRIPES = 256;
    private static final int BUCKET_STRIPES = 64;
    private static final int UPLOAD_STRIPES = 64;

    /** A held lock; closing releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final ReentrantReadWriteLock[] buckets = new ReentrantReadWriteLock[BUCKET_STRIPES];
    private final ReentrantReadWriteLock[] uploads = new ReentrantReadWriteLock[UPLOAD_STRIPES];
    private final ReentrantLock[] keys = new ReentrantLock[KEY_STRIPES];

    StoreLocks() {
        Arrays.setAll(buckets, i -> new ReentrantReadWriteLock());
        Arrays.setAll(uploads, i -> new ReentrantReadWriteLock());
        Arrays.setAll(keys, i -> new ReentrantLock());
    }

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        return h ^ (h >>> 16);
    }

    /** The key stripe of an object; also the index of its stats row. */
    static int objectStripe(String bucket, String key) {
        return spread(bucket.hashCode() * 31 + key.hashCode()) & (KEY_STRIPES - 1);
    }

    static int partStripe(byte[] uploadId, int partNumber) {
        return spread(Arrays.hashCode(uploadId) * 31 + partNumber) & (KEY_STRIPES - 1);
    }

    Held bucketShared(String bucket) {
        return hold(buckets[spread(bucket.hashCode()) & (BUCKET_STRIPES - 1)].readLock());
    }

    Held bucketExclusive(String bucket) {
        return hold(buckets[spread(bucket.hashCode()) & (BUCKET_STRIPES - 1)].writeLock());
    }

    Held uploadShared(byte[] uploadId) {
        return hold(uploads[spread(Arrays.hashCode(uploadId)) & (UPLOAD_STRIPES - 1)].readLock());
    }

    Held uploadExclusive(byte[] uploadId) {
        return hold(uploads[spread(Arrays.hashCode(uploadId)) & (UPLOAD_STRIPES - 1)].writeLock());
    }

    Held key(int stripe) {
        return hold(keys[stripe]);
    }

    private static Held hold(Lock lock) {
        lock.lock();
        return lock::unlock;
    }
}
