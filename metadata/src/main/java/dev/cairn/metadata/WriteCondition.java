package dev.cairn.metadata;

/**
 * A compare-and-set condition checked atomically with a write: {@link #NONE}, the key must not
 * exist ({@code If-None-Match: *}), or the current object's ETag must equal {@code etag}
 * ({@code If-Match}).
 */
public record WriteCondition(Kind kind, String etag) {
    public enum Kind { NONE, MUST_NOT_EXIST, ETAG_MATCHES }

    public static final WriteCondition NONE = new WriteCondition(Kind.NONE, null);
    public static final WriteCondition MUST_NOT_EXIST = new WriteCondition(Kind.MUST_NOT_EXIST, null);

    public static WriteCondition etagMatches(String etag) {
        return new WriteCondition(Kind.ETAG_MATCHES, etag);
    }
}
