package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;

import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.metadata.UploadCommand.AbortUpload;
import dev.cairn.metadata.GarbageCommand.ClearGarbageEntries;
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
import dev.cairn.metadata.GarbageCommand.OpenEpoch;
import dev.cairn.metadata.MetaCommand.PutBucketConfig;
import dev.cairn.metadata.ClusterCommand.PutNodes;
import dev.cairn.metadata.MetaCommand.PutObject;
import dev.cairn.metadata.UploadCommand.PutPart;
import dev.cairn.metadata.ClusterCommand.RecordMoves;
import dev.cairn.metadata.ClusterCommand.RecordRepairs;
import dev.cairn.metadata.GarbageCommand.RetireEpoch;
import dev.cairn.metadata.MetaCommand.SetDefaultStorageClass;
import dev.cairn.metadata.MetaCommand.SetObjectAcl;
import dev.cairn.metadata.MetaCommand.SetObjectTags;
import dev.cairn.metadata.ClusterCommand.UpdatePieces;
import dev.cairn.metadata.MetaCommand.WriteIdentities;

/**
 * The one place metadata changes: {@code apply(commands) -> results} over RocksDB.
 *
 * <p>Design note. Apply is deterministic: a result and the stored bytes depend only on the state
 * before and the commands (no clock, no randomness, no thread timing; every time and id travels in
 * the command), so replicas applying the same commands in the same order hold the same bytes.
 * Preconditions are evaluated here, against that state: a command that fails one is
 * {@link MetaResult.Rejected} and leaves nothing behind; one that fails on what it found (a value
 * it cannot decode) is {@link MetaResult.Failed}. Applies are serialised (this object's monitor),
 * which replaces the striped locks callers used to take.
 *
 * <p>A group of commands is applied into one indexed batch ({@link Txn}: each command sees the
 * writes of those before it) and written once - synced when any command in it is
 * {@link MetaCommand#durable()} - so one fsync covers the group (group commit,
 * {@link LocalCommitter}). Nothing is visible to readers before the write, and in-memory counters
 * change only after it. A RocksDB error fails the whole group with nothing written.
 */
