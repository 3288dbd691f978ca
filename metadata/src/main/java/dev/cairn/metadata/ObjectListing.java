package dev.cairn.metadata;

import java.util.List;

/**
 * One page of a listing. Contents and common prefixes are each in key order; together they hold
 * at most maxKeys entries. {@code nextMarker} is the last key or common prefix returned (null
 * when nothing was returned); {@code truncated} says whether more entries follow it.
 */
public record ObjectListing(List<Entry> contents, List<String> commonPrefixes, boolean truncated,
                            String nextMarker) {
    public record Entry(String key, ObjectRecord object) {
    }
}
