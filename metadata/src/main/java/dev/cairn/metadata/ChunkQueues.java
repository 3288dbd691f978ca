package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The chunk side of the store: chunk records and the garbage queue (chunks waiting for their
 * grace period) with its by-chunk index (see {@link MetadataSchema}); pending marks are
 * {@link PendingMarks}. Apply methods add to a {@link Txn}; read methods read the database.
 * Callers handle the store lifecycle and RocksDBException.
 */
final class ChunkQueues {
    private static final byte[] EMPTY = new byte[0];

    private final RocksHandles h;
    private final PendingMarks pending;

    ChunkQueues(RocksHandles h, PendingMarks pending) {
        this.h = h;
        this.pending = pending;
    }

    static List<byte[]> multiGet(RocksHandles h, ColumnFamilyHandle cf, List<byte[]> keys) throws RocksDBException {
        if (keys.isEmpty()) {
            return List.of();
        }
        if (keys.size() == 1) {
            return Collections.singletonList(h.db.get(cf, keys.get(0)));
        }
        return h.db.multiGetAsList(Collections.nCopies(keys.size(), cf), keys);
    }

    private static List<byte[]> keys(Collection<ChunkId> ids) {
        List<byte[]> keys = new ArrayList<>(ids.size());
        for (ChunkId id : ids) {
            keys.add(KeyCodec.chunkKey(id));
        }
        return keys;
    }

    // ---- apply ----

    /** The records of newly committed chunks, and the removal of their pending marks. */
    void commit(Txn t, List<ChunkRecord> chunks) throws RocksDBException {
        if (chunks.isEmpty()) {
            return;
        }
        pending.requireCommittable(t, chunks);
        List<ChunkId> ids = new ArrayList<>(chunks.size());
        for (ChunkRecord c : chunks) {
            t.put(h.chunks, KeyCodec.chunkKey(c.id()), RecordCodec.encodeChunk(c));
            ids.add(c.id());
        }
        pending.unmark(t, ids);
    }

    /**
     * Garbage-queue entries for {@code ids}, due at {@code dueMillis}. A chunk already queued keeps
     * one entry: the earlier one is replaced.
     */
    void addGarbage(Txn t, Collection<ChunkId> ids, long dueMillis) throws RocksDBException {
        if (ids.isEmpty()) {
            return;
        }
        byte[] dueValue = RecordCodec.encodeMillis(dueMillis);
        for (ChunkId id : ids) {
            byte[] key = KeyCodec.chunkKey(id);
            byte[] earlier = t.get(h.gcByChunk, key);
            if (earlier != null) {
                t.delete(h.gc, KeyCodec.timedChunkKey(RecordCodec.decodeMillis(earlier), id));
            }
            t.put(h.gc, KeyCodec.timedChunkKey(dueMillis, id), EMPTY);
            t.put(h.gcByChunk, key, dueValue);
        }
    }

    /** Forgets collected chunks: their queue entries, pending marks and records. */
    void forget(Txn t, List<ChunkId> ids) throws RocksDBException {
        for (ChunkId id : ids) {
            byte[] key = KeyCodec.chunkKey(id);
            byte[] due = t.get(h.gcByChunk, key);
            if (due != null) {
                t.delete(h.gc, KeyCodec.timedChunkKey(RecordCodec.decodeMillis(due), id));
                t.delete(h.gcByChunk, key);
            }
            t.delete(h.chunks, key);
        }
        pending.unmark(t, ids);
    }

    /** Removes queue entries whose chunk record is gone, and their index rows when they point at them. */
    void clearEntries(Txn t, List<GarbageEntry> entries) throws RocksDBException {
        for (GarbageEntry e : entries) {
            byte[] key = KeyCodec.chunkKey(e.chunk());
            if (t.exists(h.chunks, key)) {
                continue; // collectable after all: leave it to forget
            }
            t.delete(h.gc, KeyCodec.timedChunkKey(e.dueMillis(), e.chunk()));
            byte[] due = t.get(h.gcByChunk, key);
            if (due != null && RecordCodec.decodeMillis(due) == e.dueMillis()) {
                t.delete(h.gcByChunk, key);
            }
        }
    }

    // ---- reads ----

    List<Optional<ChunkRecord>> get(List<ChunkId> ids) throws RocksDBException {
        List<byte[]> values = multiGet(h, h.chunks, keys(ids));
        List<Optional<ChunkRecord>> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(v == null ? Optional.empty() : Optional.of(RecordCodec.decodeChunk(v)));
        }
        return out;
    }

    /**
     * Due garbage, oldest first, with the stray entries met on the way: entries whose chunk record
     * is missing (which the store never writes), skipped so they cannot clog the head of the queue.
     */
    GarbagePage dueGarbage(long nowMillis, int limit) throws RocksDBException {
        List<ChunkRecord> out = new ArrayList<>();
        List<GarbageEntry> stray = new ArrayList<>();
        if (limit <= 0) {
            return new GarbagePage(out, stray);
        }
        byte[] end = KeyCodec.successor(KeyCodec.longBytes(nowMillis)); // null: no end
        try (Slice bound = end == null ? null : new Slice(end);
             ReadOptions ro = bound == null ? new ReadOptions() : new ReadOptions().setIterateUpperBound(bound);
             RocksIterator it = h.db.newIterator(h.gc, ro)) {
            it.seekToFirst();
            while (it.isValid() && out.size() < limit) {
                List<GarbageEntry> entries = new ArrayList<>();
                for (; it.isValid() && entries.size() < limit - out.size(); it.next()) {
                    byte[] k = it.key();
                    if (Long.compareUnsigned(KeyCodec.timedChunkMillis(k), nowMillis) > 0) {
                        break;
                    }
                    entries.add(new GarbageEntry(KeyCodec.timedChunkMillis(k), KeyCodec.timedChunkId(k)));
                }
                if (entries.isEmpty()) {
                    break;
                }
                List<Optional<ChunkRecord>> records = get(entries.stream().map(GarbageEntry::chunk).toList());
                for (int i = 0; i < entries.size(); i++) {
                    if (records.get(i).isPresent()) {
                        out.add(records.get(i).get());
                    } else {
                        stray.add(entries.get(i));
                    }
                }
            }
            it.status();
        }
        return new GarbagePage(out, stray);
    }
}
