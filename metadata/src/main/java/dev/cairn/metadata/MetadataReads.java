package dev.cairn.metadata;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The read side of metadata: every method is blocking (call it from a worker thread, never from
 * an event loop) and reads committed state only - what applied {@link MetaCommand}s left. Writes
 * go through {@link MetaCommitter}.
 */
public interface MetadataReads {

    // ---- buckets ----

    Optional<BucketRecord> getBucket(String name);

    /**
     * A bucket sub-resource document (its tagging, CORS rules, ...) as it was stored; empty when
     * the bucket has none of that kind.
     *
     * @throws MetadataException.NoSuchBucket when the bucket does not exist
     */
    Optional<byte[]> getBucketConfig(String bucket, String kind);

    /** All buckets in name order. */
    List<BucketRecord> listBuckets();

    /**
     * One page of buckets in name order: at most {@code limit} whose names start with
     * {@code prefix} (empty: any), sort after {@code startAfter} (null: from the first) and are in
     * {@code region} (null: any).
     */
    List<BucketRecord> listBuckets(String prefix, String region, String startAfter, int limit);

    // ---- objects ----

    Optional<ObjectRecord> getObject(String bucket, String key);

    /**
     * Version {@code versionId} of bucket/key ({@code "null"}: the null version), which may be a
     * delete marker; with a null {@code versionId}, the key's newest version (its current object,
     * or the delete marker on top). Empty when there is no such version.
     *
     * @throws MetadataException.NoSuchBucket when the bucket does not exist
     */
    Optional<ObjectRecord> getObjectVersion(String bucket, String key, String versionId);

    /**
     * One page of a bucket's versions and delete markers (ListObjectVersions).
     *
     * @throws MetadataException.NoSuchBucket when the bucket does not exist
     */
    VersionListing listVersions(String bucket, VersionQuery query);

    /** Chunk records by id, in the order asked; a missing id gives an empty Optional. */
    List<Optional<ChunkRecord>> getChunks(List<ChunkId> ids);

    /**
     * One page of a bucket's objects in UTF-8 byte order of their keys.
     *
     * @throws MetadataException.NoSuchBucket when the bucket does not exist
     */
    ObjectListing listObjects(String bucket, ListQuery query);

    // ---- multipart uploads ----

    Optional<UploadRecord> getUpload(String bucket, String key, String uploadId);

    /** Parts of an upload with part number greater than {@code partNumberMarker}, in order, at most {@code maxParts}+1. */
    List<PartRecord> listParts(String uploadId, int partNumberMarker, int maxParts);

    /** All parts of an upload in part-number order. */
    List<PartRecord> allParts(String uploadId);

    /**
     * One page of uploads in (key, uploadId) order.
     *
     * @throws MetadataException.NoSuchBucket when the bucket does not exist
     */
    UploadListing listUploads(String bucket, UploadQuery query);

    /**
     * How an upload completed, while its record is kept (see
     * {@link UploadCommand.ForgetCompletedUploads}), so a retried completion gets the same answer.
     */
    Optional<CompletedUpload> getCompletedUpload(String uploadId);

    // ---- identities ----

    /** Every row of the identity table (users, access keys, policies, quotas), in key order. */
    List<IdentityRow> identityRows();

    // ---- keyring ----

    /** The keyring's wrapped keys and the master key id that wraps them ({@link Keyring#EMPTY} when none). */
    Keyring keyring();

    // ---- chunks being written, and garbage ----

    /**
     * Pending marks of retired writer epochs (see {@link GarbageCommand.OpenEpoch}): their writes can
     * never commit, so their pieces are garbage. At most {@code limit}.
     */
    List<ChunkRecord> stalePending(int limit);

    /** Chunks whose grace period ended at or before {@code nowMillis}, oldest first, and stray queue entries. */
    GarbagePage garbage(long nowMillis, int limit);

    /** The chunks among {@code ids} that have a pending mark (a write in flight or never finished). */
    Set<ChunkId> pendingAmong(List<ChunkId> ids);

    // ---- cluster map and repairs ----

    /** Every node of the cluster map, in id order, as the last membership change stored it. */
    List<NodeRecord> listNodes();

    long clusterMapVersion();

    /** Up to {@code limit} pieces waiting for repair, in chunk id order. */
    List<RepairRecord> listRepairs(int limit);

    // ---- movers ----

    /**
     * Up to {@code limit} committed chunks with ids after {@code after} (null: from the first), in
     * id order, leaving out chunks queued for garbage collection.
     */
    List<ChunkRecord> scanChunks(ChunkId after, int limit);

    /** Up to {@code limit} move intents, in (chunk, piece) order. */
    List<MoveIntent> listMoves(int limit);

    /** Up to {@code limit} deferred piece deletes, in (chunk, piece, node) order. */
    List<PieceDelete> listPieceDeletes(int limit);

    // ---- housekeeping ----

    /** Number of buckets and objects and their total bytes, for the admin summary. */
    StoreStats stats();

    /** Objects and bytes of every bucket that holds objects (exact; in no particular order). */
    List<BucketUsage> bucketUsage();

    /**
     * Objects and bytes of one bucket, exact and from memory (zero when it holds nothing): the
     * counters change in the same apply as the object write they account for.
     */
    BucketUsage bucketUsage(String bucket);

    /** The storage engine's own numbers: data and memtable sizes, compactions, key estimates. */
    List<EngineProperty> engineProperties();
}
