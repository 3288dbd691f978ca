package dev.cairn.metadata;

/**
 * What to list: keys starting with {@code prefix} (may be empty), strictly after
 * {@code startAfter} (null or empty for the start), rolled up at {@code delimiter} (null or empty
 * for none), at most {@code maxKeys} entries (contents plus common prefixes).
 *
 * <p>When {@code startAfter} itself rolls up into a common prefix (the part after the prefix
 * contains the delimiter), listing resumes after everything under that common prefix: this is
 * how a NextMarker that is a common prefix continues.
 */
public record ListQuery(String prefix, String startAfter, String delimiter, int maxKeys) {
}
