package dev.cairn.metadata;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the schema version at open and upgrades older stores in one synced batch (see
 * {@link MetadataSchema}). An upgrade is a function of the stored bytes only, so replicas opening
 * the same state upgrade it the same way. A store written by a newer schema is refused.
 */
final class SchemaUpgrade {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaUpgrade.class);

    private SchemaUpgrade() {
    }

    static void run(RocksHandles h) throws RocksDBException {
        byte[] schema = h.db.get(h.meta, MetadataSchema.SCHEMA_KEY);
        if (schema == null) {
            h.db.put(h.meta, h.synced, MetadataSchema.SCHEMA_KEY, new byte[] {MetadataSchema.SCHEMA_VERSION});
            return;
        }
        int found = schema.length == 1 ? schema[0] : -1;
        if (found == MetadataSchema.SCHEMA_VERSION) {
            return;
        }
        if (found == 1) {
            fromVersion1(h);
            return;
        }
        if (found == 2) {
            fromVersion2(h);
            return;
        }
        throw new MetadataException.StorageFailure("metadata schema version " + (found < 0 ? "?" : found)
                + " is not supported (this build has " + MetadataSchema.SCHEMA_VERSION + ")", null);
    }

    /**
     * Schema 3 adds versioning: the {@code versions} column family (created empty at open) and
     * object values v4 carrying a version. Every object a schema 2 store holds is the null version
     * of its key, which is exactly what its v1-v3 value decodes to, and it stays where it is (in
     * {@code objects}, the current object of its key), so no row needs rewriting: the upgrade
     * records the new schema version.
     */
    private static void fromVersion2(RocksHandles h) throws RocksDBException {
        h.db.put(h.meta, h.synced, MetadataSchema.SCHEMA_KEY, new byte[] {MetadataSchema.SCHEMA_VERSION});
        LOG.info("Upgraded the metadata schema from 2 to {}: existing objects are null versions",
                MetadataSchema.SCHEMA_VERSION);
    }

    /**
     * Schema 1 keyed pending marks by the time they were made ({@code u64 markedMillis, chunkId})
     * and found stale ones by the process start time. Every such mark was made by a process that
     * has since stopped, so it moves to the retired {@link PendingMarks#LEGACY_EPOCH}.
     */
    private static void fromVersion1(RocksHandles h) throws RocksDBException {
        int marks = 0;
        try (WriteBatch batch = new WriteBatch()) {
            try (RocksIterator it = h.db.newIterator(h.pendingByChunk)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    batch.delete(h.pendingByChunk, it.key());
                }
                it.status();
            }
            byte[] at = PendingMarks.encodeAt(PendingMarks.LEGACY_EPOCH);
            try (RocksIterator it = h.db.newIterator(h.pending)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    ChunkId id = KeyCodec.timedChunkId(it.key());
                    batch.delete(h.pending, it.key());
                    batch.put(h.pending, KeyCodec.timedChunkKey(PendingMarks.LEGACY_EPOCH, id), it.value());
                    batch.put(h.pendingByChunk, KeyCodec.chunkKey(id), at);
                    marks++;
                }
                it.status();
            }
            if (marks > 0) {
                batch.put(h.epochs, KeyCodec.longBytes(PendingMarks.LEGACY_EPOCH),
                        PendingMarks.encode(new PendingMarks.EpochRow("schema-1", 0, true)));
            }
            batch.put(h.meta, MetadataSchema.SCHEMA_KEY, new byte[] {MetadataSchema.SCHEMA_VERSION});
            h.db.write(h.synced, batch);
        }
        LOG.info("Upgraded the metadata schema from 1 to {}: {} pending mark(s) of earlier runs are now stale",
                MetadataSchema.SCHEMA_VERSION, marks);
    }
}
