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
 * @param tags          the object's tag set (S3 object tagging); empty when it has none
 * @param acl           the object's access control list as the S3 layer encodes it, or null for
 *                      the default (its owner has full control)
 * @param sealing       what encrypts the object's data, as the S3 layer encodes it (algorithm, key
 *                      id, wrapped data key), or null for data stored unencrypted
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
        String owner,
        Map<String, String> tags,
        byte[] acl,
        byte[] sealing) {

    public ObjectRecord {
        tags = Map.copyOf(tags);
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
        chunks = List.copyOf(chunks);
        parts = List.copyOf(parts);
    }

    /** An unencrypted object. */
    public ObjectRecord(long size, String etag, long modifiedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, Checksum checksum, String storageClass, byte[] inline,
                        List<ChunkRef> chunks, List<PartSummary> parts, String owner, Map<String, String> tags,
                        byte[] acl) {
        this(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline, chunks, parts, owner,
                tags, acl, null);
    }

    /** An object with the default ACL. */
    public ObjectRecord(long size, String etag, long modifiedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, Checksum checksum, String storageClass, byte[] inline,
                        List<ChunkRef> chunks, List<PartSummary> parts, String owner, Map<String, String> tags) {
        this(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline, chunks, parts, owner,
                tags, null);
    }

    /** An object without tags. */
    public ObjectRecord(long size, String etag, long modifiedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, Checksum checksum, String storageClass, byte[] inline,
                        List<ChunkRef> chunks, List<PartSummary> parts, String owner) {
        this(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline, chunks, parts, owner,
                Map.of());
    }

    /** This object with another tag set; data, ETag and LastModified stay. */
    public ObjectRecord withTags(Map<String, String> newTags) {
        return new ObjectRecord(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline,
                chunks, parts, owner, newTags, acl, sealing);
    }

    /** This object with another ACL (null: the default); data, ETag and LastModified stay. */
    public ObjectRecord withAcl(byte[] newAcl) {
        return new ObjectRecord(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline,
                chunks, parts, owner, tags, newAcl, sealing);
    }

    public boolean isInline() {
        return inline != null;
    }
}
