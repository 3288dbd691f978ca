package dev.cairn.s3.lifecycle;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.MetadataReads;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.xml.LifecycleDocuments;

/**
 * The enabled lifecycle rules of each bucket, cached for the {@code x-amz-expiration} header of
 * GET, HEAD and PUT answers (so those requests do not read the bucket's configuration each time).
 * Entries go whenever the bucket's access settings are invalidated - any bucket config change,
 * bucket create or delete, here or (replicated) on another gateway - see
 * {@link dev.cairn.s3.access.BucketAccessStore#onInvalidate}.
 */
public final class ExpirationRules {
    private static final int MAX_ENTRIES = 10_000;
    private static final DateTimeFormatter EXPIRY_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final MetadataReads metadata;
    private final LifecycleDays days;
    private final Map<String, List<LifecycleRule>> cache = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public ExpirationRules(MetadataReads metadata, LifecycleDays days) {
        this.metadata = metadata;
        this.days = days;
    }

    /** The bucket's enabled rules that expire current versions, or null when not cached. */
    public List<LifecycleRule> cached(String bucket) {
        return cache.get(bucket);
    }

    /** Reads the bucket's rules (blocking: a worker thread) and caches them. */
    public List<LifecycleRule> load(String bucket) {
        long before = generation.get();
        List<LifecycleRule> rules;
        try {
            rules = metadata.getBucketConfig(bucket, LifecycleConfiguration.CONFIG_KIND)
                    .map(doc -> LifecycleDocuments.parse(doc, () -> "").enabled().stream()
                            .filter(LifecycleRule::expiresCurrent).toList())
                    .orElse(List.of());
        } catch (MetadataException.NoSuchBucket gone) {
            return List.of(); // deleted meanwhile: no rule, and nothing to cache
        }
        synchronized (cache) {
            if (generation.get() == before) {
                if (cache.size() >= MAX_ENTRIES) {
                    cache.clear();
                }
                cache.put(bucket, rules);
            }
        }
        return rules;
    }

    public void invalidate(String bucket) {
        synchronized (cache) {
            generation.incrementAndGet();
            cache.remove(bucket);
        }
    }

    /**
     * The {@code x-amz-expiration} value for current object {@code o} of {@code key}
     * ({@code expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="rule"}), or null when no rule
     * expires it.
     */
    public String header(List<LifecycleRule> rules, String key, ObjectRecord o) {
        if (rules.isEmpty() || o.isDeleteMarker()) {
            return null;
        }
        return LifecycleEvaluator.expiry(rules, key, o, days)
                .map(e -> "expiry-date=\"" + EXPIRY_DATE.format(java.time.Instant.ofEpochMilli(e.dueMillis()))
                        + "\", rule-id=\"" + e.ruleId().replace("\"", "\\\"") + "\"")
                .orElse(null);
    }
}
