package dev.cairn.s3.data;

import dev.cairn.chunkstore.PieceRange;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.placement.storage.ChunkReader;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Reads ranges of one object's original bytes, chunk by chunk. A chunk stored as its original
 * bytes is read in the range asked for; a transformed chunk (compressed, encrypted) is read
 * whole and decoded by the object's {@link ChunkCodec} on the worker pool, and the last
 * {@link #KEEP} decoded chunks are kept so consecutive ranges of one chunk decode it once
 * ({@link #readAhead} decodes the next chunk while the current one is sent). An erasure-coded
 * chunk missing a data piece is read whole (and kept) the same way when the caller's range
 * covers more than one segment and more than one piece's worth of it.
 * Only the chunks a range touches are read.
 */
public final class ObjectChunks {
    private static final int KEEP = 2;
    private final ObjectRecord object;
    private final ChunkReader reader;
    private final ChunkCodec codec;
    private final Executor pool;
    private final ChunkPositions positions;
    private final Map<Integer, CompletableFuture<ByteBuffer>> decoded = new LinkedHashMap<>();
    /** The object bytes [rangeStart, rangeEnd) the caller reads (the range decides when a degraded chunk is read whole). */
    private final long rangeStart;
    private final long rangeEnd;
    private long[] chunkStarts; // guarded by decoded; computed when a degraded chunk needs it

    /** For a caller that may read any of the object. */
    public ObjectChunks(ObjectRecord object, ChunkReader reader, ChunkCodec codec, Executor pool) {
        this(object, reader, codec, pool, 0, Long.MAX_VALUE);
    }

    /** For a caller that reads the object's bytes [rangeStart, rangeStart + rangeLength), a GET. */
    public ObjectChunks(ObjectRecord object, ChunkReader reader, ChunkCodec codec, Executor pool,
                        long rangeStart, long rangeLength) {
        this.object = object;
        this.reader = reader;
        this.codec = codec;
        this.pool = pool;
        this.positions = ChunkPositions.of(object);
        this.rangeStart = rangeStart;
        this.rangeEnd = rangeLength > Long.MAX_VALUE - rangeStart ? Long.MAX_VALUE : rangeStart + rangeLength;
    }

    /** Bytes [offset, offset + length) of chunk {@code chunkIndex}'s original bytes. */
    public CompletableFuture<ByteBuffer> read(int chunkIndex, ChunkRecord record, long offset, int length) {
        long logical = object.chunks().get(chunkIndex).size();
        if (!wholeChunk(chunkIndex, record, logical)) {
            return reader.read(record, offset, length);
        }
        return decoded(chunkIndex, record, logical).thenApply(all ->
                all.duplicate().position((int) offset).limit((int) offset + length).slice());
    }

    /**
     * Fills {@code dst} (its remaining bytes, its position unchanged) with the original bytes of
     * chunk {@code chunkIndex} from {@code offset}: straight from the pieces when the chunk is
     * stored as its original bytes, else from the decoded chunk.
     */
    public CompletableFuture<Void> readInto(int chunkIndex, ChunkRecord record, long offset, ByteBuffer dst) {
        long logical = object.chunks().get(chunkIndex).size();
        if (!wholeChunk(chunkIndex, record, logical)) {
            return reader.readInto(record, offset, dst);
        }
        int length = dst.remaining();
        ByteBuffer target = dst.duplicate();
        return decoded(chunkIndex, record, logical).thenAccept(all ->
                target.put(all.duplicate().position((int) offset).limit((int) offset + length)));
    }

    /**
     * As {@link #readInto}, except that a chunk stored as its original bytes in a local piece
     * file gives the range as an open, verified {@link PieceRange} to send without a copy
     * ({@code dst} untouched; the caller closes it); null when the bytes went into {@code dst}.
     */
    public CompletableFuture<PieceRange> openOrReadInto(int chunkIndex, ChunkRecord record, long offset,
                                                        ByteBuffer dst) {
        long logical = object.chunks().get(chunkIndex).size();
        if (!wholeChunk(chunkIndex, record, logical)) {
            return reader.openOrReadInto(record, offset, dst);
        }
        return readInto(chunkIndex, record, offset, dst).thenApply(v -> null);
    }

    /**
     * Starts reading and decoding chunk {@code chunkIndex} ahead of its first range when the chunk
     * is transformed (decoding a whole chunk takes milliseconds: it then overlaps the sending of
     * the chunk before); nothing for a chunk stored as its original bytes. Completes when done,
     * failed or not: a failure reaches whoever reads the chunk.
     */
    public CompletableFuture<Void> readAhead(int chunkIndex, ChunkRecord record) {
        long logical = object.chunks().get(chunkIndex).size();
        if (!codec.wholeChunk(record.size(), logical)) {
            return CompletableFuture.completedFuture(null);
        }
        return decoded(chunkIndex, record, logical).handle((plain, e) -> null);
    }

    /**
     * Whether the chunk is read whole, once, and its ranges served from that: a transformed chunk
     * (it decodes only whole), and an erasure-coded one missing a data piece (rebuilding each
     * 1 MiB range of a missing piece would read k pieces' ranges again and again: reading the
     * chunk's k pieces whole once halves what crosses the network) when the caller reads more
     * than one segment and more than one piece's worth of it.
     */
    private boolean wholeChunk(int chunkIndex, ChunkRecord record, long logical) {
        if (codec.wholeChunk(record.size(), logical)) {
            return true;
        }
        int k = record.protection().dataPieces();
        if (record.protection().kind() != dev.cairn.metadata.Protection.Kind.ERASURE || !reader.degraded(record)) {
            return false;
        }
        long covered = covered(chunkIndex, logical);
        // a range within one segment, or within one piece's worth: rebuild just that range
        return covered > ObjectStreamer.SEGMENT && covered > logical / k;
    }

    /** How many bytes of chunk {@code chunkIndex} the caller's range covers. */
    private long covered(int chunkIndex, long logical) {
        if (rangeStart == 0 && rangeEnd == Long.MAX_VALUE) {
            return logical;
        }
        long[] starts;
        synchronized (decoded) {
            if (chunkStarts == null) {
                java.util.List<dev.cairn.metadata.ChunkRef> chunks = object.chunks();
                chunkStarts = new long[chunks.size()];
                for (int i = 1; i < chunkStarts.length; i++) {
                    chunkStarts[i] = chunkStarts[i - 1] + chunks.get(i - 1).size();
                }
            }
            starts = chunkStarts;
        }
        long chunkStart = starts[chunkIndex];
        return Math.max(0, Math.min(rangeEnd, chunkStart + logical) - Math.max(rangeStart, chunkStart));
    }

    private CompletableFuture<ByteBuffer> decoded(int chunkIndex, ChunkRecord record, long logical) {
        synchronized (decoded) {
            CompletableFuture<ByteBuffer> known = decoded.get(chunkIndex);
            if (known != null) {
                return known;
            }
            boolean transformed = codec.wholeChunk(record.size(), logical);
            CompletableFuture<ByteBuffer> raw = transformed ? reader.read(record, 0, Math.toIntExact(record.size()))
                    : reader.readDegraded(record);
            CompletableFuture<ByteBuffer> f = !transformed ? raw
                    : raw.thenApplyAsync(stored -> {
                        ByteBuffer plain = codec.decode(stored, logical, positions.part(chunkIndex),
                                positions.index(chunkIndex));
                        if (plain.remaining() != logical) {
                            throw new ChunkCodec.ChunkIntegrityException("chunk " + record.id() + " decodes to "
                                    + plain.remaining() + " bytes, not " + logical, null);
                        }
                        return plain;
                    }, pool);
            decoded.put(chunkIndex, f);
            Iterator<Integer> oldest = decoded.keySet().iterator();
            while (decoded.size() > KEEP) {
                oldest.next();
                oldest.remove();
            }
            return f;
        }
    }
}
