package dev.cairn.metadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksObject;
import org.rocksdb.SstFileManager;
import org.rocksdb.WriteOptions;

/**
 * The open RocksDB instance with its column family handles, write options and every native
 * object they depend on; {@link #close()} releases all of them, handles before the database and
 * the database before its options.
 */
final class RocksHandles implements AutoCloseable {
    private static final long BLOCK_CACHE_BYTES = 64L << 20;
    private static final long CF_WRITE_BUFFER_BYTES = 16L << 20;
    private static final long TOTAL_WRITE_BUFFER_BYTES = 64L << 20;
    private static final long MAX_TOTAL_WAL_BYTES = 128L << 20;

    static {
        RocksDB.loadLibrary();
    }

    final RocksDB db;
    final ColumnFamilyHandle meta;
    final ColumnFamilyHandle buckets;
    final ColumnFamilyHandle objects;
    final ColumnFamilyHandle uploads;
    final ColumnFamilyHandle parts;
    final ColumnFamilyHandle chunks;
    final ColumnFamilyHandle pending;
    final ColumnFamilyHandle pendingByChunk;
    final ColumnFamilyHandle gc;
    final ColumnFamilyHandle gcByChunk;
    final ColumnFamilyHandle stats;
    final ColumnFamilyHandle nodes;
    final ColumnFamilyHandle repairs;
    final ColumnFamilyHandle bucketConfigs;
    final ColumnFamilyHandle bucketStats;
    final ColumnFamilyHandle moves;
    final ColumnFamilyHandle pieceDeletes;
    final ColumnFamilyHandle epochs;
    final ColumnFamilyHandle completedUploads;
    final ColumnFamilyHandle completedByTime;
    final ColumnFamilyHandle identities;
    final ColumnFamilyHandle versions;
    final ColumnFamilyHandle keyring;
    /** For writes that acknowledge a client: synced unless the store was opened for tests without sync. */
    final WriteOptions synced;
    /** For groups of commands that are all bookkeeping a crash may lose (pending marks, forgotten garbage). */
    final WriteOptions unsynced;

    /** Native objects other than the db and its handles, closed in reverse creation order. */
    private final Deque<RocksObject> owned;
    private final List<ColumnFamilyHandle> handles;

    private RocksHandles(RocksDB db, List<ColumnFamilyHandle> handles, Deque<RocksObject> owned, boolean sync) {
        this.db = db;
        this.handles = handles;
        this.owned = owned;
        meta = handle(MetadataSchema.DEFAULT);
        buckets = handle(MetadataSchema.BUCKETS);
        objects = handle(MetadataSchema.OBJECTS);
        uploads = handle(MetadataSchema.UPLOADS);
        parts = handle(MetadataSchema.PARTS);
        chunks = handle(MetadataSchema.CHUNKS);
        pending = handle(MetadataSchema.PENDING);
        pendingByChunk = handle(MetadataSchema.PENDING_BY_CHUNK);
        gc = handle(MetadataSchema.GC);
        gcByChunk = handle(MetadataSchema.GC_BY_CHUNK);
        stats = handle(MetadataSchema.STATS);
        nodes = handle(MetadataSchema.NODES);
        repairs = handle(MetadataSchema.REPAIRS);
        bucketConfigs = handle(MetadataSchema.BUCKET_CONFIGS);
        bucketStats = handle(MetadataSchema.BUCKET_STATS);
        moves = handle(MetadataSchema.MOVES);
        pieceDeletes = handle(MetadataSchema.PIECE_DELETES);
        epochs = handle(MetadataSchema.EPOCHS);
        completedUploads = handle(MetadataSchema.COMPLETED_UPLOADS);
        completedByTime = handle(MetadataSchema.COMPLETED_BY_TIME);
        identities = handle(MetadataSchema.IDENTITIES);
        versions = handle(MetadataSchema.VERSIONS);
        keyring = handle(MetadataSchema.KEYRING);
        synced = own(new WriteOptions().setSync(sync));
        unsynced = own(new WriteOptions().setSync(false));
    }

    ColumnFamilyHandle handle(String name) {
        return handles.get(MetadataSchema.COLUMN_FAMILIES.indexOf(name));
    }

    private <T extends RocksObject> T own(T o) {
        owned.push(o);
        return o;
    }

    static RocksHandles open(Path dir, boolean sync) throws RocksDBException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new MetadataException.StorageFailure("cannot create " + dir, e);
        }
        Deque<RocksObject> owned = new ArrayDeque<>();
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try {
            LRUCache cache = push(owned, new LRUCache(BLOCK_CACHE_BYTES));
            BloomFilter bloom = push(owned, new BloomFilter(10, false));
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String name : MetadataSchema.COLUMN_FAMILIES) {
                BlockBasedTableConfig table = new BlockBasedTableConfig()
                        .setBlockCache(cache)
                        .setCacheIndexAndFilterBlocks(true)
                        .setPinL0FilterAndIndexBlocksInCache(true);
                if (MetadataSchema.POINT_LOOKUP.contains(name)) {
                    table.setFilterPolicy(bloom);
                }
                ColumnFamilyOptions cfo = push(owned, new ColumnFamilyOptions()
                        .setCompressionType(CompressionType.LZ4_COMPRESSION)
                        .setWriteBufferSize(CF_WRITE_BUFFER_BYTES)
                        .setTableFormatConfig(table));
                descriptors.add(new ColumnFamilyDescriptor(KeyCodec.utf8(name), cfo));
            }
            // with an SstFileManager RocksDB resumes writing by itself once space is freed after ENOSPC
            SstFileManager files = push(owned, new SstFileManager(Env.getDefault()));
            DBOptions dbo = push(owned, new DBOptions()
                    .setSstFileManager(files)
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(2)
                    .setDbWriteBufferSize(TOTAL_WRITE_BUFFER_BYTES)
                    .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
                    .setKeepLogFileNum(5)
                    .setMaxLogFileSize(16L << 20));
            RocksDB db = RocksDB.open(dbo, dir.toString(), descriptors, handles);
            return new RocksHandles(db, handles, owned, sync);
        } catch (RocksDBException | RuntimeException e) {
            handles.forEach(ColumnFamilyHandle::close);
            owned.forEach(RocksObject::close);
            throw e;
        }
    }

    private static <T extends RocksObject> T push(Deque<RocksObject> owned, T o) {
        owned.push(o);
        return o;
    }

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        while (!owned.isEmpty()) {
            owned.pop().close();
        }
    }
}
