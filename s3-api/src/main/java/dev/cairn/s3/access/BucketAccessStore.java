package dev.cairn.s3.access;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.s3.iam.IdentityDocuments;
import dev.cairn.s3.iam.Quota;
import dev.cairn.s3.iam.acl.Acl;
import dev.cairn.s3.iam.policy.MalformedPolicyException;
import dev.cairn.s3.iam.policy.PolicyDocument;
import dev.cairn.s3.iam.policy.PolicyParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The access settings of buckets ({@link BucketAccess}), kept as bucket configs (the metadata
 * store's bucket write path): {@code policy} (the JSON as put), {@code acl}, {@code
 * publicAccessBlock} and {@code ownershipControls} (an empty document: deleted; absent: the
 * new-bucket defaults, all blocks on and BucketOwnerEnforced) and {@code quota}. Reads are
 * cached in memory (at most {@link #MAX_CACHED} buckets); every write through this class, and
 * every bucket create and delete, invalidates the bucket's entry. Blocking methods run on a
 * worker thread.
 */
public final class BucketAccessStore {
    private static final Logger LOG = LoggerFactory.getLogger(BucketAccessStore.class);
    static final int MAX_CACHED = 10_000;
    public static final String POLICY = "policy";
    public static final String ACL = "acl";
    public static final String PUBLIC_ACCESS_BLOCK = "publicAccessBlock";
    public static final String OWNERSHIP = "ownershipControls";
    public static final String QUOTA = "quota";
    private static final byte[] DELETED = new byte[0];

    private final MetadataStore metadata;
    private final AtomicLong generation = new AtomicLong();
    private final List<java.util.function.Consumer<String>> invalidated =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The buckets with a quota and their quotas, for metrics (read at start, kept as quotas change). */
    private final Map<String, Quota> quotas = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, BucketAccess> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, BucketAccess> eldest) {
            return size() > MAX_CACHED;
        }
    };

    public BucketAccessStore(MetadataStore metadata) {
        this.metadata = metadata;
    }

    /** The cached settings of a bucket, or null when they must be {@link #load}ed. */
    public BucketAccess cached(String bucket) {
        synchronized (cache) {
            return cache.get(bucket);
        }
    }

    /** Reads a bucket's settings (blocking); empty when the bucket does not exist. */
    public Optional<BucketAccess> load(String bucket) {
        long before = generation.get();
        Optional<BucketRecord> record = metadata.getBucket(bucket);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        BucketRecord b = record.get();
        String policyJson = config(bucket, POLICY).map(d -> new String(d, StandardCharsets.UTF_8)).orElse(null);
        PolicyDocument policy = null;
        if (policyJson != null) {
            try {
                policy = PolicyParser.bucketPolicy(policyJson, bucket);
            } catch (MalformedPolicyException e) {
                LOG.warn("the policy of bucket {} does not parse any more and grants nothing: {}", bucket,
                        e.getMessage());
            }
        }
        Acl acl = Acl.decode(config(bucket, ACL).orElse(null), b.owner());
        byte[] pabDoc = config(bucket, PUBLIC_ACCESS_BLOCK).orElse(null);
        PublicAccessBlock pab = pabDoc == null ? PublicAccessBlock.ALL_ON : pabDoc.length == 0 ? null
                : decodeBlock(pabDoc);
        byte[] ownershipDoc = config(bucket, OWNERSHIP).orElse(null);
        ObjectOwnership ownership = ownershipDoc == null ? ObjectOwnership.BUCKET_OWNER_ENFORCED
                : ownershipDoc.length == 0 ? null : ObjectOwnership.named(new String(ownershipDoc, StandardCharsets.UTF_8));
        Quota quota = config(bucket, QUOTA).map(IdentityDocuments::quota).orElse(Quota.NONE);
        BucketAccess access = new BucketAccess(bucket, b.owner(), b.region(), policy, policyJson, acl, pab, ownership,
                quota);
        synchronized (cache) {
            if (generation.get() == before) {
                cache.put(bucket, access);
            }
        }
        return Optional.of(access);
    }

    /** Forgets what is cached of a bucket (its settings changed, or it was created or deleted). */
    public void invalidate(String bucket) {
        synchronized (cache) {
            generation.incrementAndGet();
            cache.remove(bucket);
        }
        invalidated.forEach(l -> l.accept(bucket));
    }

    /** Also tells {@code listener} of every bucket invalidated, so other per-bucket caches follow this one. */
    public void onInvalidate(java.util.function.Consumer<String> listener) {
        invalidated.add(listener);
    }

    /** Forgets every bucket's cached settings (the metadata under them was replaced by a snapshot). */
    public void invalidateAll() {
        synchronized (cache) {
            generation.incrementAndGet();
            cache.clear();
        }
    }

    public void putPolicy(String bucket, String json) {
        write(bucket, POLICY, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    public void putAcl(String bucket, Acl acl) {
        write(bucket, ACL, acl.encode());
    }

    /** Stores the settings; null deletes the configuration (nothing blocked). */
    public void putPublicAccessBlock(String bucket, PublicAccessBlock block) {
        write(bucket, PUBLIC_ACCESS_BLOCK, block == null ? DELETED : encodeBlock(block));
    }

    /** Stores the setting; null deletes the ownership controls (ACLs then count, as ObjectWriter). */
    public void putOwnership(String bucket, ObjectOwnership ownership) {
        write(bucket, OWNERSHIP, ownership == null ? DELETED : ownership.wireName().getBytes(StandardCharsets.UTF_8));
    }

    public void putQuota(String bucket, Quota quota) {
        write(bucket, QUOTA, quota.isNone() ? null : IdentityDocuments.quota(quota));
        if (quota.isNone()) {
            quotas.remove(bucket);
        } else {
            quotas.put(bucket, quota);
        }
    }

    /** Reads which buckets have a quota (blocking, once at start: one config read per bucket). */
    public void loadQuotas() {
        for (var b : metadata.listBuckets()) {
            config(b.name(), QUOTA).map(IdentityDocuments::quota).ifPresent(q -> quotas.put(b.name(), q));
        }
    }

    /** The buckets that have a quota, with it (a deleted bucket may linger until {@link #forgetQuota}). */
    public Map<String, Quota> quotas() {
        return Map.copyOf(quotas);
    }

    /** Forgets the quota of a bucket that no longer exists. */
    public void forgetQuota(String bucket) {
        quotas.remove(bucket);
    }

    private void write(String bucket, String kind, byte[] document) {
        try {
            metadata.putBucketConfig(bucket, kind, document);
        } finally {
            invalidate(bucket);
        }
    }

    private Optional<byte[]> config(String bucket, String kind) {
        return metadata.getBucketConfig(bucket, kind);
    }

    private static byte[] encodeBlock(PublicAccessBlock b) {
        return new byte[]{(byte) 1, bit(b.blockPublicAcls()), bit(b.ignorePublicAcls()), bit(b.blockPublicPolicy()),
                bit(b.restrictPublicBuckets())};
    }

    private static PublicAccessBlock decodeBlock(byte[] d) {
        if (d.length != 5 || d[0] != 1) {
            throw new IllegalStateException("unknown public access block format");
        }
        return new PublicAccessBlock(d[1] != 0, d[2] != 0, d[3] != 0, d[4] != 0);
    }

    private static byte bit(boolean b) {
        return (byte) (b ? 1 : 0);
    }
}
