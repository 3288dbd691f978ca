package dev.cairn.metadata;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster side of the store: the node table with its map version, and the repair table (see
 * {@link MetadataSchema}). Apply methods add to a {@link Txn}; read methods read the database.
 * Callers handle the store lifecycle and RocksDBException.
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

    /** A membership change: stores the records and raises the map version by one. */
    long put(Txn t, List<NodeRecord> records) throws RocksDBException {
        byte[] v = t.get(h.meta, MetadataSchema.MAP_VERSION_KEY);
        long version = (v == null ? 0 : ByteBuffer.wrap(v).getLong()) + 1;
        for (NodeRecord n : records) {
            t.put(h.nodes, KeyCodec.utf8(n.id()), RecordCodec.encodeNode(n));
        }
        t.put(h.meta, MetadataSchema.MAP_VERSION_KEY, KeyCodec.longBytes(version));
        return version;
    }

    void recordRepairs(Txn t, List<RepairRecord> records) throws RocksDBException {
        for (RepairRecord r : records) {
            t.put(h.repairs, repairKey(r.chunk(), r.pieceIndex()), RecordCodec.encodeRepair(r));
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

    void clearRepairs(Txn t, List<RepairRecord> records) throws RocksDBException {
        for (RepairRecord r : records) {
            t.delete(h.repairs, repairKey(r.chunk(), r.pieceIndex()));
        }
    }

    static byte[] repairKey(ChunkId chunk, int pieceIndex) {
        byte[] key = new byte[ChunkId.LENGTH + 1];
        System.arraycopy(chunk.bytes(), 0, key, 0, ChunkId.LENGTH);
        key[ChunkId.LENGTH] = (byte) pieceIndex;
        return key;
    }
}
