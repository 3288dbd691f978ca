package dev.cairn.metadata.ratis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.BucketUsage;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ClusterCommand;
import dev.cairn.metadata.CompletedUpload;
import dev.cairn.metadata.EngineProperty;
import dev.cairn.metadata.GarbagePage;
import dev.cairn.metadata.IdentityRow;
import dev.cairn.metadata.ListQuery;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetaCommitter;
import dev.cairn.metadata.MetaResult;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.MoveIntent;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.ObjectListing;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PartRecord;
import dev.cairn.metadata.PieceDelete;
import dev.cairn.metadata.RepairRecord;
import dev.cairn.metadata.RocksMetadataStore;
import dev.cairn.metadata.StoreStats;
import dev.cairn.metadata.UploadListing;
import dev.cairn.metadata.UploadQuery;
import dev.cairn.metadata.UploadRecord;
import dev.cairn.metadata.VersionListing;
import dev.cairn.metadata.VersionQuery;

/**
 * The {@link MetadataStore} of a replicated server: reads from this replica's RocksDB after a
 * read barrier ({@link ReadBarrier}: the replica has applied everything committed before the read
 * began, so a read on any gateway sees every write acknowledged before it), commits through the
 * {@link RatisCommitter}.
 *
 * <p>Design note. The replica's database is replaced when a snapshot from the leader is
 * installed ({@link #replaceWith}); reads hold the read side of a lock around the current store,
 * the swap the write side, so no read ever touches a closed database.
 */
final class ReplicatedStore implements MetadataStore {
    private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
    private final Supplier<RocksMetadataStore> reopen;
    private final ReadBarrier barrier;
    private volatile RocksMetadataStore current;
    private volatile MetaCommitter committer;
    private final ReplicatedStore unbarriered;
    /** For the unbarriered view: the store it reads through (its swap lock and current database). */
    private ReplicatedStore outer;

    ReplicatedStore(RocksMetadataStore first, Supplier<RocksMetadataStore> reopen, ReadBarrier barrier) {
        this.current = first;
        this.reopen = reopen;
        this.barrier = barrier;
        this.unbarriered = barrier == null ? this : new ReplicatedStore(this);
    }

    /** A view of {@code barriered} whose reads skip the barrier. */
    private ReplicatedStore(ReplicatedStore barriered) {
        this.reopen = null;
        this.barrier = null;
        this.unbarriered = this;
        this.outer = barriered;
    }

    /** The same store, reading what this replica has applied without waiting for a barrier. */
    MetadataStore withoutBarrier() {
        return unbarriered;
    }

    void useCommitter(MetaCommitter c) {
        this.committer = c;
        current.useCommitter(c);
    }

    /** The current replica database (for the state machine, which applies in log order without barriers). */
    RocksMetadataStore replica() {
        return current;
    }

