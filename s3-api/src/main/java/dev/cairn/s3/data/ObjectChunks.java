package dev.cairn.s3.data;

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
 * ({@link #readAhead} decodes the next chunk while the current one is sent).
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

    public ObjectChunks(ObjectRecord object, ChunkReader reader, ChunkCodec codec, Executor pool) {
        this.object = object;
        this.reader = reader;
        this.codec = codec;
        this.pool = pool;
        this.positions = ChunkPositions.of(object);
    }

    /** Bytes [offset, offset + length) of chunk {@code chunkIndex}'s original bytes. */
    public CompletableFuture<ByteBuffer> read(int chunkIndex, ChunkRecord record, long offset, int length) {
        long logical = object.chunks().get(chunkIndex).size();
        if (!codec.wholeChunk(record.size(), logical)) {
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
        if (!codec.wholeChunk(record.size(), logical)) {
            return reader.readInto(record, offset, dst);
        }
        int length = dst.remaining();
        ByteBuffer target = dst.duplicate();
        return decoded(chunkIndex, record, logical).thenAccept(all ->
                target.put(all.duplicate().position((int) offset).limit((int) offset + length)));
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

    private CompletableFuture<ByteBuffer> decoded(int chunkIndex, ChunkRecord record, long logical) {
        synchronized (decoded) {
            CompletableFuture<ByteBuffer> known = decoded.get(chunkIndex);
            if (known != null) {
                return known;
            }
            CompletableFuture<ByteBuffer> f = reader.read(record, 0, Math.toIntExact(record.size()))
                    .thenApplyAsync(stored -> {
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
