package dev.cairn.metadata;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cairn.metadata.UploadCommand.AbortUpload;
import dev.cairn.metadata.ClusterCommand.ClearMoves;
import dev.cairn.metadata.ClusterCommand.ClearPieceDeletes;
import dev.cairn.metadata.ClusterCommand.ClearRepairs;
import dev.cairn.metadata.UploadCommand.CompleteUpload;
import dev.cairn.metadata.MetaCommand.CreateBucket;
import dev.cairn.metadata.UploadCommand.CreateUpload;
import dev.cairn.metadata.MetaCommand.DeleteBucket;
import dev.cairn.metadata.MetaCommand.DeleteObject;
import dev.cairn.metadata.GarbageCommand.DropPending;
import dev.cairn.metadata.GarbageCommand.ForgetChunks;
import dev.cairn.metadata.UploadCommand.ForgetCompletedUploads;
import dev.cairn.metadata.GarbageCommand.MarkPending;
import dev.cairn.metadata.MetaCommand.PutBucketConfig;
import dev.cairn.metadata.MetaCommand.PutObject;
import dev.cairn.metadata.UploadCommand.PutPart;
import dev.cairn.metadata.ClusterCommand.RecordMoves;
import dev.cairn.metadata.ClusterCommand.RecordRepairs;
import dev.cairn.metadata.MetaCommand.SetDefaultStorageClass;
import dev.cairn.metadata.MetaCommand.SetObjectAcl;
import dev.cairn.metadata.MetaCommand.SetObjectTags;
import dev.cairn.metadata.ClusterCommand.UpdatePieces;
import dev.cairn.metadata.MetaCommand.WriteIdentities;

/**
 * Metadata as the rest of Cairn sees it: the reads ({@link MetadataReads}), the committer
 * ({@link MetaCommitter}), and - for now - the old write methods.
 *
 * <p><b>Compatibility seam (issue 14).</b> Each write method below is a one-line adapter that
 * builds a {@link MetaCommand} and waits for its commit; it stamps the command with this store's
 * clock ({@link #garbageDueMillis()}) and writer epoch ({@link #writerEpoch()}). They keep callers
 * in s3-api and placement compiling while other branches edit them; once those have landed, the
 * callers commit commands themselves (asynchronously, off the worker pool) and these adapters go.
 * See docs/ARCHITECTURE.md, "Metadata commands".
 *
 * <p>Chunks of replaced, deleted or abandoned data are never deleted here: they go to the garbage
 * queue, due after the store's grace period, and reach the collector through {@link #dueGarbage}.
 */
public interface MetadataStore extends MetadataReads, MetaCommitter, AutoCloseable {

    /** When garbage queued now becomes due: this store's clock plus its grace period. */
    long garbageDueMillis();

    /** The writer epoch this process opened (its pending marks carry it). */
    long writerEpoch();

    // ---- the seam: old write methods, one command each ----

    /** @throws MetadataException.BucketAlreadyExists when a bucket of that name exists */
    default void createBucket(BucketRecord bucket) {
        commitAndWait(new CreateBucket(bucket));
    }

    /** @throws MetadataException.NoSuchBucket when it does not exist */
    default BucketRecord setDefaultStorageClass(String bucket, String storageClass) {
        return commitAndWait(new SetDefaultStorageClass(bucket, storageClass)).bucket();
    }

    /** {@code document == null} removes it. @throws MetadataException.NoSuchBucket when the bucket does not exist */
    default void putBucketConfig(String bucket, String kind, byte[] document) {
        commitAndWait(new PutBucketConfig(bucket, kind, document));
    }

    /**
     * @throws MetadataException.NoSuchBucket   when it does not exist
     * @throws MetadataException.BucketNotEmpty when it holds any object
     */
    default void deleteBucket(String name) {
        commitAndWait(new DeleteBucket(name, garbageDueMillis()));
    }

    /**
     * @throws MetadataException.NoSuchBucket       when the bucket does not exist
     * @throws MetadataException.PreconditionFailed when {@code condition} does not hold
     */
    default Optional<ObjectRecord> putObject(String bucket, String key, ObjectRecord object,
                                             List<ChunkRecord> newChunks, WriteCondition condition) {
        return commitAndWait(new PutObject(bucket, key, object, newChunks, condition, garbageDueMillis())).previous();
    }

    /**
     * @throws MetadataException.NoSuchBucket when the bucket does not exist
     * @throws MetadataException.NoSuchKey    when the object does not exist
     */
    default ObjectRecord setObjectTags(String bucket, String key, Map<String, String> tags) {
        return commitAndWait(new SetObjectTags(bucket, key, tags)).object();
    }

    /**
     * Replaces the ACL of the current object (null: the default), keeping its data, ETag and
     * time.
     *
     * @throws MetadataException.NoSuchKey when there is none
     */
    default ObjectRecord setObjectAcl(String bucket, String key, byte[] acl) {
        return commitAndWait(new SetObjectAcl(bucket, key, acl)).object();
    }

    default Optional<ObjectRecord> deleteObject(String bucket, String key, WriteCondition condition) {
        return commitAndWait(new DeleteObject(bucket, key, condition, garbageDueMillis())).previous();
    }