    /**
     * Replaces the database with the checkpoint in {@code checkpoint}: closes the current store,
     * moves the checkpoint into its directory and opens it again. The caller (the state machine)
     * guarantees that nothing is applied meanwhile.
     */
    void replaceWith(Path checkpoint) throws IOException {
        Lock l = swap.writeLock();
        l.lock();
        try {
            RocksMetadataStore old = current;
            Path dir = old.directory();
            long epoch = old.writerEpoch();
            old.close();
            Path aside = dir.resolveSibling(dir.getFileName() + ".replaced");
            deleteTree(aside);
            if (Files.exists(dir)) {
                Files.move(dir, aside);
            }
            Files.move(checkpoint, dir);
            RocksMetadataStore fresh = reopen.get();
            fresh.adoptEpoch(epoch);
            if (committer != null) {
                fresh.useCommitter(committer);
            }
            current = fresh;
            deleteTree(aside);
        } finally {
            l.unlock();
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Runs a read on the current store once the barrier has passed. */
    private <T> T read(java.util.function.Function<RocksMetadataStore, T> body) {
        if (barrier != null) {
            barrier.await();
        }
        return local(body);
    }

    /** Runs a read on the current store without a barrier (state this replica has applied). */
    <T> T local(java.util.function.Function<RocksMetadataStore, T> body) {
        if (outer != null) {
            return outer.local(body);
        }
        Lock l = swap.readLock();
        l.lock();
        try {
            return body.apply(current);
        } finally {
            l.unlock();
        }
    }

    // ---- writes ----

    @Override
    public <R extends MetaResult> CompletableFuture<R> commit(MetaCommand<R> command) {
        return local(s -> s.commit(command));
    }

    @Override
    public long garbageDueMillis() {
        return local(RocksMetadataStore::garbageDueMillis);
    }

    @Override
    public long writerEpoch() {
        return local(RocksMetadataStore::writerEpoch);
    }

    /**
     * Commits a membership change without holding the swap lock while it waits (a snapshot install
     * needs that lock, and the commit cannot apply before the install is done), then records the
     * heartbeats in the replica's liveness.
     */
    @Override
    public long putNodes(List<NodeRecord> nodes, boolean mapChanged) {
        long version = mapChanged ? commitAndWait(new ClusterCommand.PutNodes(nodes)).version() : -1;
        long local = local(s -> s.putNodes(nodes, false));
        return mapChanged ? version : local;
    }

    // ---- reads ----

    @Override
    public Optional<BucketRecord> getBucket(String name) {
        return read(s -> s.getBucket(name));
    }

    @Override
    public Optional<byte[]> getBucketConfig(String bucket, String kind) {
        return read(s -> s.getBucketConfig(bucket, kind));
    }

    @Override
    public List<BucketRecord> listBuckets() {
        return read(RocksMetadataStore::listBuckets);
    }

    @Override
    public List<BucketRecord> listBuckets(String prefix, String region, String startAfter, int limit) {
        return read(s -> s.listBuckets(prefix, region, startAfter, limit));
    }

    @Override
    public Optional<ObjectRecord> getObject(String bucket, String key) {
        return read(s -> s.getObject(bucket, key));
    }

    @Override
    public Optional<ObjectRecord> getObjectVersion(String bucket, String key, String versionId) {
        return read(s -> s.getObjectVersion(bucket, key, versionId));
    }

    @Override
    public VersionListing listVersions(String bucket, VersionQuery query) {
        return read(s -> s.listVersions(bucket, query));
    }

    @Override
    public List<Optional<ChunkRecord>> getChunks(List<ChunkId> ids) {
        return read(s -> s.getChunks(ids));
    }

    @Override
    public ObjectListing listObjects(String bucket, ListQuery query) {
        return read(s -> s.listObjects(bucket, query));
    }

    @Override
    public Optional<UploadRecord> getUpload(String bucket, String key, String uploadId) {
        return read(s -> s.getUpload(bucket, key, uploadId));
    }

    @Override
    public List<PartRecord> listParts(String uploadId, int partNumberMarker, int maxParts) {
        return read(s -> s.listParts(uploadId, partNumberMarker, maxParts));
    }

    @Override
    public List<PartRecord> allParts(String uploadId) {
        return read(s -> s.allParts(uploadId));
    }

    @Override
    public UploadListing listUploads(String bucket, UploadQuery query) {
        return read(s -> s.listUploads(bucket, query));
    }

    @Override
    public Optional<CompletedUpload> getCompletedUpload(String uploadId) {
        return read(s -> s.getCompletedUpload(uploadId));
    }

    @Override
    public List<IdentityRow> identityRows() {
        return read(RocksMetadataStore::identityRows);
    }

    @Override
    public dev.cairn.metadata.Keyring keyring() {
        return read(RocksMetadataStore::keyring);
    }

    @Override
    public List<ChunkRecord> stalePending(int limit) {
        return read(s -> s.stalePending(limit));
    }

    @Override
    public GarbagePage garbage(long nowMillis, int limit) {
        return read(s -> s.garbage(nowMillis, limit));
    }

    @Override
    public Set<ChunkId> pendingAmong(List<ChunkId> ids) {
        return read(s -> s.pendingAmong(ids));
    }

    @Override
    public List<NodeRecord> listNodes() {
        return read(RocksMetadataStore::listNodes);
    }

    @Override
    public long clusterMapVersion() {
        return read(RocksMetadataStore::clusterMapVersion);
    }

    @Override
    public List<RepairRecord> listRepairs(int limit) {
        return read(s -> s.listRepairs(limit));
    }

    @Override
    public List<ChunkRecord> scanChunks(ChunkId after, int limit) {
        return read(s -> s.scanChunks(after, limit));
    }

    @Override
    public List<MoveIntent> listMoves(int limit) {
        return read(s -> s.listMoves(limit));
    }

    @Override
    public List<PieceDelete> listPieceDeletes(int limit) {
        return read(s -> s.listPieceDeletes(limit));
    }

    /** Local counters: statistics need no barrier (they are gauges, read every few seconds). */
    @Override
    public StoreStats stats() {
        return local(RocksMetadataStore::stats);
    }

    @Override
    public List<BucketUsage> bucketUsage() {
        return local(RocksMetadataStore::bucketUsage);
    }

    @Override
    public BucketUsage bucketUsage(String bucket) {
        return local(s -> s.bucketUsage(bucket));
    }

    @Override
    public List<EngineProperty> engineProperties() {
        return local(RocksMetadataStore::engineProperties);
    }

    @Override
    public void close() {
        if (outer != null) {
            return; // the view closes nothing: its store does
        }
        Lock l = swap.writeLock();
        l.lock();
        try {
            current.close();
        } catch (MetadataException e) {
            // already closed
        } finally {
            l.unlock();
        }
    }
}
