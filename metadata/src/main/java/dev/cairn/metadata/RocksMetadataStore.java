package dev.cairn.metadata;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MetadataStore} over RocksDB in this process: reads straight from the database, writes as
 * commands through a {@link LocalCommitter} into the {@link MetadataStateMachine}. The schema is
 * in {@link MetadataSchema}, scans and listings in {@link CatalogQueries} and {@link ListingScanner},
 * the tables in their own classes.
 *
 * <p>At open the store opens a writer epoch for {@value #HOLDER} ({@link GarbageCommand.OpenEpoch}),
 * which retires the epoch of the previous run: that run's pending marks become stale.
 *
 * <p>Beyond the interface: listObjects, listUploads and deleteObject throw NoSuchBucket for a
 * missing bucket (getObject just returns empty); a chunk that the new version of an object or part
 * still references is never queued as garbage; conditions are checked by
 * {@link WriteCondition#check}. Calls after {@link #close()} throw StorageFailure.
 */
public final class RocksMetadataStore implements MetadataStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksMetadataStore.class);
    /** The writer-epoch holder of the embedded server (one gateway per store). */
    static final String HOLDER = "local";

    private final Path dir;
    private final RocksHandles h;
    private final Clock clock;
    private final long graceMillis;
    private final SpaceGuard space;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle
    private final StoreCounters counters;
    private final PendingMarks pending;
    private final ChunkQueues chunks;
    private final ClusterTables cluster;
    private final MoveTables moves;
    private final PartTable parts;
    private final CompletedUploadTable completions;
    private final MetadataStateMachine machine;
    private final NodeLiveness liveness;
    /** The single-server committer; null in replicated mode. */
    private LocalCommitter local;
    /** Where commits go: {@link #local}, or the replicated committer given by {@link #useCommitter}. */
    private volatile MetaCommitter committer;
    private long epoch;
    private final IdentityTable identities;
    private final KeyringTable keyring;
    /** Iterator seeks and steps taken by listings; lets tests prove that roll-ups seek. */
    final LongAdder listingSteps = new LongAdder();

    private RocksMetadataStore(Path dir, RocksHandles h, Clock clock, Duration gcGrace, long reserveBytes) {
        this.dir = dir;
        this.h = h;
        this.clock = clock;
        this.graceMillis = gcGrace.toMillis();
        this.space = new SpaceGuard(dir, reserveBytes, () -> {
            try {
                return h.db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables");
            } catch (RocksDBException e) {
                return 0;
            }
        });
        this.counters = new StoreCounters(h);
        this.pending = new PendingMarks(h);
        this.chunks = new ChunkQueues(h, pending);
        this.cluster = new ClusterTables(h);
        this.moves = new MoveTables(h);
        this.parts = new PartTable(h);
        this.completions = new CompletedUploadTable(h);
        this.identities = new IdentityTable(h);
        this.keyring = new KeyringTable(h);
        this.machine = new MetadataStateMachine(h, counters, parts, chunks, pending, cluster, moves, completions,
                identities, keyring);
        this.liveness = new NodeLiveness(clock.millis());
    }

    /** Opens (creating if needed) the store in {@code dir}; garbage becomes due {@code gcGrace} after it is queued. */
    public static RocksMetadataStore open(Path dir, Clock clock, Duration gcGrace) {
        return open(dir, clock, gcGrace, true, 0);
    }

    /**
     * As {@link #open(Path, Clock, Duration)}, keeping {@code reserveBytes} of the disk free for
     * deletes: below it, writes that store more client data fail with {@link MetadataException.OutOfSpace}.
     */
    public static RocksMetadataStore open(Path dir, Clock clock, Duration gcGrace, long reserveBytes) {
        return open(dir, clock, gcGrace, true, reserveBytes);
    }

    /** As {@link #open(Path, Clock, Duration)}; {@code sync = false} is for tests that write a lot. */
    static RocksMetadataStore open(Path dir, Clock clock, Duration gcGrace, boolean sync) {
        return open(dir, clock, gcGrace, sync, 0);
    }

    private static RocksMetadataStore open(Path dir, Clock clock, Duration gcGrace, boolean sync, long reserveBytes) {
        Objects.requireNonNull(clock, "clock");
        if (gcGrace.isNegative()) {
            throw new IllegalArgumentException("negative gc grace " + gcGrace);
        }
        RocksHandles h;
        try {
            h = RocksHandles.open(dir, sync);
        } catch (RocksDBException e) {
            throw new MetadataException.StorageFailure("cannot open metadata store in " + dir + ": " + e.getMessage(), e);
        }
        RocksMetadataStore store = new RocksMetadataStore(dir, h, clock, gcGrace, reserveBytes);
        try {
            SchemaUpgrade.run(h);
            store.counters.load();
            store.local = new LocalCommitter(store.machine::apply, store.space, "cairn-metadata-apply");
            store.committer = store.local;
            store.epoch = store.commitAndWait(new GarbageCommand.OpenEpoch(HOLDER, clock.millis())).epoch();
        } catch (RocksDBException | RuntimeException e) {
            if (store.local != null) {
                store.local.close();
            }
            h.close();
            if (e instanceof MetadataException me) {
                throw me;
            }
            throw new MetadataException.StorageFailure("cannot open metadata store in " + dir + ": " + e.getMessage(), e);
        }
        LOG.info("Opened metadata store in {}: {} buckets, {} objects, writer epoch {}", dir, store.stats().buckets(),
                store.stats().objects(), store.epoch);
        return store;
    }

    /**
     * Opens the store in {@code dir} as one replica of replicated metadata: commands are applied
     * by the replication layer through {@link #applyReplicated}, in log order, and written
     * without fsync (the Raft log is what makes them durable; after a crash the entries after
     * {@link #appliedPosition()} are applied again). Commits go to the committer given by
     * {@link #useCommitter}; no writer epoch is opened until {@link #openEpoch}.
     */
    public static RocksMetadataStore openReplica(Path dir, Clock clock, Duration gcGrace, long reserveBytes) {
        Objects.requireNonNull(clock, "clock");
        RocksHandles h;
        try {
            h = RocksHandles.open(dir, false);
        } catch (RocksDBException e) {
            throw new MetadataException.StorageFailure("cannot open metadata store in " + dir + ": " + e.getMessage(), e);
        }
        RocksMetadataStore store = new RocksMetadataStore(dir, h, clock, gcGrace, reserveBytes);
        try {
            SchemaUpgrade.run(h);
            store.counters.load();
        } catch (RocksDBException | RuntimeException e) {
            h.close();
            if (e instanceof MetadataException me) {
                throw me;
            }
            throw new MetadataException.StorageFailure("cannot open metadata store in " + dir + ": " + e.getMessage(), e);
        }
        LOG.info("Opened metadata replica in {}: {} buckets, {} objects, applied up to {}", dir, store.stats().buckets(),
                store.stats().objects(), Arrays.toString(store.appliedPosition()));
        return store;
    }

    /** Replicated mode: where this store's commits go (the replicating committer). */
    public void useCommitter(MetaCommitter replicated) {
        if (local != null) {
            throw new IllegalStateException("a single-server store commits locally");
        }
        this.committer = Objects.requireNonNull(replicated, "replicated");
    }

    /**
     * Replicated mode: opens a writer epoch for {@code holder} (one per gateway) through the
     * committer; it retires the epoch {@code holder} held before, so that run's pending marks
     * become stale wherever the collector runs.
     */
    public long openEpoch(String holder) {
        epoch = commitAndWait(new GarbageCommand.OpenEpoch(holder, clock.millis())).epoch();
        return epoch;
    }

    /** Replicated mode: carries the writer epoch over to a store reopened from a snapshot. */
    public void adoptEpoch(long epoch) {
        this.epoch = epoch;
    }

    /**
     * Replicated mode: applies the commands of the log entry at ({@code term}, {@code index}) and
     * records that position in the same write.
     */
    public List<MetaResult> applyReplicated(List<? extends MetaCommand<?>> commands, long term, long index) {
        byte[] position = java.nio.ByteBuffer.allocate(16).putLong(term).putLong(index).array();
        return run("applying log entry " + index, () -> machine.apply(commands, position));
    }

    /** The Raft log position (term, index) last applied, or null when none was. */
    public long[] appliedPosition() {
        return run("reading the applied position", () -> {
            byte[] v = h.db.get(h.meta, MetadataSchema.RAFT_APPLIED_KEY);
            if (v == null) {
                return null;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(v);
            return new long[] {b.getLong(), b.getLong()};
        });
    }

    /**
     * Writes a consistent RocksDB checkpoint of the whole store into {@code target} (which must
     * not exist): hard links to the immutable files plus a flushed copy of the rest.
     */
    public void checkpoint(Path target) {
        run("checkpoint to " + target, () -> {
            try (org.rocksdb.Checkpoint cp = org.rocksdb.Checkpoint.create(h.db)) {
                cp.createCheckpoint(target.toString());
            }
            return null;
        });
    }

    /** The directory holding this store's database. */
    public Path directory() {
        return dir;
    }

    // ---- plumbing ----

    @FunctionalInterface
    private interface RocksCall<T> {
        T call() throws RocksDBException;
    }

    /** Runs {@code body} while the store is open, turning RocksDB errors into StorageFailure. */
    private <T> T run(String what, RocksCall<T> body) {
        Lock l = lifecycle.readLock();
        l.lock();
        try {
            if (closed) {
                throw new MetadataException.StorageFailure("metadata store is closed", null);
            }
            return body.call();
        } catch (RocksDBException e) {
            throw new MetadataException.StorageFailure(what + " failed: " + e.getMessage(), e);
        } finally {
            l.unlock();
        }
    }

    private void requireBucket(String bucket) throws RocksDBException {
        if (h.db.get(h.buckets, KeyCodec.bucketKey(bucket)) == null) {
            throw new MetadataException.NoSuchBucket(bucket);
        }
    }

    // ---- writes ----

    @Override
    public <R extends MetaResult> CompletableFuture<R> commit(MetaCommand<R> command) {
        MetaCommitter c = committer;
        if (c == null) {
            return CompletableFuture.failedFuture(
                    new MetadataException.StorageFailure("metadata replica has no committer yet", null));
        }
        if (c != local) {
            try {
                space.admit(command);
            } catch (MetadataException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return c.commit(command);
    }

    @Override
    public long garbageDueMillis() {
        return clock.millis() + graceMillis;
    }

    @Override
    public long writerEpoch() {
        return epoch;
    }

    @Override
    public long putNodes(List<NodeRecord> nodes, boolean mapChanged) {
        long version = mapChanged ? commitAndWait(new ClusterCommand.PutNodes(nodes)).version() : clusterMapVersion();
        nodes.forEach(liveness::heard);
        return version;
    }

    /** The state machine applying this store's commands (for tests that apply commands directly). */
    MetadataStateMachine stateMachine() {
        return machine;
    }

    /** The open database (tests that read raw rows). */
    RocksHandles handles() {
        return h;
    }

    /** The committer (for tests and metrics: group sizes). */
    LocalCommitter committer() {
        return local;
    }

    // ---- buckets ----

    @Override
    public Optional<BucketRecord> getBucket(String name) {
        return run("getBucket", () -> {
            byte[] v = h.db.get(h.buckets, KeyCodec.bucketKey(name));
            return v == null ? Optional.empty() : Optional.of(RecordCodec.decodeBucket(v));
        });
    }

    @Override
    public Optional<byte[]> getBucketConfig(String bucket, String kind) {
        return run("getBucketConfig", () -> {
            requireBucket(bucket);
            byte[] v = h.db.get(h.bucketConfigs, KeyCodec.bucketConfigKey(bucket, kind));
            return v == null ? Optional.<byte[]>empty() : Optional.of(RecordCodec.decodeBucketConfig(v));
        });
    }

    @Override
    public List<BucketRecord> listBuckets() {
        return run("listBuckets", () -> {
            List<BucketRecord> out = new ArrayList<>();
            try (RocksIterator it = h.db.newIterator(h.buckets)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    out.add(RecordCodec.decodeBucket(it.value()));
                }
                it.status();
            }
            return out;
        });
    }

    @Override
    public List<BucketRecord> listBuckets(String prefix, String region, String startAfter, int limit) {
        return run("listBuckets", () -> CatalogQueries.buckets(h, prefix, region, startAfter, limit));
    }

    // ---- objects ----

    @Override
    public Optional<ObjectRecord> getObject(String bucket, String key) {
        return run("getObject", () -> {
            byte[] v = h.db.get(h.objects, KeyCodec.objectKey(bucket, key));
            return v == null ? Optional.empty() : Optional.of(RecordCodec.decodeObject(v));
        });
    }

    @Override
    public Optional<ObjectRecord> getObjectVersion(String bucket, String key, String versionId) {
        return run("getObjectVersion", () -> {
            requireBucket(bucket);
            return CatalogQueries.version(h, bucket, key, versionId);
        });
    }

    @Override
    public VersionListing listVersions(String bucket, VersionQuery query) {
        return run("listVersions", () -> {
            requireBucket(bucket);
            return new VersionScanner(h, bucket, query).scan(query);
        });
    }

    @Override
    public List<Optional<ChunkRecord>> getChunks(List<ChunkId> ids) {
        return run("getChunks", () -> chunks.get(ids));
    }

    @Override
    public ObjectListing listObjects(String bucket, ListQuery query) {
        return run("listObjects", () -> {
            requireBucket(bucket);
            return CatalogQueries.objects(h, bucket, query, listingSteps);
        });
    }

    // ---- multipart uploads ----

    @Override
    public Optional<UploadRecord> getUpload(String bucket, String key, String uploadId) {
        byte[] id = KeyCodec.uploadIdBytes(uploadId);
        if (id == null) {
            return Optional.empty();
        }
        return run("getUpload", () -> {
            byte[] v = h.db.get(h.uploads, KeyCodec.uploadKey(bucket, key, id));
            return v == null ? Optional.empty() : Optional.of(RecordCodec.decodeUpload(v));
        });
    }

    @Override
    public List<PartRecord> listParts(String uploadId, int partNumberMarker, int maxParts) {
        byte[] id = KeyCodec.uploadIdBytes(uploadId);
        if (id == null || partNumberMarker == Integer.MAX_VALUE) {
            return List.of();
        }
        return run("listParts", () -> parts.list(id, Math.max(partNumberMarker, 0) + 1, Math.max(maxParts, 0) + 1L));
    }

    @Override
    public List<PartRecord> allParts(String uploadId) {
        byte[] id = KeyCodec.uploadIdBytes(uploadId);
        if (id == null) {
            return List.of();
        }
        return run("allParts", () -> parts.list(id, 1, Long.MAX_VALUE));
    }

    @Override
    public UploadListing listUploads(String bucket, UploadQuery query) {
        return run("listUploads", () -> {
            requireBucket(bucket);
            return CatalogQueries.uploads(h, bucket, query, listingSteps);
        });
    }

    @Override
    public Optional<CompletedUpload> getCompletedUpload(String uploadId) {
        byte[] id = KeyCodec.uploadIdBytes(uploadId);
        if (id == null) {
            return Optional.empty();
        }
        return run("getCompletedUpload", () -> Optional.ofNullable(completions.get(id)));
    }

    @Override
    public List<IdentityRow> identityRows() {
        return run("identityRows", identities::all);
    }

    @Override
    public Keyring keyring() {
        return run("keyring", keyring::read);
    }

    // ---- chunks being written, and garbage ----

    @Override
    public List<ChunkRecord> stalePending(int limit) {
        return run("stalePending", () -> pending.stale(limit));
    }

    @Override
    public GarbagePage garbage(long nowMillis, int limit) {
        return run("garbage", () -> chunks.dueGarbage(nowMillis, limit));
    }

    @Override
    public Set<ChunkId> pendingAmong(List<ChunkId> ids) {
        return run("pendingAmong", () -> pending.among(ids));
    }

    /** Every writer epoch row (tests). */
    java.util.SortedMap<Long, PendingMarks.EpochRow> epochs() {
        return run("epochs", pending::epochs);
    }

    /** The writer epochs {@code holder} opened that are not retired, oldest first. */
    public List<Long> openEpochsOf(String holder) {
        return epochs().entrySet().stream()
                .filter(e -> !e.getValue().retired() && e.getValue().holder().equals(holder))
                .map(java.util.Map.Entry::getKey).toList();
    }

    /** Retires writer epoch {@code epoch}: the marks of its unfinished writes become garbage. */
    public void retireEpoch(long epoch) {
        commitAndWait(new GarbageCommand.RetireEpoch(epoch));
    }

    // ---- cluster map and repairs ----

    @Override
    public List<NodeRecord> listNodes() {
        return liveness.overlay(run("listNodes", cluster::nodes));
    }

    @Override
    public long clusterMapVersion() {
        return run("clusterMapVersion", cluster::version);
    }

    @Override
    public List<RepairRecord> listRepairs(int limit) {
        return run("listRepairs", () -> cluster.repairs(limit));
    }

    // ---- movers ----

    @Override
    public List<ChunkRecord> scanChunks(ChunkId after, int limit) {
        return run("scanChunks", () -> moves.scan(after, limit));
    }

    @Override
    public List<MoveIntent> listMoves(int limit) {
        return run("listMoves", () -> moves.intents(limit));
    }

    @Override
    public List<PieceDelete> listPieceDeletes(int limit) {
        return run("listPieceDeletes", () -> moves.deletes(limit));
    }

    // ---- housekeeping ----

    @Override
    public StoreStats stats() {
        return counters.snapshot();
    }

    @Override
    public List<BucketUsage> bucketUsage() {
        return counters.buckets();
    }

    @Override
    public BucketUsage bucketUsage(String bucket) {
        return counters.bucket(bucket);
    }

    @Override
    public List<EngineProperty> engineProperties() {
        return run("engineProperties", () -> EngineStats.read(h));
    }

    /** Applies what was committed, then closes the database; idempotent. */
    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
        Lock l = lifecycle.writeLock();
        l.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            h.close();
            if (local != null) {
                LOG.info("Closed metadata store in {}: {} commands applied in {} writes", dir, local.commandsApplied(),
                        local.groupsApplied());
            } else {
                LOG.info("Closed metadata replica in {}", dir);
            }
        } finally {
            l.unlock();
        }
    }
}
