package dev.cairn.metadata;

import java.util.List;
import java.util.Optional;

/**
 * The preconditions of a write or delete, checked atomically with it against the current object
 * (every clause must hold):
 * <ul>
 *   <li>{@code mustNotExist}: there is no object ({@code If-None-Match: *});
 *   <li>{@code etagIn}: the object exists and its ETag is one of these ({@code If-Match}; "*"
 *       matches any ETag); null when not asked. No object: {@link MetadataException.NoSuchKey};
 *   <li>{@code etagNotIn}: no object, or its ETag is none of these ({@code If-None-Match} with
 *       entity tags);
 *   <li>{@code size}, {@code modifiedSecond}: no object, or its size in bytes, its modification
 *       time in whole epoch seconds, is this ({@code x-amz-if-match-size},
 *       {@code x-amz-if-match-last-modified-time} of a delete); null when not asked.
 * </ul>
 * ETags are compared without surrounding quotes and without a weak-tag {@code W/} prefix.
 */
public record WriteCondition(boolean mustNotExist, List<String> etagIn, List<String> etagNotIn, Long size,
                             Long modifiedSecond) {
    public static final WriteCondition NONE = new WriteCondition(false, null, List.of(), null, null);
    public static final WriteCondition MUST_NOT_EXIST = NONE.andMustNotExist();

    public WriteCondition {
        etagIn = etagIn == null ? null : etagIn.stream().map(WriteCondition::bare).toList();
        etagNotIn = etagNotIn == null ? List.of() : etagNotIn.stream().map(WriteCondition::bare).toList();
    }

    public static WriteCondition etagMatches(String etag) {
        return NONE.andEtagIn(List.of(etag));
    }

    public WriteCondition andMustNotExist() {
        return new WriteCondition(true, etagIn, etagNotIn, size, modifiedSecond);
    }

    public WriteCondition andEtagIn(List<String> etags) {
        return new WriteCondition(mustNotExist, etags, etagNotIn, size, modifiedSecond);
    }

    public WriteCondition andEtagNotIn(List<String> etags) {
        return new WriteCondition(mustNotExist, etagIn, etags, size, modifiedSecond);
    }

    public WriteCondition andSize(long bytes) {
        return new WriteCondition(mustNotExist, etagIn, etagNotIn, bytes, modifiedSecond);
    }

    public WriteCondition andModifiedSecond(long epochSecond) {
        return new WriteCondition(mustNotExist, etagIn, etagNotIn, size, epochSecond);
    }

    /**
     * @throws MetadataException.NoSuchKey          when an ETag must match and there is no object
     * @throws MetadataException.PreconditionFailed when another clause does not hold
     */
    public void check(String bucket, String key, Optional<ObjectRecord> current) {
        if (current.isEmpty()) {
            if (etagIn != null) {
                throw new MetadataException.NoSuchKey(bucket, key);
            }
            return;
        }
        ObjectRecord o = current.get();
        if (mustNotExist) {
            throw new MetadataException.PreconditionFailed("object exists");
        }
        if (etagIn != null && !etagIn.contains("*") && !etagIn.contains(o.etag())) {
            throw new MetadataException.PreconditionFailed("etag does not match");
        }
        if (etagNotIn.contains(o.etag())) {
            throw new MetadataException.PreconditionFailed("etag matches");
        }
        if (size != null && size != o.size()) {
            throw new MetadataException.PreconditionFailed("size does not match");
        }
        if (modifiedSecond != null && modifiedSecond != Math.floorDiv(o.modifiedMillis(), 1000L)) {
            throw new MetadataException.PreconditionFailed("modification time does not match");
        }
    }

    private static String bare(String etag) {
        String e = etag.trim();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }
}
