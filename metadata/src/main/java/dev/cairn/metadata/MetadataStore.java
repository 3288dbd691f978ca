package dev.cairn.metadata;

import java.util.List;
import java.util.Optional;

/**
 * The one narrow interface through which Cairn reads and changes metadata. Every method is
 * blocking (call it from a worker thread, never from an event loop) and every mutation is one
 * atomic RocksDB WriteBatch. Mutations that acknowledge a client are synced to disk before they
 * return. Designed so it can later become a replicated state machine.
 *
 * <p>Chunks of replaced, deleted or abandoned data are never deleted here: they are moved to
 * the garbage queue, due after the store's grace period, and handed to the collector through
 * {@link #dueGarbage}.
 */
public interface MetadataStore extends AutoCloseable {

    // ---- buckets ----

    /** @throws MetadataException.BucketAlreadyExists when a bucket of that name exists */
    void createBucket(BucketRecord bucket);

    Optional<BucketRecord> getBucket(String name);

    /**
     * Sets the storage class objects of the bucket get when a PUT names none (null clears it).
     *
     * @throws MetadataException.NoSuchBucket when it does not exist
     */
    BucketRecord setDefaultStorageClass(String bucket, String storageClass);

    /**
     * A bucket sub-resource document (its tagging, CORS rules, ...) as it was stored; empty when
     * the bucket has none of that kind.
     *
     * @throws MetadataException.NoSuchBucket when the bucket does not exist
     */
    Optional<byte[]> getBucketConfig(String bucket, String kind);

    /**
     * Stores a bucket sub-resource document (synced), replacing any earlier one of that kind;
     * {@code document == null} removes it. Documents go with the bucket when it is deleted.
     *
     * @throws MetadataException.NoSuchBucket when the bucket does not exist
     */
    void putBucketConfig(String bucket, String kind, byte[] document);

    /** All buckets in name order. */
    List<BucketRecord> listBuckets();

    /**
     * One page of buckets in name order: at most {@code limit} whose names start with
     * {@code prefix} (empty: any), sort after {@code startAfter} (null: from the first) and are in
     * {@code region} (null: any).
     */
    List<BucketRecord> listBuckets(String prefix, String region, String startAfter, int limit);

    /**
     * Deletes an empty bucket; multipart uploads still in progress are aborted (their chunks go
     * to the garbage queue).
     *
     * @throws MetadataException.NoSuchBucket   when it does not exist
     * @throws MetadataException.BucketNotEmpty when it holds any object
     */
    void deleteBucket(String name);

    // ---- objects ----

    Optional<ObjectRecord> getObject(String bucket, String key);

    /**
     * Makes {@code object} the current version of bucket/key in one synced batch: writes the
     * records of {@code newChunks}, clears their pending marks, and moves the chunks of the
     * replaced object (returned) to the garbage queue.
     *
     * @throws MetadataException.NoSuchBucket       when the bucket does not exist
     * @throws MetadataException.PreconditionFailed when {@code condition} does not hold
     */
    Optional<ObjectRecord> putObject(String bucket, String key, ObjectRecord object, List<ChunkRecord> newChunks,
                                     WriteCondition condition);

    /**
     * Replaces the tag set of the current version of bucket/key in one synced batch, keeping its
     * data, ETag and LastModified (nothing goes to the garbage queue); an empty map removes the tags.
     *
     * @return the updated object
     * @throws MetadataException.NoSuchBucket when the bucket does not exist
     * @throws MetadataException.NoSuchKey    when the object does not exist
     */
    ObjectRecord setObjectTags(String bucket, String key, java.util.Map<String, String> tags);

    /**
     * Replaces the ACL of the current object (null: the default), keeping its data, ETag and
     * time; NoSuchKey when there is none.
     */
    ObjectRecord setObjectAcl(String bucket, String key, byte[] acl);

    /** Removes bucket/key (no error when absent); its chunks go to the garbage queue. */
    Optional<ObjectRecord> deleteObject(String bucket, String key, WriteCondition condition);

    /** Chunk records by id, in the order asked; a missing id gives an empty Optional. */
    List<Optional<ChunkRecord>> getChunks(List<ChunkId> ids);

    /** One page of a bucket's objects in UTF-8 byte order of their keys. */
    ObjectListing listObjects(String bucket, ListQuery query);

    // ---- multipart uploads ----

    /** @throws MetadataException.NoSuchBucket when the bucket does not exist */
    void createUpload(UploadRecord upload);

    Optional<UploadRecord> getUpload(String bucket, String key, String uploadId);

    /**
     * Records a part (replacing an earlier part of the same number, whose chunks go to the
     * garbage queue) with its chunk records, in one synced batch.
     *
     * @throws MetadataException.NoSuchUpload when the upload does not exist (any more)
     */
    void putPart(String bucket, String key, String uploadId, PartRecord part, List<ChunkRecord> newChunks);

    /** Parts of an upload with part number greater than {@code partNumberMarker}, in order, at most {@code maxParts}+1. */
    List<PartRecord> listParts(String uploadId, int partNumberMarker, int maxParts);

    /** All parts of an upload in part-number order. */
    List<PartRecord> allParts(String uploadId);

    /** One page of uploads in (key, uploadId) order. */
    UploadListing listUploads(String bucket, UploadQuery query);

