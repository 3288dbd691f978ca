package dev.cairn.metadata;

import java.time.Clock;
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
import org.rocksdb.WriteBatch;

/**
 * The chunk side of the store: chunk records, the pending queue (chunks being written) and the
 * garbage queue (chunks waiting for their grace period), each queue with its by-chunk index (see
 * {@link MetadataSchema}). Methods that take a WriteBatch only add to it; the caller commits.
 * Callers handle locking, the store lifecycle and RocksDBException.
 */
final class ChunkQueues {
    private static final byte[] EMPTY = new byte[0];

    private final RocksHandles h;
    private final Clock clock;
    private final long graceMillis;

    ChunkQueues(RocksHandles h, Clock clock, long graceMillis) {
        this.h = h;
        this.clock = clock;
        this.graceMillis = graceMillis;
    }

    List<byte[]> multiGet(ColumnFamilyHandle cf, List<byte[]> keys) throws RocksDBException {
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

    List<Optional<ChunkRecord>> get(List<ChunkId> ids) throws RocksDBException {
        List<byte[]> values = multiGet(h.chunks, keys(ids));
        List<Optional<ChunkRecord>> out = new ArrayList<>(values.size());
        for (byte[] v : values) {
            out.add(v == null ? Optional.empty() : Optional.of(RecordCodec.decodeChunk(v)));
        }
        return out;
    }

    /** Adds to {@code batch}: the records of newly committed chunks, and the removal of their pending marks. */
    void commit(WriteBatch batch, List<ChunkRecord> chunks) throws RocksDBException {
        if (chunks.isEmpty()) {
            return;
        }
        List<ChunkId> ids = new ArrayList<>(chunks.size());
        for (ChunkRecord c : chunks) {
            batch.put(h.chunks, KeyCodec.chunkKey(c.id()), RecordCodec.encodeChunk(c));
            ids.add(c.id());
        }
        unmark(batch, ids);
    }

    /** Adds to {@code batch}: garbage-queue entries for {@code ids}, due after the grace period from now. */
    void addGarbage(WriteBatch batch, Collection<ChunkId> ids) throws RocksDBException {
        if (ids.isEmpty()) {
            return;
        }
        long due = clock.millis() + graceMillis;
        byte[] dueValue = RecordCodec.encodeMillis(due);
        for (ChunkId id : ids) {
            batch.put(h.gc, KeyCodec.timedChunkKey(due, id), EMPTY);
            batch.put(h.gcByChunk, KeyCodec.chunkKey(id), dueValue);
        }
    }

    /** Adds to {@code batch} the removal of the pending marks of {@code ids} (those that have one). */
    private void unmark(WriteBatch batch, List<ChunkId> ids) throws RocksDBException {
        List<byte[]> marks = multiGet(h.pendingByChunk, keys(ids));
        for (int i = 0; i < ids.size(); i++) {
            if (marks.get(i) != null) {
                ChunkId id = ids.get(i);
                batch.delete(h.pending, KeyCodec.timedChunkKey(RecordCodec.decodeMillis(marks.get(i)), id));
                batch.delete(h.pendingByChunk, KeyCodec.chunkKey(id));
            }
        }
    }

    java.util.Set<ChunkId> pendingAmong(List<ChunkId> ids) throws RocksDBException {
        List<byte[]> marks = multiGet(h.pendingByChunk, keys(ids));
        java.util.Set<ChunkId> out = new java.util.HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (marks.get(i) != null) {
                out.add(ids.get(i));
            }
        }
        return out;
    }

