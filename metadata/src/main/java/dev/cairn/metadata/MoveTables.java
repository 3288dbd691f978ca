package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The mover side of the store (see {@link MetadataSchema}): a paged scan of live chunk records,
 * the compare-and-set update of a chunk's piece list, move intents and deferred piece deletes.
 * A commit and the collector's {@code forget} of the same chunk are serialised on the
 * {@link ChunkQueues} instance, so a commit never brings a collected chunk back. Callers handle
 * the store lifecycle and RocksDBException.
 */
final class MoveTables {
    private final RocksHandles h;
    private final ChunkQueues chunks;

    MoveTables(RocksHandles h, ChunkQueues chunks) {
        this.h = h;
        this.chunks = chunks;
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
                List<byte[]> queued = chunks.multiGet(h.gcByChunk, keys);
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
     * live. In the same synced batch: clears the intents whose target {@code updated} now places,
     * queues deletes (due at {@code deleteDueMillis}) of locations {@code updated} dropped, and
     * clears the repair rows of every piece index that changed or had an intent cleared.
     */
    boolean updatePieces(ChunkId id, List<PieceLocation> expected, List<PieceLocation> updated,
                         long deleteDueMillis) throws RocksDBException {
        synchronized (chunks) {
            byte[] key = KeyCodec.chunkKey(id);
            byte[] v = h.db.get(h.chunks, key);
            if (v == null || h.db.get(h.gcByChunk, key) != null) {
                return false;
            }
            ChunkRecord current = RecordCodec.decodeChunk(v);
            if (!new HashSet<>(current.pieces()).equals(new HashSet<>(expected))) {
                return false;
            }
            Set<String> before = placements(expected);
            Set<String> after = placements(updated);
            Set<Integer> touched = new HashSet<>();
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(h.chunks, key, RecordCodec.encodeChunk(
                        new ChunkRecord(id, current.size(), current.protection(), updated)));
                for (PieceLocation l : expected) {
                    if (!after.contains(l.index() + "@" + l.nodeId())) {
                        batch.put(h.pieceDeletes, deleteKey(id, l.index(), l.nodeId()),
                                RecordCodec.encodeMillis(deleteDueMillis));
                        touched.add(l.index());
                    }
                }
                for (PieceLocation l : updated) {
                    if (!before.contains(l.index() + "@" + l.nodeId())) {
                        touched.add(l.index());
                    }
                }
                for (MoveIntent m : intentsOf(id)) {
                    if (after.contains(m.pieceIndex() + "@" + m.toNode())) {
                        batch.delete(h.moves, ClusterTables.repairKey(id, m.pieceIndex()));
                        touched.add(m.pieceIndex());
                    }
                }
                for (int index : touched) {
                    batch.delete(h.repairs, ClusterTables.repairKey(id, index));
                }
                h.db.write(h.synced, batch);
            }
            return true;
        }
    }

    private static Set<String> placements(List<PieceLocation> pieces) {
        Set<String> out = new HashSet<>();
        for (PieceLocation l : pieces) {
            out.add(l.index() + "@" + l.nodeId());
        }
        return out;
    }

    void recordIntents(List<MoveIntent> intents) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (MoveIntent m : intents) {
                batch.put(h.moves, ClusterTables.repairKey(m.chunk(), m.pieceIndex()), RecordCodec.encodeMove(m));
            }
            h.db.write(h.synced, batch);
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

    private List<MoveIntent> intentsOf(ChunkId id) throws RocksDBException {
        List<MoveIntent> out = new ArrayList<>();
        byte[] prefix = KeyCodec.chunkKey(id);
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = h.db.newIterator(h.moves, ro)) {
            for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
                out.add(RecordCodec.decodeMove(id, it.key()[ChunkId.LENGTH] & 0xFF, it.value()));
            }
            it.status();
        }
        return out;
    }

    void clearIntents(List<MoveIntent> intents) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (MoveIntent m : intents) {
                batch.delete(h.moves, ClusterTables.repairKey(m.chunk(), m.pieceIndex()));
            }
            h.db.write(h.synced, batch);
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

    void clearDeletes(List<PieceDelete> done) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (PieceDelete d : done) {
                batch.delete(h.pieceDeletes, deleteKey(d.chunk(), d.pieceIndex(), d.nodeId()));
            }
            h.db.write(h.synced, batch);
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

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
