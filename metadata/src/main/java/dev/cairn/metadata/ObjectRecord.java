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
 * @param version       which version of its key this is; null for a record written before
 *                      versioning (the null version, the oldest of its key)
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
        byte[] sealing,
        ObjectVersion version) {

    public ObjectRecord {
        tags = Map.copyOf(tags);
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
        chunks = List.copyOf(chunks);
        parts = List.copyOf(parts);
    }

    /** An unversioned (null version), unencrypted record. */
    public ObjectRecord(long size, String etag, long modifiedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, Checksum checksum, String storageClass, byte[] inline,
                        List<ChunkRef> chunks, List<PartSummary> parts, String owner, Map<String, String> tags,
                        byte[] acl) {
        this(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline, chunks, parts, owner,
                tags, acl, null, null);
    }

    /** An unencrypted record of version {@code version} of its key. */
    public ObjectRecord(long size, String etag, long modifiedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, Checksum checksum, String storageClass, byte[] inline,
                        List<ChunkRef> chunks, List<PartSummary> parts, String owner, Map<String, String> tags,
                        byte[] acl, ObjectVersion version) {
        this(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline, chunks, parts, owner,
                tags, acl, null, version);
    }

    /** A record of the null version whose data {@code sealing} encrypts (null: unencrypted). */
    public ObjectRecord(long size, String etag, long modifiedMillis, Map<String, String> headers,
                        Map<String, String> userMetadata, Checksum checksum, String storageClass, byte[] inline,
                        List<ChunkRef> chunks, List<PartSummary> parts, String owner, Map<String, String> tags,
                        byte[] acl, byte[] sealing) {
        this(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline, chunks, parts, owner,
                tags, acl, sealing, null);
    }

    /** A delete marker made at {@code millis} by {@code owner}, its version id proposed by the caller. */
    public static ObjectRecord deleteMarker(long millis, String owner, String versionId) {
        return new ObjectRecord(0, "", millis, Map.of(), Map.of(), null, null, new byte[0], List.of(), List.of(),
                owner, Map.of(), null, null, ObjectVersion.proposed(versionId, true));
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
                chunks, parts, owner, newTags, acl, sealing, version);
    }

    /** This object with another ACL (null: the default); data, ETag and LastModified stay. */
    public ObjectRecord withAcl(byte[] newAcl) {
        return new ObjectRecord(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline,
                chunks, parts, owner, tags, newAcl, sealing, version);
    }

    /** This record as version {@code v} of its key; everything else stays. */
    public ObjectRecord withVersion(ObjectVersion v) {
        return new ObjectRecord(size, etag, modifiedMillis, headers, userMetadata, checksum, storageClass, inline,
                chunks, parts, owner, tags, acl, sealing, v);
    }

    /**
     * This record with its data in {@code newChunks} (the same bytes, re-protected) under
     * {@code newStorageClass}: a lifecycle transition; everything else stays.
     */
    public ObjectRecord withStorage(List<ChunkRef> newChunks, String newStorageClass) {
        return new ObjectRecord(size, etag, modifiedMillis, headers, userMetadata, checksum, newStorageClass, inline,
                newChunks, parts, owner, tags, acl, sealing, version);
    }

    /** The version id as S3 shows it ({@code "null"} for the null version). */
    public String versionId() {
        return version == null ? ObjectVersion.NULL_ID : version.shownId();
    }

    /** The version's place among its key's versions (0 for a record written before versioning). */
    public long versionSeq() {
        return version == null ? 0 : version.seq();
    }

    public boolean isDeleteMarker() {
        return version != null && version.deleteMarker();
    }

    /** Whether this is the null version (no version id). */
    public boolean isNullVersion() {
        return version == null || version.id() == null;
    }

    public boolean isInline() {
        return inline != null;
    }
}
