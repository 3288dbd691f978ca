package dev.cairn.metadata;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MetadataStore} over RocksDB; the schema is in {@link MetadataSchema}, the locking in
 * {@link StoreLocks}, listings in {@link ListingScanner}, chunk queues in {@link ChunkQueues}.
 *
 * <p>Beyond the interface: listObjects, listUploads and deleteObject throw NoSuchBucket for a
 * missing bucket (getObject just returns empty); a chunk that the new version of an object or part
 * still references is never queued as garbage; conditions are checked by
 * {@link WriteCondition#check}. Calls after {@link #close()} throw StorageFailure.
 */
@SuppressWarnings("try") // lock guards are try-with-resources variables that the body never reads
public final class RocksMetadataStore implements MetadataStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksMetadataStore.class);

    private final Path dir;
    private final RocksHandles h;
    private final SpaceGuard space;
    private final ChunkQueues chunks;
    private final StoreLocks locks = new StoreLocks();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lifecycle
    private final StoreCounters counters;
    private final ClusterTables cluster;
    private final MoveTables moves;
    private final PartTable parts;
    private final CompletedUploadTable completions;
    private final IdentityTable identities;
    /** Iterator seeks and steps taken by listings; lets tests prove that roll-ups seek. */
    final LongAdder listingSteps = new LongAdder();

    private RocksMetadataStore(Path dir, RocksHandles h, Clock clock, Duration gcGrace, long reserveBytes) {
        this.dir = dir;
        this.h = h;
        this.space = new SpaceGuard(dir, reserveBytes, () -> {
            try {
                return h.db.getAggregatedLongProperty("rocksdb.cur-size-all-mem-tables");
            } catch (RocksDBException e) {
                return 0;
            }
        });
        this.chunks = new ChunkQueues(h, clock, gcGrace.toMillis());
        this.counters = new StoreCounters(h);
        this.cluster = new ClusterTables(h);
        this.moves = new MoveTables(h, chunks);
        this.parts = new PartTable(h);
        this.completions = new CompletedUploadTable(h);
        this.identities = new IdentityTable(h);
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
            store.load();
        } catch (RocksDBException | RuntimeException e) {
            h.close();
            if (e instanceof MetadataException me) {
                throw me;
            }
            throw new MetadataException.StorageFailure("cannot open metadata store in " + dir + ": " + e.getMessage(), e);
        }
        LOG.info("Opened metadata store in {}: {} buckets, {} objects", dir, store.stats().buckets(),
                store.stats().objects());
        return store;
    }

    /** Checks the schema version and loads the counters. */
    private void load() throws RocksDBException {
        byte[] schema = h.db.get(h.meta, MetadataSchema.SCHEMA_KEY);
        if (schema == null) {
            h.db.put(h.meta, h.synced, MetadataSchema.SCHEMA_KEY, new byte[] {MetadataSchema.SCHEMA_VERSION});
        } else if (schema.length != 1 || schema[0] != MetadataSchema.SCHEMA_VERSION) {
            throw new MetadataException.StorageFailure("metadata schema version " + (schema.length == 1 ? schema[0] : "?")
                    + " is not supported (this build has " + MetadataSchema.SCHEMA_VERSION + ")", null);
        }
        counters.load();
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
            space.beforeWrite(what);
            T result = body.call();
            space.succeeded(what);
            return result;
        } catch (RocksDBException e) {
            MetadataException.OutOfSpace full = space.translate(e);
            if (full != null) {
                throw full;
            }
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

    private static byte[] requireUploadId(String uploadId) {
        byte[] id = KeyCodec.uploadIdBytes(uploadId);
        if (id == null) {
            throw new MetadataException.NoSuchUpload(uploadId);
        }
        return id;
    }

    private static void check(WriteCondition condition, String bucket, String key, Optional<ObjectRecord> current) {
        if (condition != null) {
            condition.check(bucket, key, current);
        }
    }

    /** Chunks of {@code old} that {@code keep} does not reference. */
    private static Set<ChunkId> unreferenced(List<ChunkRef> old, List<ChunkRef> keep, Set<ChunkId> into) {
        for (ChunkRef c : old) {
            into.add(c.id());
        }
        for (ChunkRef c : keep) {
            into.remove(c.id());
        }
        return into;
    }

    private Optional<ObjectRecord> readObject(byte[] key) throws RocksDBException {
        byte[] v = h.db.get(h.objects, key);
        return v == null ? Optional.empty() : Optional.of(RecordCodec.decodeObject(v));
    }

    // ---- buckets ----

    @Override
    public void createBucket(BucketRecord bucket) {
        run("createBucket", () -> {
            byte[] key = KeyCodec.bucketKey(bucket.name());
            try (var l = locks.bucketExclusive(bucket.name())) {
                byte[] existing = h.db.get(h.buckets, key);
                if (existing != null) {
                    throw new MetadataException.BucketAlreadyExists(RecordCodec.decodeBucket(existing));
                }
                h.db.put(h.buckets, h.synced, key, RecordCodec.encodeBucket(bucket));
                counters.bucketCreated();
            }
            return null;
        });
    }

    @Override
    public Optional<BucketRecord> getBucket(String name) {
        return run("getBucket", () -> {
            byte[] v = h.db.get(h.buckets, KeyCodec.bucketKey(name));
            return v == null ? Optional.empty() : Optional.of(RecordCodec.decodeBucket(v));
        });
    }

    @Override
    public BucketRecord setDefaultStorageClass(String bucket, String storageClass) {
        return run("setDefaultStorageClass", () -> {
            byte[] key = KeyCodec.bucketKey(bucket);
            try (var l = locks.bucketExclusive(bucket)) {
                byte[] existing = h.db.get(h.buckets, key);
                if (existing == null) {
                    throw new MetadataException.NoSuchBucket(bucket);
                }
                BucketRecord updated = RecordCodec.decodeBucket(existing).withDefaultStorageClass(storageClass);
                h.db.put(h.buckets, h.synced, key, RecordCodec.encodeBucket(updated));
                return updated;
            }
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
    public void putBucketConfig(String bucket, String kind, byte[] document) {
        run("putBucketConfig", () -> {
            try (var l = locks.bucketExclusive(bucket)) {
                requireBucket(bucket);
                byte[] key = KeyCodec.bucketConfigKey(bucket, kind);
                if (document == null) {
                    h.db.delete(h.bucketConfigs, h.synced, key);
                } else {
                    h.db.put(h.bucketConfigs, h.synced, key, RecordCodec.encodeBucketConfig(document));
                }
            }
            return null;
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
        return run("listBuckets", () -> {
            List<BucketRecord> out = new ArrayList<>();
            byte[] wanted = KeyCodec.utf8(prefix);
            byte[] from = wanted;
            byte[] after = startAfter == null ? null : KeyCodec.bucketKey(startAfter);
            if (after != null && Arrays.compareUnsigned(after, from) >= 0) {
                from = after;
            }
            try (RocksIterator it = h.db.newIterator(h.buckets)) {
                for (it.seek(from); it.isValid() && out.size() < limit; it.next()) {
                    byte[] k = it.key();
                    if (!KeyCodec.startsWith(k, wanted)) {
                        break;
                    }
                    if (after != null && Arrays.equals(k, after)) {
                        continue;
                    }
                    BucketRecord b = RecordCodec.decodeBucket(it.value());
                    if (region == null || region.equals(b.region())) {
                        out.add(b);
                    }
                }
                it.status();
            }
            return out;
        });
    }

    @Override
    public void deleteBucket(String name) {
        run("deleteBucket", () -> {
            try (var l = locks.bucketExclusive(name)) {
                requireBucket(name);
                byte[] bp = KeyCodec.bucketPrefix(name);
                if (!keysWithPrefix(h.objects, bp, 1).isEmpty()) {
                    throw new MetadataException.BucketNotEmpty(name);
                }
                try (WriteBatch batch = new WriteBatch()) {
                    batch.delete(h.buckets, KeyCodec.bucketKey(name));
                    for (byte[] configKey : keysWithPrefix(h.bucketConfigs, bp, Integer.MAX_VALUE)) {
                        batch.delete(h.bucketConfigs, configKey);
                    }
                    Set<ChunkId> garbage = new LinkedHashSet<>();
                    for (byte[] uploadKey : keysWithPrefix(h.uploads, bp, Integer.MAX_VALUE)) {
                        batch.delete(h.uploads, uploadKey);
                        byte[] uploadId = Arrays.copyOfRange(uploadKey, uploadKey.length - KeyCodec.UPLOAD_ID_LENGTH,
                                uploadKey.length);
                        parts.deleteAll(batch, uploadId, garbage);
                    }
                    chunks.addGarbage(batch, garbage);
                    h.db.write(h.synced, batch);
                }
                counters.bucketDeleted(name);
            }
            return null;
        });
    }

    private List<byte[]> keysWithPrefix(ColumnFamilyHandle cf, byte[] prefix, int limit)
            throws RocksDBException {
        List<byte[]> out = new ArrayList<>();
        byte[] end = KeyCodec.successor(prefix);
        try (Slice bound = end == null ? null : new Slice(end);
             ReadOptions ro = bound == null ? new ReadOptions() : new ReadOptions().setIterateUpperBound(bound);
             RocksIterator it = h.db.newIterator(cf, ro)) {
            for (it.seek(prefix); it.isValid() && out.size() < limit; it.next()) {
                byte[] k = it.key();
                if (!KeyCodec.startsWith(k, prefix)) {
                    break;
                }
                out.add(k);
            }
            it.status();
        }
        return out;
    }

    // ---- objects ----

    @Override
    public Optional<ObjectRecord> getObject(String bucket, String key) {
        return run("getObject", () -> readObject(KeyCodec.objectKey(bucket, key)));
    }

    @Override
    public Optional<ObjectRecord> putObject(String bucket, String key, ObjectRecord object, List<ChunkRecord> newChunks,
                                            WriteCondition condition) {
        Objects.requireNonNull(object, "object");
        return run("putObject", () -> {
            try (var b = locks.bucketShared(bucket)) {
                requireBucket(bucket);
                int stripe = StoreLocks.objectStripe(bucket, key);
                try (var k = locks.key(stripe)) {
                    byte[] objectKey = KeyCodec.objectKey(bucket, key);
                    Optional<ObjectRecord> current = readObject(objectKey);
                    check(condition, bucket, key, current);
                    try (WriteBatch batch = new WriteBatch()) {
                        batch.put(h.objects, objectKey, RecordCodec.encodeObject(object));
                        chunks.commit(batch, newChunks == null ? List.of() : newChunks);
                        if (current.isPresent()) {
                            chunks.addGarbage(batch,
                                    unreferenced(current.get().chunks(), object.chunks(), new LinkedHashSet<>()));
                        }
                        var change = counters.restat(batch, bucket, stripe, current.orElse(null), object);
                        h.db.write(h.synced, batch);
                        counters.apply(change);
                    }
                    return current;
                }
            }
        });
    }

    @Override
    public ObjectRecord setObjectTags(String bucket, String key, java.util.Map<String, String> tags) {
        Objects.requireNonNull(tags, "tags");
        return rewriteObject("setObjectTags", bucket, key, o -> o.withTags(tags));
    }

    @Override
    public ObjectRecord setObjectAcl(String bucket, String key, byte[] acl) {
        return rewriteObject("setObjectAcl", bucket, key, o -> o.withAcl(acl));
    }

    /** Rewrites the current record of bucket/key (its data, chunks and times stay), under its stripe lock. */
    private ObjectRecord rewriteObject(String what, String bucket, String key,
                                       java.util.function.UnaryOperator<ObjectRecord> change) {
        return run(what, () -> {
            try (var b = locks.bucketShared(bucket)) {
                requireBucket(bucket);
                try (var k = locks.key(StoreLocks.objectStripe(bucket, key))) {
                    byte[] objectKey = KeyCodec.objectKey(bucket, key);
                    ObjectRecord updated = readObject(objectKey)
                            .orElseThrow(() -> new MetadataException.NoSuchKey(bucket, key));
                    updated = change.apply(updated);
                    h.db.put(h.objects, h.synced, objectKey, RecordCodec.encodeObject(updated));
                    return updated;
                }
            }
        });
    }

    @Override
    public Optional<ObjectRecord> deleteObject(String bucket, String key, WriteCondition condition) {
        return run("deleteObject", () -> {
            try (var b = locks.bucketShared(bucket)) {
                requireBucket(bucket);
                int stripe = StoreLocks.objectStripe(bucket, key);
                try (var k = locks.key(stripe)) {
                    byte[] objectKey = KeyCodec.objectKey(bucket, key);
                    Optional<ObjectRecord> current = readObject(objectKey);
                    check(condition, bucket, key, current);
                    if (current.isEmpty()) {
                        return current;
                    }
                    try (WriteBatch batch = new WriteBatch()) {
                        batch.delete(h.objects, objectKey);
                        chunks.addGarbage(batch, unreferenced(current.get().chunks(), List.of(), new LinkedHashSet<>()));
                        var change = counters.restat(batch, bucket, stripe, current.get(), null);
                        h.db.write(h.synced, batch);
                        counters.apply(change);
                    }
                    return current;
                }
            }
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
            byte[] prefix = KeyCodec.utf8(query.prefix());
            byte[] delimiter = KeyCodec.utf8(query.delimiter());
            ListingScanner.Start start = ListingScanner.objectStart(prefix, delimiter, query.startAfter());
            ListingScanner.Page page = ListingScanner.scan(h.db, h.objects, KeyCodec.bucketPrefix(bucket),
                    ListingScanner.Layout.RAW, prefix, delimiter, start, query.maxKeys(), listingSteps);
            List<ObjectListing.Entry> contents = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            for (ListingScanner.Item item : page.items()) {
                if (item.commonPrefix()) {
                    prefixes.add(item.key());
                } else {
                    contents.add(new ObjectListing.Entry(item.key(), RecordCodec.decodeObject(item.value())));
                }
            }
            return new ObjectListing(contents, prefixes, page.truncated(), page.lastKey());
        });
    }

    // ---- multipart uploads ----

    @Override
    public void createUpload(UploadRecord upload) {
        byte[] uploadId = KeyCodec.uploadIdBytes(upload.uploadId());
        if (uploadId == null) {
            throw new IllegalArgumentException("upload id must be 32 lowercase hex digits: " + upload.uploadId());
        }
        run("createUpload", () -> {
            try (var b = locks.bucketShared(upload.bucket())) {
                requireBucket(upload.bucket());
                h.db.put(h.uploads, h.synced, KeyCodec.uploadKey(upload.bucket(), upload.key(), uploadId),
                        RecordCodec.encodeUpload(upload));
            }
            return null;
        });
    }

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
    public void putPart(String bucket, String key, String uploadId, PartRecord part, List<ChunkRecord> newChunks) {
        if (part.partNumber() < 1) {
            throw new IllegalArgumentException("part number must be at least 1: " + part.partNumber());
        }
        byte[] id = requireUploadId(uploadId);
        run("putPart", () -> {
            try (var b = locks.bucketShared(bucket)) {
                requireBucket(bucket);
                try (var u = locks.uploadShared(id)) {
                    if (h.db.get(h.uploads, KeyCodec.uploadKey(bucket, key, id)) == null) {
                        throw new MetadataException.NoSuchUpload(uploadId);
                    }
                    try (var p = locks.key(StoreLocks.partStripe(id, part.partNumber()));
                         WriteBatch batch = new WriteBatch()) {
                        PartRecord old = parts.get(id, part.partNumber());
                        parts.put(batch, id, part);
                        chunks.commit(batch, newChunks == null ? List.of() : newChunks);
                        if (old != null) {
                            chunks.addGarbage(batch, unreferenced(old.chunks(), part.chunks(), new LinkedHashSet<>()));
                        }
                        h.db.write(h.synced, batch);
                    }
                }
            }
            return null;
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
            byte[] prefix = KeyCodec.utf8(query.prefix());
            byte[] delimiter = KeyCodec.utf8(query.delimiter());
            ListingScanner.Start start = ListingScanner.uploadStart(prefix, delimiter, query.keyMarker(),
                    query.uploadIdMarker());
            ListingScanner.Page page = ListingScanner.scan(h.db, h.uploads, KeyCodec.bucketPrefix(bucket),
                    ListingScanner.Layout.ESCAPED, prefix, delimiter, start, query.maxUploads(), listingSteps);
            List<UploadRecord> uploads = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            String nextUploadId = null;
            for (ListingScanner.Item item : page.items()) {
                if (item.commonPrefix()) {
                    prefixes.add(item.key());
                    nextUploadId = null;
                } else {
                    UploadRecord u = RecordCodec.decodeUpload(item.value());
                    uploads.add(u);
                    nextUploadId = u.uploadId();
                }
            }
            return new UploadListing(uploads, prefixes, page.truncated(), page.lastKey(), nextUploadId);
        });
    }

    @Override
    public Optional<ObjectRecord> completeUpload(String bucket, String key, String uploadId, List<Integer> chosenParts,
                                                 ObjectRecord object, WriteCondition condition, byte[] partsDigest) {
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(partsDigest, "partsDigest");
        byte[] id = requireUploadId(uploadId);
        return run("completeUpload", () -> {
            try (var b = locks.bucketShared(bucket)) {
                requireBucket(bucket);
                try (var u = locks.uploadExclusive(id)) {
                    byte[] uploadKey = KeyCodec.uploadKey(bucket, key, id);
                    if (h.db.get(h.uploads, uploadKey) == null) {
                        throw new MetadataException.NoSuchUpload(uploadId);
                    }
                    int stripe = StoreLocks.objectStripe(bucket, key);
                    try (var k = locks.key(stripe); WriteBatch batch = new WriteBatch()) {
                        byte[] objectKey = KeyCodec.objectKey(bucket, key);
                        Optional<ObjectRecord> current = readObject(objectKey);
                        check(condition, bucket, key, current);
                        batch.delete(h.uploads, uploadKey);
                        // garbage = chunks of all parts and of the replaced object that the new object
                        // does not reference; as object.chunks() holds exactly the chosen parts' chunks,
                        // that is the unchosen parts' chunks plus the replaced data (chosenParts itself
                        // is only needed to check that the parts still hold those chunks, and a referenced
                        // chunk can never be queued by mistake)
                        Set<ChunkId> garbage = new LinkedHashSet<>();
                        List<PartRecord> removed = parts.deleteAll(batch, id, garbage);
                        PartTable.requireChosenChunks(removed, chosenParts, object.chunks());
                        current.ifPresent(c -> c.chunks().forEach(ref -> garbage.add(ref.id())));
                        object.chunks().forEach(ref -> garbage.remove(ref.id()));
                        batch.put(h.objects, objectKey, RecordCodec.encodeObject(object));
                        chunks.addGarbage(batch, garbage);
                        completions.put(batch, id, new CompletedUpload(bucket, key, uploadId, object.modifiedMillis(),
                                object.size(), object.etag(), object.checksum(), partsDigest));
                        var change = counters.restat(batch, bucket, stripe, current.orElse(null), object);
                        h.db.write(h.synced, batch);
                        counters.apply(change);
                        return current;
                    }
                }
            }
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
    public void writeIdentities(IdentityChange change) {
        run("writeIdentities", () -> {
            identities.write(change);
            return null;
        });
    }

    @Override
    public int forgetCompletedUploads(long completedBeforeMillis, int limit) {
        return run("forgetCompletedUploads", () -> completions.forgetBefore(completedBeforeMillis, limit));
    }

    @Override
    public void abortUpload(String bucket, String key, String uploadId) {
        byte[] id = requireUploadId(uploadId);
        run("abortUpload", () -> {
            try (var b = locks.bucketShared(bucket); var u = locks.uploadExclusive(id)) {
                byte[] uploadKey = KeyCodec.uploadKey(bucket, key, id);
                if (h.db.get(h.uploads, uploadKey) == null) {
                    throw new MetadataException.NoSuchUpload(uploadId);
                }
                try (WriteBatch batch = new WriteBatch()) {
                    batch.delete(h.uploads, uploadKey);
                    Set<ChunkId> garbage = new LinkedHashSet<>();
                    parts.deleteAll(batch, id, garbage);
                    chunks.addGarbage(batch, garbage);
                    h.db.write(h.synced, batch);
                }
            }
            return null;
        });
    }

    // ---- chunks being written, and garbage ----

    @Override
    public void markPending(ChunkRecord planned) {
        run("markPending", () -> {
            chunks.markPending(planned);
            return null;
        });
    }

    @Override
    public void dropPending(List<ChunkId> ids) {
        run("dropPending", () -> {
            chunks.dropPending(ids);
            return null;
        });
    }

    @Override
    public List<ChunkRecord> stalePending(long epochStartMillis, int limit) {
        return run("stalePending", () -> chunks.stalePending(epochStartMillis, limit));
    }

    @Override
    public List<ChunkRecord> dueGarbage(long nowMillis, int limit) {
        return run("dueGarbage", () -> chunks.dueGarbage(nowMillis, limit));
    }

    @Override
    public void forgetChunks(List<ChunkId> ids) {
        run("forgetChunks", () -> {
            chunks.forget(ids);
            return null;
        });
    }

    // ---- cluster map and repairs ----

    @Override
    public List<NodeRecord> listNodes() {
        return run("listNodes", cluster::nodes);
    }

    @Override
    public long putNodes(List<NodeRecord> nodes, boolean mapChanged) {
        return run("putNodes", () -> cluster.put(nodes, mapChanged));
    }

    @Override
    public long clusterMapVersion() {
        return run("clusterMapVersion", cluster::version);
    }

    @Override
    public void recordRepairs(List<RepairRecord> records) {
        run("recordRepairs", () -> {
            cluster.recordRepairs(records);
            return null;
        });
    }

    @Override
    public List<RepairRecord> listRepairs(int limit) {
        return run("listRepairs", () -> cluster.repairs(limit));
    }

    @Override
    public void clearRepairs(List<RepairRecord> records) {
        run("clearRepairs", () -> {
            cluster.clearRepairs(records);
            return null;
        });
    }

    // ---- movers ----

    @Override
    public List<ChunkRecord> scanChunks(ChunkId after, int limit) {
        return run("scanChunks", () -> moves.scan(after, limit));
    }

    @Override
    public boolean updatePieces(ChunkId id, List<PieceLocation> expected, List<PieceLocation> updated,
                                long deleteDueMillis) {
        return run("updatePieces", () -> moves.updatePieces(id, expected, updated, deleteDueMillis));
    }

    @Override
    public Set<ChunkId> pendingAmong(List<ChunkId> ids) {
        return run("pendingAmong", () -> chunks.pendingAmong(ids));
    }

    @Override
    public void recordMoves(List<MoveIntent> intents) {
        run("recordMoves", () -> {
            moves.recordIntents(intents);
            return null;
        });
    }

    @Override
    public List<MoveIntent> listMoves(int limit) {
        return run("listMoves", () -> moves.intents(limit));
    }

    @Override
    public void clearMoves(List<MoveIntent> intents) {
        run("clearMoves", () -> {
            moves.clearIntents(intents);
            return null;
        });
    }

    @Override
    public List<PieceDelete> listPieceDeletes(int limit) {
        return run("listPieceDeletes", () -> moves.deletes(limit));
    }

    @Override
    public void clearPieceDeletes(List<PieceDelete> done) {
        run("clearPieceDeletes", () -> {
            moves.clearDeletes(done);
            return null;
        });
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

    @Override
    public void close() {
        Lock l = lifecycle.writeLock();
        l.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            h.close();
            LOG.info("Closed metadata store in {}", dir);
        } finally {
            l.unlock();
        }
    }
}
