package dev.cairn.metadata;

/**
 * Uploads with keys starting with {@code prefix}, after ({@code keyMarker}, {@code uploadIdMarker})
 * (when uploadIdMarker is null or empty: after every upload of keyMarker), rolled up at
 * {@code delimiter}, at most {@code maxUploads} entries.
 */
public record UploadQuery(String prefix, String delimiter, String keyMarker, String uploadIdMarker, int maxUploads) {
}
