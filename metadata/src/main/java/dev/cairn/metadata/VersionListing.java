package dev.cairn.metadata;

import java.util.List;

/**
 * One page of ListObjectVersions: versions and delete markers in key order, newest first within
 * a key, and common prefixes; {@code nextKeyMarker}/{@code nextVersionIdMarker} name the last
 * entry returned (the version id is null when that entry is a common prefix).
 */
public record VersionListing(List<Entry> versions, List<String> commonPrefixes, boolean truncated,
                             String nextKeyMarker, String nextVersionIdMarker) {

    /** One version of {@code key}; {@code latest} when it is the key's newest version. */
    public record Entry(String key, ObjectRecord object, boolean latest) {
    }
}
