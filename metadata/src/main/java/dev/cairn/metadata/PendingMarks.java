package dev.cairn.metadata;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Chunks being written, and the writer epochs they belong to (see {@link MetadataSchema}: the
 * {@code pending}, {@code pending_by_chunk} and {@code epochs} column families).
 *
 * <p>Design note. A writer (a gateway) opens an epoch when it starts and marks every chunk it is
 * about to write with that epoch; committing the chunk clears the mark. Once an epoch is
 * retired - its holder restarted, or (with several gateways) was declared gone - no write of it
 * can commit any more, so its marks are stale and the collector may delete their pieces. Whether
 * a mark is stale is therefore a fact of the replicated state (the epoch's row), not of one
 * process's start time, and it survives a change of leader. A mark is refused for an epoch that is
 * not open, and a commit of a chunk marked by a retired epoch is refused (its pieces may be going).
 * A retired epoch's row goes once its last mark does.
 */
final class PendingMarks {
    /** Epoch number given to marks written before epochs existed (schema 1); retired at upgrade. */
    static final long LEGACY_EPOCH = 0;
    private static final int OPEN = 0;
    private static final int RETIRED = 1;

    private final RocksHandles h;

    PendingMarks(RocksHandles h) {
        this.h = h;
    }

    /** An epoch row: who holds it, when it opened, whether it is retired. */
    record EpochRow(String holder, long openedMillis, boolean retired) {
    }

    // ---- apply ----

    long openEpoch(Txn t, GarbageCommand.OpenEpoch c) throws RocksDBException {
        byte[] last = t.get(h.meta, MetadataSchema.EPOCH_COUNTER_KEY);
        long epoch = (last == null ? LEGACY_EPOCH : ByteBuffer.wrap(last).getLong()) + 1;
        t.put(h.meta, MetadataSchema.EPOCH_COUNTER_KEY, KeyCodec.longBytes(epoch));
        for (long earlier : openEpochsOf(t, c.holder())) {
            retire(t, earlier);
        }
        t.put(h.epochs, KeyCodec.longBytes(epoch), encode(new EpochRow(c.holder(), c.openedMillis(), false)));
        return epoch;
    }

    void retire(Txn t, long epoch) throws RocksDBException {
        byte[] v = t.get(h.epochs, KeyCodec.longBytes(epoch));
        if (v == null) {
            return;
        }
        EpochRow row = decode(v);
        if (!hasMarks(t, epoch)) {
            t.delete(h.epochs, KeyCodec.longBytes(epoch));
        } else if (!row.retired()) {
            t.put(h.epochs, KeyCodec.longBytes(epoch), encode(new EpochRow(row.holder(), row.openedMillis(), true)));
        }
    }

    private List<Long> openEpochsOf(Txn t, String holder) throws RocksDBException {
        List<Long> out = new ArrayList<>();
        try (RocksIterator it = t.iterator(h.epochs)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                EpochRow row = decode(it.value());
                if (!row.retired() && row.holder().equals(holder)) {
                    out.add(KeyCodec.getLong(it.key(), 0));
                }
            }
            it.status();
        }
        return out;
    }

    void mark(Txn t, GarbageCommand.MarkPending c) throws RocksDBException {
        byte[] row = t.get(h.epochs, KeyCodec.longBytes(c.epoch()));
        if (row == null || decode(row).retired()) {
            throw new MetadataException.Conflict("writer epoch " + c.epoch() + " is not open");
        }
        List<ChunkId> ids = new ArrayList<>(c.planned().size());
        c.planned().forEach(p -> ids.add(p.id()));
        unmark(t, ids);
        byte[] at = encodeAt(c.epoch());
        for (ChunkRecord planned : c.planned()) {
            t.put(h.pending, KeyCodec.timedChunkKey(c.epoch(), planned.id()), RecordCodec.encodeChunk(planned));
            t.put(h.pendingByChunk, KeyCodec.chunkKey(planned.id()), at);
        }
    }

    /**
     * Refuses a commit of chunks that a retired epoch marked: the collector may already be
     * deleting their pieces.
     */
    void requireCommittable(Txn t, Collection<ChunkRecord> chunks) throws RocksDBException {
        Set<Long> checked = new HashSet<>();
        for (ChunkRecord c : chunks) {
            byte[] at = t.get(h.pendingByChunk, KeyCodec.chunkKey(c.id()));
            if (at == null) {
                continue;
            }
            long epoch = decodeAt(at);
            if (checked.add(epoch)) {
                byte[] row = t.get(h.epochs, KeyCodec.longBytes(epoch));
                if (row == null || decode(row).retired()) {
                    throw new MetadataException.Conflict("chunk " + c.id() + " was written by retired epoch " + epoch);
                }
            }
        }
    }

    /** Removes the marks of {@code ids} (those that have one); a retired epoch left without marks goes too. */
    void unmark(Txn t, Collection<ChunkId> ids) throws RocksDBException {
        Set<Long> emptied = new LinkedHashSet<>();
        for (ChunkId id : ids) {
            byte[] at = t.get(h.pendingByChunk, KeyCodec.chunkKey(id));
            if (at != null) {
                long epoch = decodeAt(at);
                t.delete(h.pending, KeyCodec.timedChunkKey(epoch, id));
                t.delete(h.pendingByChunk, KeyCodec.chunkKey(id));
                emptied.add(epoch);
            }
        }
        for (long epoch : emptied) {
            byte[] row = t.get(h.epochs, KeyCodec.longBytes(epoch));
            if (row != null && decode(row).retired() && !hasMarks(t, epoch)) {
                t.delete(h.epochs, KeyCodec.longBytes(epoch));
            }
        }
    }

    private boolean hasMarks(Txn t, long epoch) throws RocksDBException {
        return !t.keysWithPrefix(h.pending, KeyCodec.longBytes(epoch), 1).isEmpty();
    }

    // ---- reads ----

    /** Marks of retired epochs, in (epoch, chunk) order: their writes can never commit. */
    List<ChunkRecord> stale(int limit) throws RocksDBException {
        List<ChunkRecord> out = new ArrayList<>();
        List<byte[]> retired = new ArrayList<>();
        try (RocksIterator it = h.db.newIterator(h.epochs)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (decode(it.value()).retired()) {
                    retired.add(it.key());
                }
            }
            it.status();
        }
        for (byte[] prefix : retired) {
            try (RocksIterator it = h.db.newIterator(h.pending)) {
                for (it.seek(prefix); it.isValid() && out.size() < limit && KeyCodec.startsWith(it.key(), prefix);
                     it.next()) {
                    out.add(RecordCodec.decodeChunk(it.value()));
                }
                it.status();
            }
        }
        return out;
    }

    Set<ChunkId> among(List<ChunkId> ids) throws RocksDBException {
        List<byte[]> keys = new ArrayList<>(ids.size());
        ids.forEach(id -> keys.add(KeyCodec.chunkKey(id)));
        List<byte[]> marks = ChunkQueues.multiGet(h, h.pendingByChunk, keys);
        Set<ChunkId> out = new HashSet<>();
        for (int i = 0; i < ids.size(); i++) {
            if (marks.get(i) != null) {
                out.add(ids.get(i));
            }
        }
        return out;
    }

    /** Every epoch row, by number (for tests and diagnostics). */
    java.util.SortedMap<Long, EpochRow> epochs() throws RocksDBException {
        java.util.SortedMap<Long, EpochRow> out = new java.util.TreeMap<>();
        try (RocksIterator it = h.db.newIterator(h.epochs)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.put(KeyCodec.getLong(it.key(), 0), decode(it.value()));
            }
            it.status();
        }
        return out;
    }

    // ---- values ----

    static byte[] encode(EpochRow row) {
        return new ByteWriter(32).u8(MetadataSchema.EPOCH_V1)
                .string(row.holder()).varLong(row.openedMillis()).u8(row.retired() ? RETIRED : OPEN)
                .toByteArray();
    }

    static EpochRow decode(byte[] v) {
        return RecordCodec.decode("epoch", v, MetadataSchema.EPOCH_V1, r -> {
            String holder = r.string();
            long opened = r.varLong();
            int state = r.u8();
            if (state != OPEN && state != RETIRED) {
                throw new IllegalStateException("unknown epoch state " + state);
            }
            return new EpochRow(holder, opened, state == RETIRED);
        });
    }

    /** The value of {@code pending_by_chunk}: the mark's epoch, i.e. where its {@code pending} entry is. */
    static byte[] encodeAt(long epoch) {
        return new ByteWriter(10).u8(MetadataSchema.MARK_V2).varLong(epoch).toByteArray();
    }

    static long decodeAt(byte[] v) {
        return RecordCodec.decode("pending mark", v, MetadataSchema.MARK_V2, ByteReader::varLong);
    }
}