public final class MetadataStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final RocksHandles h;
    private final BucketCommands buckets;
    private final ObjectCommands objects;
    private final UploadCommands uploads;
    private final ChunkQueues chunks;
    private final PendingMarks pending;
    private final ClusterTables cluster;
    private final MoveTables moves;
    private final IdentityTable identities;
    private final LifecycleCommands lifecycle;
    private final KeyringTable keyring;

    MetadataStateMachine(RocksHandles h, StoreCounters counters, PartTable parts, ChunkQueues chunks,
                         PendingMarks pending, ClusterTables cluster, MoveTables moves,
                         CompletedUploadTable completions, IdentityTable identities, KeyringTable keyring) {
        this.h = h;
        this.chunks = chunks;
        this.pending = pending;
        this.cluster = cluster;
        this.moves = moves;
        this.identities = identities;
        this.keyring = keyring;
        this.buckets = new BucketCommands(h, parts, chunks, counters);
        this.objects = new ObjectCommands(h, buckets, chunks, counters);
        this.uploads = new UploadCommands(h, buckets, objects, parts, chunks, counters, completions);
        this.lifecycle = new LifecycleCommands(h, buckets, objects, chunks);
    }

    /** Applies one command on its own (one write). */
    public MetaResult apply(MetaCommand<?> command) {
        return apply(List.of(command)).get(0);
    }

    /**
     * Applies {@code commands} in order as one atomic write; one result per command.
     *
     * @throws MetadataException.StorageFailure when RocksDB fails (nothing of the group is written)
     */
    public List<MetaResult> apply(List<? extends MetaCommand<?>> commands) {
        return apply(commands, null);
    }

    /**
     * As {@link #apply(List)}, also recording {@code position} (a Raft log position, see
     * {@link MetadataSchema#RAFT_APPLIED_KEY}) in the same write when it is not null.
     */
    synchronized List<MetaResult> apply(List<? extends MetaCommand<?>> commands, byte[] position) {
        List<MetaResult> results = new ArrayList<>(commands.size());
        try (Txn t = new Txn(h)) {
            boolean sync = false;
            for (MetaCommand<?> c : commands) {
                t.begin();
                MetaResult r;
                try {
                    r = dispatch(t, c);
                    sync |= c.durable();
                } catch (MetadataException.StorageFailure e) {
                    r = failed(c, e);
                } catch (MetadataException e) {
                    r = MetaResult.Rejected.of(e);
                } catch (RuntimeException e) {
                    r = failed(c, e);
                }
                if (r instanceof MetaResult.Rejected || r instanceof MetaResult.Failed) {
                    t.undo();
                } else {
                    t.keep();
                }
                results.add(r);
            }
            if (position != null) {
                t.put(h.meta, MetadataSchema.RAFT_APPLIED_KEY, position);
            }
            if (t.count() > 0) {
                h.db.write(sync ? h.synced : h.unsynced, t.batch());
            }
            t.runEffects();
        } catch (RocksDBException e) {
            throw new MetadataException.StorageFailure("applying " + commands.size() + " metadata command(s) failed: "
                    + e.getMessage(), e);
        }
        return results;
    }

    private static MetaResult failed(MetaCommand<?> c, RuntimeException e) {
        LOG.warn("metadata command {} failed: {}", c.type(), e.toString());
        return new MetaResult.Failed(c.type() + " failed: " + e.getMessage());
    }

    private MetaResult dispatch(Txn t, MetaCommand<?> c) throws RocksDBException {
        return switch (c.type()) {
            case CREATE_BUCKET -> done(() -> buckets.create(t, (CreateBucket) c));
            case DELETE_BUCKET -> done(() -> buckets.delete(t, (DeleteBucket) c));
            case PUT_BUCKET_CONFIG -> done(() -> buckets.putConfig(t, (PutBucketConfig) c));
            case SET_DEFAULT_STORAGE_CLASS ->
                    new MetaResult.BucketResult(buckets.setDefaultStorageClass(t, (SetDefaultStorageClass) c));
            case SET_BUCKET_VERSIONING ->
                    new MetaResult.BucketResult(buckets.setVersioning(t, (MetaCommand.SetBucketVersioning) c));
            case PUT_OBJECT -> objects.put(t, (PutObject) c);
            case DELETE_KEY -> objects.deleteKey(t, (MetaCommand.DeleteKey) c);
            case DELETE_VERSION -> objects.deleteVersion(t, (MetaCommand.DeleteVersion) c);
            case EXPIRE -> lifecycle.expire(t, (MetaCommand.Expire) c);
            case TRANSITION -> new MetaResult.ObjectResult(lifecycle.transition(t, (MetaCommand.Transition) c));
            case SET_VERSION_TAGS -> new MetaResult.ObjectResult(objects.setVersionTags(t, (MetaCommand.SetVersionTags) c));
            case SET_VERSION_RETENTION ->
                    new MetaResult.ObjectResult(objects.setRetention(t, (MetaCommand.SetVersionRetention) c));
            case SET_VERSION_LEGAL_HOLD ->
                    new MetaResult.ObjectResult(objects.setLegalHold(t, (MetaCommand.SetVersionLegalHold) c));
            case SET_VERSION_ACL -> new MetaResult.ObjectResult(objects.setVersionAcl(t, (MetaCommand.SetVersionAcl) c));
            case SET_OBJECT_TAGS -> new MetaResult.ObjectResult(objects.setTags(t, (SetObjectTags) c));
            case SET_OBJECT_ACL -> new MetaResult.ObjectResult(objects.setAcl(t, (SetObjectAcl) c));
            case DELETE_OBJECT -> new MetaResult.Replaced(objects.delete(t, (DeleteObject) c));
            case CREATE_UPLOAD -> done(() -> uploads.create(t, (CreateUpload) c));
            case PUT_PART -> done(() -> uploads.putPart(t, (PutPart) c));
            case COMPLETE_UPLOAD -> uploads.complete(t, (CompleteUpload) c);
            case ABORT_UPLOAD -> done(() -> uploads.abort(t, (AbortUpload) c));
            case FORGET_COMPLETED_UPLOADS ->
                    new MetaResult.Count(uploads.forgetCompleted(t, (ForgetCompletedUploads) c));
            case OPEN_EPOCH -> new MetaResult.Epoch(pending.openEpoch(t, (OpenEpoch) c));
            case RETIRE_EPOCH -> done(() -> pending.retire(t, ((RetireEpoch) c).epoch()));
            case MARK_PENDING -> done(() -> pending.mark(t, (MarkPending) c));
            case DROP_PENDING -> done(() -> pending.unmark(t, ((DropPending) c).ids()));
            case FORGET_CHUNKS -> done(() -> chunks.forget(t, ((ForgetChunks) c).ids()));
            case CLEAR_GARBAGE_ENTRIES -> done(() -> chunks.clearEntries(t, ((ClearGarbageEntries) c).entries()));
            case PUT_NODES -> new MetaResult.MapVersion(cluster.put(t, ((PutNodes) c).nodes()));
            case RECORD_REPAIRS -> done(() -> cluster.recordRepairs(t, ((RecordRepairs) c).records()));
            case CLEAR_REPAIRS -> done(() -> cluster.clearRepairs(t, ((ClearRepairs) c).records()));
            case UPDATE_PIECES -> new MetaResult.Swapped(moves.updatePieces(t, (UpdatePieces) c));
            case RECORD_MOVES -> done(() -> moves.recordIntents(t, ((RecordMoves) c).intents()));
            case CLEAR_MOVES -> done(() -> moves.clearIntents(t, ((ClearMoves) c).intents()));
            case CLEAR_PIECE_DELETES -> done(() -> moves.clearDeletes(t, ((ClearPieceDeletes) c).deletes()));
            case WRITE_IDENTITIES -> done(() -> identities.write(t, ((WriteIdentities) c).change()));
            case ADD_KEYRING_KEY -> done(() -> keyring.add(t, (MetaCommand.AddKeyringKey) c));
            case REWRAP_KEYRING -> done(() -> keyring.rewrap(t, (MetaCommand.RewrapKeyring) c));
        };
    }

    @FunctionalInterface
    private interface Step {
        void run() throws RocksDBException;
    }

    private static MetaResult done(Step step) throws RocksDBException {
        step.run();
        return MetaResult.DONE;
    }
}
