package dev.cairn.s3.handler;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.BucketUsage;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.iam.IamUser;
import dev.cairn.s3.iam.Identities;
import dev.cairn.s3.iam.Quota;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Storage quotas of buckets and of users (over every bucket a user owns), in bytes and objects.
 * A write that would take a bucket or its owner over a quota is refused with 403 QuotaExceeded
 * and stores nothing: checked against the declared size before the body is read when it is known,
 * and exactly at commit - the usage read, the replaced object's size taken off, and the commit
 * made while holding the bucket's (and the owner's) quota lock, so two writes cannot both take
 * the last bytes. Deletes free quota at once (usage is the metadata's exact per-bucket count).
 * Buckets and owners without a quota take no lock.
 */
public final class Quotas {
    private final MetadataStore metadata;
    private final Identities identities;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public Quotas(MetadataStore metadata, Identities identities) {
        this.metadata = metadata;
        this.identities = identities;
    }

    /** The quota of the user owning the bucket (none for root's buckets and users without one). */
    public Quota ownerQuota(BucketAccess b) {
        IamUser owner = identities.snapshot().userByCanonicalId(b.ownerId());
        return owner == null ? Quota.NONE : identities.snapshot().userQuota(owner.name());
    }

    /**
     * Refuses a write of {@code addBytes} (and {@code addObjects}) that would exceed a quota on
     * what is stored now; blocking (reads usage). For early refusals before a body is read.
     */
    void check(BucketAccess b, long addBytes, long addObjects) {
        Quota bucketQuota = b.quota();
        if (!bucketQuota.isNone()) {
            BucketUsage u = metadata.bucketUsage(b.bucket());
            if (!bucketQuota.allows(u.bytes(), u.objects(), addBytes, addObjects)) {
                throw exceeded("bucket " + b.bucket(), bucketQuota, u.bytes(), u.objects());
            }
        }
        Quota userQuota = ownerQuota(b);
        if (!userQuota.isNone()) {
            long[] used = ownerUsage(b.ownerId());
            if (!userQuota.allows(used[0], used[1], addBytes, addObjects)) {
                IamUser owner = identities.snapshot().userByCanonicalId(b.ownerId());
                throw exceeded("user " + owner.name(), userQuota, used[0], used[1]);
            }
        }
    }

    /**
     * Refuses, before its body is read, a write of {@code newSize} bytes at {@code key} that
     * cannot fit (an overwrite adds its size less the replaced object's); blocking.
     */
    void checkWrite(BucketAccess b, String key, long newSize) {
        if (b.quota().isNone() && ownerQuota(b).isNone()) {
            return;
        }
        ObjectRecord replaced = metadata.getObject(b.bucket(), key).orElse(null);
        check(b, newSize - (replaced == null ? 0 : replaced.size()), replaced == null ? 1 : 0);
    }

    /**
     * Runs {@code commit} (blocking) of an object of {@code newSize} bytes at {@code key}: with
     * the quota locks held and the exact change checked first (an overwrite adds its size less
     * the replaced object's, and no object).
     */
    <T> T commit(BucketAccess b, String key, long newSize, Callable<T> commit) throws Exception {
        Quota userQuota = ownerQuota(b);
        if (b.quota().isNone() && userQuota.isNone()) {
            return commit.call();
        }
        Supplier<T> checked = () -> {
            checkWrite(b, key, newSize);
            try {
                return commit.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Object bucketLock = locks.computeIfAbsent("b:" + b.bucket(), k -> new Object());
        if (userQuota.isNone()) {
            synchronized (bucketLock) {
                return checked.get();
            }
        }
        Object ownerLock = locks.computeIfAbsent("u:" + b.ownerId(), k -> new Object());
        synchronized (ownerLock) {
            synchronized (bucketLock) {
                return checked.get();
            }
        }
    }

    /** Bytes and objects in every bucket {@code ownerId} owns (blocking). */
    public long[] ownerUsage(String ownerId) {
        long bytes = 0;
        long objects = 0;
        for (BucketRecord r : metadata.listBuckets()) {
            if (r.owner().equals(ownerId)) {
                BucketUsage u = metadata.bucketUsage(r.name());
                bytes += u.bytes();
                objects += u.objects();
            }
        }
        return new long[]{bytes, objects};
    }

    private static S3Exception exceeded(String whose, Quota q, long usedBytes, long usedObjects) {
        return new S3Exception(S3ErrorCode.QUOTA_EXCEEDED, "The quota of " + whose + " would be exceeded: it allows "
                + (q.limitsBytes() ? q.maxBytes() + " bytes" : "any number of bytes") + " and "
                + (q.limitsObjects() ? q.maxObjects() + " objects" : "any number of objects") + ", and holds "
                + usedBytes + " bytes in " + usedObjects + " objects.")
                .with("QuotaMaxBytes", q.limitsBytes() ? Long.toString(q.maxBytes()) : null)
                .with("QuotaMaxObjects", q.limitsObjects() ? Long.toString(q.maxObjects()) : null)
                .with("UsedBytes", Long.toString(usedBytes)).with("UsedObjects", Long.toString(usedObjects));
    }
}