    /** @throws MetadataException.NoSuchBucket when the bucket does not exist */
    default void createUpload(UploadRecord upload) {
        commitAndWait(new CreateUpload(upload));
    }

    /** @throws MetadataException.NoSuchUpload when the upload does not exist (any more) */
    default void putPart(String bucket, String key, String uploadId, PartRecord part, List<ChunkRecord> newChunks) {
        commitAndWait(new PutPart(bucket, key, uploadId, part, newChunks, garbageDueMillis()));
    }

    /**
     * Completes an upload and records the completion ({@link #getCompletedUpload}) with
     * {@code partsDigest}, the caller's digest of the part list the completion named.
     *
     * @throws MetadataException.NoSuchUpload       when the upload does not exist (any more)
     * @throws MetadataException.PreconditionFailed when {@code condition} does not hold
     * @throws MetadataException.Conflict           when the chosen parts no longer hold exactly
     *                                              {@code object.chunks()}
     */
    default Optional<ObjectRecord> completeUpload(String bucket, String key, String uploadId,
                                                  List<Integer> chosenParts, ObjectRecord object,
                                                  WriteCondition condition, byte[] partsDigest) {
        return commitAndWait(new CompleteUpload(bucket, key, uploadId, chosenParts, object, condition,
                partsDigest, garbageDueMillis())).previous();
    }

    /**
     * Applies an identity change (one command, {@link WriteIdentities}) when every row it expects
     * holds what it expects.
     *
     * @throws MetadataException.PreconditionFailed when one does not (nothing is written)
     */
    default void writeIdentities(IdentityChange change) {
        commitAndWait(new WriteIdentities(change));
    }

    /**
     * Forgets up to {@code limit} completions made before {@code completedBeforeMillis}, oldest
     * first (not synced: after a crash the same rows are simply forgotten again); returns how many.
     */
    default int forgetCompletedUploads(long completedBeforeMillis, int limit) {
        return commitAndWait(new ForgetCompletedUploads(completedBeforeMillis, limit)).count();
    }

    /** @throws MetadataException.NoSuchUpload when the upload does not exist */
    default void abortUpload(String bucket, String key, String uploadId) {
        commitAndWait(new AbortUpload(bucket, key, uploadId, garbageDueMillis()));
    }

    /** Marks a chunk as being written by this process's epoch (not synced; concurrent marks share a write). */
    default void markPending(ChunkRecord planned) {
        commitAndWait(new MarkPending(writerEpoch(), List.of(planned)));
    }

    default void dropPending(List<ChunkId> ids) {
        commitAndWait(new DropPending(ids));
    }

    /**
     * Marks of retired epochs; the argument is ignored (part of the seam: the garbage collector
     * still passes its start time, which no longer decides staleness; it moves to
     * {@link #stalePending(int)}). In one process the two agree: the epochs retired are those of
     * earlier runs.
     */
    default List<ChunkRecord> stalePending(long ignoredEpochStartMillis, int limit) {
        return stalePending(limit);
    }

    /** Due garbage, oldest first; stray queue entries met on the way are cleared (a command). */
    default List<ChunkRecord> dueGarbage(long nowMillis, int limit) {
        GarbagePage page = garbage(nowMillis, limit);
        if (!page.stray().isEmpty()) {
            commitAndWait(new GarbageCommand.ClearGarbageEntries(page.stray()));
        }
        return page.due();
    }

    default void forgetChunks(List<ChunkId> ids) {
        commitAndWait(new ForgetChunks(ids));
    }

    /**
     * With {@code mapChanged} (a node joined, left or changed state) a {@link ClusterCommand.PutNodes}
     * command; otherwise a heartbeat, kept in memory only (liveness is not replicated). Either way
     * {@link #listNodes()} shows the new numbers.
     *
     * @return the cluster-map version after the change
     */
    long putNodes(List<NodeRecord> nodes, boolean mapChanged);

    /**
     * Every node in id order: as the last membership change stored it, with the latest heartbeat
     * numbers this process received (a node not heard from since this process started counts as
     * heard at the start).
     */
    @Override
    List<NodeRecord> listNodes();

    default void recordRepairs(List<RepairRecord> records) {
        commitAndWait(new RecordRepairs(records));
    }

    default void clearRepairs(List<RepairRecord> records) {
        commitAndWait(new ClearRepairs(records));
    }

    /** Compare-and-set of a chunk's piece list (see {@link UpdatePieces}); false when the chunk changed. */
    default boolean updatePieces(ChunkId id, List<PieceLocation> expected, List<PieceLocation> updated,
                                 long deleteDueMillis) {
        return commitAndWait(new UpdatePieces(id, expected, updated, deleteDueMillis)).applied();
    }

    default void recordMoves(List<MoveIntent> intents) {
        commitAndWait(new RecordMoves(intents));
    }

    default void clearMoves(List<MoveIntent> intents) {
        commitAndWait(new ClearMoves(intents));
    }

    default void clearPieceDeletes(List<PieceDelete> done) {
        commitAndWait(new ClearPieceDeletes(done));
    }

    @Override
    void close();
}