    /**
     * Completes an upload in one synced batch: removes the upload and all its part records,
     * stores {@code object} (whose chunks are those of the chosen parts), moves to the garbage
     * queue the chunks of parts not chosen and of the replaced object (returned), and records the
     * completion ({@link #getCompletedUpload}) with {@code partsDigest}.
     *
     * @param chosenParts the part numbers that make up the object
     * @param partsDigest the caller's digest of the part list the completion named
     * @throws MetadataException.NoSuchUpload       when the upload does not exist (any more)
     * @throws MetadataException.PreconditionFailed when {@code condition} does not hold
     * @throws MetadataException.Conflict           when the chosen parts no longer hold exactly
     *                                              {@code object.chunks()} (a part was uploaded again meanwhile)
     */
    Optional<ObjectRecord> completeUpload(String bucket, String key, String uploadId, List<Integer> chosenParts,
                                          ObjectRecord object, WriteCondition condition, byte[] partsDigest);

    /** Every row of the identity table (users, access keys, policies, quotas), in key order. */
    List<IdentityRow> identityRows();

    /**
     * Applies an identity change in one synced batch when every row it expects holds what it
     * expects; otherwise writes nothing and throws {@link MetadataException.PreconditionFailed}.
     */
    void writeIdentities(IdentityChange change);

    /** How an upload completed, while its record is kept ({@link #forgetCompletedUploads}). */
    Optional<CompletedUpload> getCompletedUpload(String uploadId);

    /**
     * Forgets up to {@code limit} completions made before {@code completedBeforeMillis}, oldest
     * first; returns how many.
     */
    int forgetCompletedUploads(long completedBeforeMillis, int limit);

    /**
     * Aborts an upload: removes it and its parts; their chunks go to the garbage queue.
     *
     * @throws MetadataException.NoSuchUpload when the upload does not exist
     */
    void abortUpload(String bucket, String key, String uploadId);

    // ---- chunks being written, and garbage ----

    /**
     * Marks a chunk as being written before any of its pieces are stored (not synced: a crash
     * loses at most marks whose pieces were never acknowledged). A later commit
     * ({@link #putObject}, {@link #putPart}) clears it; {@link #dropPending} clears it after a
     * failure once the pieces are deleted.
     */
    void markPending(ChunkRecord planned);

    void dropPending(List<ChunkId> ids);

    /**
     * Pending marks left by an earlier run of the process (every mark written before
     * {@code epochStartMillis}): their writes can never commit, so their pieces are garbage.
     */
    List<ChunkRecord> stalePending(long epochStartMillis, int limit);

    /** Chunks in the garbage queue whose grace period ended at or before {@code nowMillis}, oldest first. */
    List<ChunkRecord> dueGarbage(long nowMillis, int limit);

    /** Forgets collected chunks: removes their garbage-queue entries, pending marks and chunk records. */
    void forgetChunks(List<ChunkId> ids);

    // ---- cluster map and repairs ----

    /** Every node of the cluster map, in id order. */
    List<NodeRecord> listNodes();

    /**
     * Stores node records in one batch. When {@code mapChanged} (a node joined, left or changed
     * state) the cluster-map version goes up by one and the write is synced; plain heartbeat
     * updates are not synced.
     *
     * @return the cluster-map version after the write
     */
    long putNodes(List<NodeRecord> nodes, boolean mapChanged);

    long clusterMapVersion();

    /** Records pieces that need repair (one synced batch; a second record of the same piece replaces the first). */
    void recordRepairs(List<RepairRecord> records);

    /** Up to {@code limit} pieces waiting for repair, in chunk id order. */
    List<RepairRecord> listRepairs(int limit);

    /** Removes repair records of pieces that are whole again. */
    void clearRepairs(List<RepairRecord> records);

    // ---- movers ----

    /**
     * Up to {@code limit} committed chunks with ids after {@code after} (null: from the first), in
     * id order, leaving out chunks queued for garbage collection.
     */
    List<ChunkRecord> scanChunks(ChunkId after, int limit);

    /**
     * Compare-and-set of a chunk's piece list: when the chunk is live (not queued for GC) and its
     * pieces are {@code expected} (in any order), stores {@code updated} and, in the same synced
     * batch, removes the move intents whose target {@code updated} places, queues a
     * {@link PieceDelete} due at {@code deleteDueMillis} for every location dropped, and clears the
     * repair rows of the piece indexes that changed. Returns false (and changes nothing) otherwise.
     */
    boolean updatePieces(ChunkId id, List<PieceLocation> expected, List<PieceLocation> updated, long deleteDueMillis);

    /** The chunks among {@code ids} that have a pending mark (a write in flight or never finished). */
    java.util.Set<ChunkId> pendingAmong(List<ChunkId> ids);

    /** Records copies about to start (synced, before any byte is copied). */
    void recordMoves(List<MoveIntent> intents);

    /** Up to {@code limit} move intents, in (chunk, piece) order. */
    List<MoveIntent> listMoves(int limit);

    /** Removes intents of copies that were abandoned (and their target pieces deleted). */
    void clearMoves(List<MoveIntent> intents);

    /** Up to {@code limit} deferred piece deletes, in (chunk, piece, node) order. */
    List<PieceDelete> listPieceDeletes(int limit);

    /** Removes deferred deletes that are done. */
    void clearPieceDeletes(List<PieceDelete> done);

    // ---- housekeeping ----

    /** Number of objects and their total bytes, for the admin summary (may be approximate). */
    StoreStats stats();

    /** Objects and bytes of every bucket that holds objects (exact; in no particular order). */
    List<BucketUsage> bucketUsage();

    /** Objects and bytes of one bucket, exact and from memory (zero when it holds nothing). */
    BucketUsage bucketUsage(String bucket);

    /** The storage engine's own numbers: data and memtable sizes, compactions, key estimates. */
    List<EngineProperty> engineProperties();

    @Override
    void close();
}
