package dev.cairn.metadata;

import java.util.List;

/** One page of uploads; the next markers are those of the last entry returned. */
public record UploadListing(List<UploadRecord> uploads, List<String> commonPrefixes, boolean truncated,
                            String nextKeyMarker, String nextUploadIdMarker) {
}
