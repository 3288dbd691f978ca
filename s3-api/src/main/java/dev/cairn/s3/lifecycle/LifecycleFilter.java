package dev.cairn.s3.lifecycle;

import java.util.Map;

/**
 * Which objects a lifecycle rule applies to: every predicate given must hold (the rule's
 * {@code Filter}, or {@code Filter/And}, or the legacy rule-level {@code Prefix}). An empty filter
 * applies to every object of the bucket.
 *
 * @param prefix          the key must start with it ("" for any)
 * @param tags            the object must carry every one of these tags (key and value)
 * @param sizeGreaterThan the object must be larger than this many bytes (null: no bound)
 * @param sizeLessThan    the object must be smaller than this many bytes (null: no bound)
 */
public record LifecycleFilter(String prefix, Map<String, String> tags, Long sizeGreaterThan, Long sizeLessThan) {
    public static final LifecycleFilter ALL = new LifecycleFilter("", Map.of(), null, null);

    public LifecycleFilter {
        prefix = prefix == null ? "" : prefix;
        tags = Map.copyOf(tags);
    }

    /** Whether the filter tests tags or sizes, which delete markers and uploads do not have. */
    public boolean testsTagsOrSize() {
        return !tags.isEmpty() || sizeGreaterThan != null || sizeLessThan != null;
    }

    /** How many predicates the filter holds (an {@code And} is needed above one). */
    public int predicates() {
        return (prefix.isEmpty() ? 0 : 1) + tags.size() + (sizeGreaterThan == null ? 0 : 1)
                + (sizeLessThan == null ? 0 : 1);
    }

    public boolean matchesKey(String key) {
        return key.startsWith(prefix);
    }

    /** Whether an object (a version that is not a delete marker) of this key, size and tags matches. */
    public boolean matches(String key, long size, Map<String, String> objectTags) {
        if (!matchesKey(key)) {
            return false;
        }
        if (sizeGreaterThan != null && size <= sizeGreaterThan) {
            return false;
        }
        if (sizeLessThan != null && size >= sizeLessThan) {
            return false;
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (!t.getValue().equals(objectTags.get(t.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
