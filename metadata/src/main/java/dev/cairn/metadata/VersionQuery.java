package dev.cairn.metadata;

/**
 * What ListObjectVersions asks for: versions of keys starting with {@code prefix}, rolled up at
 * {@code delimiter} (null or empty for none), after ({@code keyMarker}, {@code versionIdMarker})
 * - after every version of keyMarker when versionIdMarker is null, and after everything under
 * keyMarker's common prefix when it rolls up - at most {@code maxKeys} entries (versions, delete
 * markers and common prefixes).
 */
public record VersionQuery(String prefix, String delimiter, String keyMarker, String versionIdMarker, int maxKeys) {
}
