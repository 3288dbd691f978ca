package dev.cairn.metadata;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster side of the store: the node table with its map version, and the repair table (see
 * {@link MetadataSchema}). Writers are serialised on this object: membership changes are rare and
 * the version must increase by one per change. Callers handle the store lifecycle and
 * RocksDBException.
 */
final class ClusterTables {
    private final RocksHandles h;

    ClusterTables(RocksHandles h) {
        this.h = h;
    }

    List<NodeRecord> nodes() throws RocksDBException {
        List<NodeRecord> out = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = h.db.newIterator(h.nodes, ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(RecordCodec.decodeNode(it.value()));
            }
            it.status();
        }
        return out;
    }

    long version() throws RocksDBException {
        byte[] v = h.db.get(h.meta, MetadataSchema.MAP_VERSION_KEY);
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    /** Writes the records in one batch; with {@code mapChanged} the version goes up by one (synced). */
    synchronized long put(List<NodeRecord> records, boolean mapChanged) throws RocksDBException {
        long version = version();
        try (WriteBatch batch = new WriteBatch()) {
            for (NodeRecord n : records) {
                batch.put(h.nodes, KeyCodec.utf8(n.id()), RecordCodec.encodeNode(n));
            }
            if (mapChanged) {
                version++;
                batch.put(h.meta, MetadataSchema.MAP_VERSION_KEY, ByteBuffer.allocate(8).putLong(version).array());
            }
            h.db.write(mapChanged ? h.synced : h.unsynced, batch);
        }
        return version;
    }

    void recordRepairs(List<RepairRecord> records) throws RocksDBException {
        if (records.isEmpty()) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (RepairRecord r : records) {
                batch.put(h.repairs, repairKey(r.chunk(), r.pieceIndex()), RecordCodec.encodeRepair(r));
            }
            h.db.write(h.synced, batch);
        }
    }

    List<RepairRecord> repairs(int limit) throws RocksDBException {
        List<RepairRecord> out = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = h.db.newIterator(h.repairs, ro)) {
            for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
                byte[] key = it.key();
                byte[] id = new byte[ChunkId.LENGTH];
                System.arraycopy(key, 0, id, 0, ChunkId.LENGTH);
                out.add(RecordCodec.decodeRepair(ChunkId.of(id), key[ChunkId.LENGTH] & 0xFF, it.value()));
            }
            it.status();
        }
        return out;
    }

    void clearRepairs(List<RepairRecord> records) throws RocksDBException {
        if (records.isEmpty()) {
            return;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (RepairRecord r : records) {
                batch.delete(h.repairs, repairKey(r.chunk(), r.pieceIndex()));
            }
            h.db.write(h.synced, batch);
        }
    }

    static byte[] repairKey(ChunkId chunk, int pieceIndex) {
        byte[] key = new byte[ChunkId.LENGTH + 1];
        System.arraycopy(chunk.bytes(), 0, key, 0, ChunkId.LENGTH);
        key[ChunkId.LENGTH] = (byte) pieceIndex;
        return key;
    }
}
