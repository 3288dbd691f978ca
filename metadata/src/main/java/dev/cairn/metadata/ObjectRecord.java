package dev.cairn.metadata;

import java.util.List;
import java.util.Map;

/**
 * One object. Exactly one of {@code inline} (small objects, bytes kept in metadata) and
 * {@code chunks} (in order) holds its data; an empty object has an empty inline array.
 *
 * @param etag          the ETag without quotes ("hex" or "hex-N")
 * @param headers       stored system headers, lower-case names: content-type, cache-control,
 *                      content-disposition, content-encoding, content-language, expires
 * @param userMetadata  x-amz-meta-* entries, lower-case names without the prefix
 * @param checksum      the object's S3 checksum, or null
 * @param parts         for multipart objects, the parts in order; empty otherwise
 */
public record ObjectRecord(
        long size,
        String etag,
        long modifiedMillis,
        Map<String, String> headers,
        Map<String, String> userMetadata,
        Checksum checksum,
        String storageClass,
        byte[] inline,
        List<ChunkRef> chunks,
        List<PartSummary> parts,
        String owner) {

    public ObjectRecord {
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
        chunks = List.copyOf(chunks);
        parts = List.copyOf(parts);
    }

    public boolean isInline() {
        return inline != null;
    }
}
