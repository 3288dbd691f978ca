package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The mover side of the store (see {@link MetadataSchema}): a paged scan of live chunk records,
 * the compare-and-set update of a chunk's piece list, move intents and deferred piece deletes.
 * Apply methods add to a {@link Txn} (commands are applied one after the other, so a commit never
 * brings back a chunk the collector forgot); read methods read the database. Callers handle the
 * store lifecycle and RocksDBException.
 */
final class MoveTables {
    private final RocksHandles h;

    MoveTables(RocksHandles h) {
        this.h = h;
    }

    /** Committed chunks with ids after {@code after} (null: from the first), not queued for GC. */
    List<ChunkRecord> scan(ChunkId after, int limit) throws RocksDBException {
        List<ChunkRecord> out = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = h.db.newIterator(h.chunks, ro)) {
            if (after == null) {
                it.seekToFirst();
            } else {
                it.seek(KeyCodec.chunkKey(after));
                if (it.isValid() && java.util.Arrays.equals(it.key(), KeyCodec.chunkKey(after))) {
                    it.next();
                }
            }
            while (it.isValid() && out.size() < limit) {
                List<ChunkRecord> page = new ArrayList<>();
                List<byte[]> keys = new ArrayList<>();
                for (; it.isValid() && page.size() < limit - out.size(); it.next()) {
                    page.add(RecordCodec.decodeChunk(it.value()));
                    keys.add(it.key());
                }
                List<byte[]> queued = ChunkQueues.multiGet(h, h.gcByChunk, keys);
                for (int i = 0; i < page.size(); i++) {
                    if (queued.get(i) == null) {
                        out.add(page.get(i));
                    }
                }
            }
            it.status();
        }
        return out;
    }

    /**
     * Replaces the chunk's piece list when it still is {@code expected} (as a set) and the chunk is
     * live. In the same batch: clears the intents whose target {@code updated} now places, queues
     * deletes (due at {@code deleteDueMillis}) of locations {@code updated} dropped, and clears the
     * repair rows of every piece index that changed or had an intent cleared.
     */
    boolean updatePieces(Txn t, ClusterCommand.UpdatePieces c) throws RocksDBException {
        ChunkId id = c.chunk();
        byte[] key = KeyCodec.chunkKey(id);
        byte[] v = t.get(h.chunks, key);
        if (v == null || t.exists(h.gcByChunk, key)) {
            return false;
        }
        ChunkRecord current = RecordCodec.decodeChunk(v);
        if (!new HashSet<>(current.pieces()).equals(new HashSet<>(c.expected()))) {
            return false;
        }
        Set<String> before = placements(c.expected());
        Set<String> after = placements(c.updated());
        Set<Integer> touched = new TreeSet<>();
        t.put(h.chunks, key, RecordCodec.encodeChunk(new ChunkRecord(id, current.size(), current.protection(),
                c.updated())));
        for (PieceLocation l : c.expected()) {
            if (!after.contains(l.index() + "@" + l.nodeId())) {
                t.put(h.pieceDeletes, deleteKey(id, l.index(), l.nodeId()), RecordCodec.encodeMillis(c.deleteDueMillis()));
                touched.add(l.index());
            }
        }
        for (PieceLocation l : c.updated()) {
            if (!before.contains(l.index() + "@" + l.nodeId())) {
                touched.add(l.index());
            }
        }
        try (RocksIterator it = t.iterator(h.moves)) {
            for (it.seek(key); it.isValid() && KeyCodec.startsWith(it.key(), key); it.next()) {
                MoveIntent m = RecordCodec.decodeMove(id, it.key()[ChunkId.LENGTH] & 0xFF, it.value());
                if (after.contains(m.pieceIndex() + "@" + m.toNode())) {
                    t.delete(h.moves, ClusterTables.repairKey(id, m.pieceIndex()));
                    touched.add(m.pieceIndex());
                }
            }
            it.status();
        }
        for (int index : touched) {
            t.delete(h.repairs, ClusterTables.repairKey(id, index));
        }
        return true;
    }

    private static Set<String> placements(List<PieceLocation> pieces) {
        Set<String> out = new HashSet<>();
        for (PieceLocation l : pieces) {
            out.add(l.index() + "@" + l.nodeId());
        }
        return out;
    }

    void recordIntents(Txn t, List<MoveIntent> intents) throws RocksDBException {
        for (MoveIntent m : intents) {
            t.put(h.moves, ClusterTables.repairKey(m.chunk(), m.pieceIndex()), RecordCodec.encodeMove(m));
        }
    }

    List<MoveIntent> intents(int limit) throws RocksDBException {
        List<MoveIntent> out = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = h.db.newIterator(h.moves, ro)) {
            for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
                out.add(RecordCodec.decodeMove(chunkOf(it.key()), it.key()[ChunkId.LENGTH] & 0xFF, it.value()));
            }
            it.status();
        }
        return out;
    }

    void clearIntents(Txn t, List<MoveIntent> intents) throws RocksDBException {
        for (MoveIntent m : intents) {
            t.delete(h.moves, ClusterTables.repairKey(m.chunk(), m.pieceIndex()));
        }
    }

    List<PieceDelete> deletes(int limit) throws RocksDBException {
        List<PieceDelete> out = new ArrayList<>();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = h.db.newIterator(h.pieceDeletes, ro)) {
            for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
                byte[] k = it.key();
                String node = KeyCodec.string(java.util.Arrays.copyOfRange(k, ChunkId.LENGTH + 1, k.length));
                out.add(new PieceDelete(chunkOf(k), k[ChunkId.LENGTH] & 0xFF, node,
                        RecordCodec.decodeMillis(it.value())));
            }
            it.status();
        }
        return out;
    }

    void clearDeletes(Txn t, List<PieceDelete> done) throws RocksDBException {
        for (PieceDelete d : done) {
            t.delete(h.pieceDeletes, deleteKey(d.chunk(), d.pieceIndex(), d.nodeId()));
        }
    }

    static byte[] deleteKey(ChunkId chunk, int index, String node) {
        byte[] n = KeyCodec.utf8(node);
        byte[] key = new byte[ChunkId.LENGTH + 1 + n.length];
        System.arraycopy(ClusterTables.repairKey(chunk, index), 0, key, 0, ChunkId.LENGTH + 1);
        System.arraycopy(n, 0, key, ChunkId.LENGTH + 1, n.length);
        return key;
    }

    private static ChunkId chunkOf(byte[] key) {
        return ChunkId.of(java.util.Arrays.copyOf(key, ChunkId.LENGTH));
    }
}