    void markPending(ChunkRecord planned) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            unmark(batch, List.of(planned.id()));
            long now = clock.millis();
            batch.put(h.pending, KeyCodec.timedChunkKey(now, planned.id()), RecordCodec.encodeChunk(planned));
            batch.put(h.pendingByChunk, KeyCodec.chunkKey(planned.id()), RecordCodec.encodeMillis(now));
            h.db.write(h.unsynced, batch);
        }
    }

    void dropPending(List<ChunkId> ids) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            unmark(batch, ids);
            if (batch.count() > 0) {
                h.db.write(h.unsynced, batch);
            }
        }
    }

    List<ChunkRecord> stalePending(long epochStartMillis, int limit) throws RocksDBException {
        List<ChunkRecord> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        try (Slice bound = new Slice(KeyCodec.longBytes(epochStartMillis));
             ReadOptions ro = new ReadOptions().setIterateUpperBound(bound);
             RocksIterator it = h.db.newIterator(h.pending, ro)) {
            for (it.seekToFirst(); it.isValid() && out.size() < limit; it.next()) {
                if (KeyCodec.timedChunkMillis(it.key()) >= epochStartMillis) {
                    break;
                }
                out.add(RecordCodec.decodeChunk(it.value()));
            }
            it.status();
        }
        return out;
    }

    /**
     * Due garbage, oldest first. A queue entry whose chunk record is missing (which the store never
     * writes) is skipped and removed, so it cannot clog the head of the queue.
     */
    List<ChunkRecord> dueGarbage(long nowMillis, int limit) throws RocksDBException {
        List<ChunkRecord> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        List<ChunkId> orphans = new ArrayList<>();
        List<byte[]> orphanKeys = new ArrayList<>();
        byte[] end = KeyCodec.successor(KeyCodec.longBytes(nowMillis)); // null: no end
        try (Slice bound = end == null ? null : new Slice(end);
             ReadOptions ro = bound == null ? new ReadOptions() : new ReadOptions().setIterateUpperBound(bound);
             RocksIterator it = h.db.newIterator(h.gc, ro)) {
            it.seekToFirst();
            while (it.isValid() && out.size() < limit) {
                List<ChunkId> ids = new ArrayList<>();
                List<byte[]> gcKeys = new ArrayList<>();
                for (; it.isValid() && ids.size() < limit - out.size(); it.next()) {
                    byte[] k = it.key();
                    if (Long.compareUnsigned(KeyCodec.timedChunkMillis(k), nowMillis) > 0) {
                        break;
                    }
                    ids.add(KeyCodec.timedChunkId(k));
                    gcKeys.add(k);
                }
                if (ids.isEmpty()) {
                    break;
                }
                List<Optional<ChunkRecord>> records = get(ids);
                for (int i = 0; i < ids.size(); i++) {
                    if (records.get(i).isPresent()) {
                        out.add(records.get(i).get());
                    } else {
                        orphans.add(ids.get(i));
                        orphanKeys.add(gcKeys.get(i));
                    }
                }
            }
            it.status();
        }
        if (!orphans.isEmpty()) {
            removeOrphans(orphans, orphanKeys);
        }
        return out;
    }

    private void removeOrphans(List<ChunkId> ids, List<byte[]> gcKeys) throws RocksDBException {
        List<byte[]> dues = multiGet(h.gcByChunk, keys(ids));
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < ids.size(); i++) {
                batch.delete(h.gc, gcKeys.get(i));
                byte[] k = KeyCodec.chunkKey(ids.get(i));
                // the index entry belongs to this queue entry only if it points at it
                if (dues.get(i) != null
                        && RecordCodec.decodeMillis(dues.get(i)) == KeyCodec.timedChunkMillis(gcKeys.get(i))) {
                    batch.delete(h.gcByChunk, k);
                }
            }
            h.db.write(h.unsynced, batch);
        }
    }

    /** Synchronized: a mover's commit of the same chunk ({@link MoveTables}) must not race it. */
    synchronized void forget(List<ChunkId> ids) throws RocksDBException {
        if (ids.isEmpty()) {
            return;
        }
        List<byte[]> keys = keys(ids);
        List<byte[]> dues = multiGet(h.gcByChunk, keys);
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < ids.size(); i++) {
                if (dues.get(i) != null) {
                    batch.delete(h.gc, KeyCodec.timedChunkKey(RecordCodec.decodeMillis(dues.get(i)), ids.get(i)));
                    batch.delete(h.gcByChunk, keys.get(i));
                }
                batch.delete(h.chunks, keys.get(i));
            }
            unmark(batch, ids);
            h.db.write(h.unsynced, batch);
        }
    }
}
