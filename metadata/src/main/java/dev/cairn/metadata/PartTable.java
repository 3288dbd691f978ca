package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The {@code parts} column family of multipart uploads (see {@link MetadataSchema}): reading an
 * upload's parts in number order, and adding their writes and removals to a command's
 * {@link Txn}. Callers handle RocksDBException.
 */
final class PartTable {
    private final RocksHandles h;

    PartTable(RocksHandles h) {
        this.h = h;
    }

    /** The stored part of that number, or null (as the command group sees it). */
    PartRecord get(Txn t, byte[] uploadId, int partNumber) throws RocksDBException {
        byte[] v = t.get(h.parts, KeyCodec.partKey(uploadId, partNumber));
        return v == null ? null : RecordCodec.decodePart(v);
    }

    void put(Txn t, byte[] uploadId, PartRecord part) throws RocksDBException {
        t.put(h.parts, KeyCodec.partKey(uploadId, part.partNumber()), RecordCodec.encodePart(part));
    }

    /** Up to {@code limit} parts numbered {@code firstPart} or more, in number order. */
    List<PartRecord> list(byte[] uploadId, int firstPart, long limit) throws RocksDBException {
        byte[] end = KeyCodec.successor(uploadId);
        try (Slice bound = end == null ? null : new Slice(end);
             ReadOptions ro = bound == null ? new ReadOptions() : new ReadOptions().setIterateUpperBound(bound);
             RocksIterator it = h.db.newIterator(h.parts, ro)) {
            return list(it, uploadId, firstPart, limit);
        }
    }

    private static List<PartRecord> list(RocksIterator it, byte[] uploadId, int firstPart, long limit)
            throws RocksDBException {
        List<PartRecord> out = new ArrayList<>();
        for (it.seek(KeyCodec.partKey(uploadId, firstPart)); it.isValid() && out.size() < limit; it.next()) {
            if (!KeyCodec.startsWith(it.key(), uploadId)) {
                break;
            }
            out.add(RecordCodec.decodePart(it.value()));
        }
        it.status();
        return out;
    }

    /** Removes all parts of an upload; collects their chunks into {@code garbage}. */
    List<PartRecord> deleteAll(Txn t, byte[] uploadId, Set<ChunkId> garbage) throws RocksDBException {
        List<PartRecord> parts;
        try (RocksIterator it = t.iterator(h.parts)) {
            parts = list(it, uploadId, 1, Long.MAX_VALUE);
        }
        for (PartRecord p : parts) {
            t.delete(h.parts, KeyCodec.partKey(uploadId, p.partNumber()));
            p.chunks().forEach(c -> garbage.add(c.id()));
        }
        return parts;
    }

    /**
     * The object was planned from a read of the parts made before the completion was applied; a
     * part uploaded again since then has other chunks (the planned ones are already queued as
     * garbage), so the completion must not go ahead.
     */
    static void requireChosenChunks(List<PartRecord> parts, List<Integer> chosen, List<ChunkRef> planned) {
        Map<Integer, PartRecord> byNumber = new HashMap<>();
        parts.forEach(p -> byNumber.put(p.partNumber(), p));
        List<ChunkRef> actual = new ArrayList<>();
        for (int n : chosen) {
            PartRecord p = byNumber.get(n);
            if (p == null) {
                throw new MetadataException.Conflict("part " + n + " disappeared during completion");
            }
            actual.addAll(p.chunks());
        }
        if (!actual.equals(planned)) {
            throw new MetadataException.Conflict("a part was uploaded again during completion");
        }
    }
}
