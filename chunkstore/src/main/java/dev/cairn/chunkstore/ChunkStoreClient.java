package dev.cairn.chunkstore;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * How the gateway talks to one storage node. Asynchronous; failures complete the future
 * exceptionally with a {@link PieceException} (NotFound, Corrupt, CapacityExceeded, Unavailable).
 * {@link LocalChunkStoreClient} serves a {@link PieceStore} in the same process on a worker pool;
 * a remote implementation speaks HTTP to a chunkstore node.
 */
public interface ChunkStoreClient extends AutoCloseable {

    String nodeId();

    /** Stores a piece; completes once it is durable on the node. The buffer is not modified. */
    CompletableFuture<PieceInfo> put(PieceId id, ByteBuffer data);

    /** Reads part of a piece; the result holds exactly the bytes read (fewer at the piece's end). */
    CompletableFuture<ByteBuffer> get(PieceId id, long offset, int length);

    /**
     * Reads part of a piece into {@code dst}: from {@code offset}, at most {@code dst.remaining()}
     * bytes (fewer at the piece's end), completing with the count. Nothing is written into
     * {@code dst} after the future completed, whatever its outcome, so the caller may reuse or
     * free the buffer then; its position is not moved. The default reads through {@link #get}
     * and copies; a client that can fill {@code dst} directly (an in-process store reading a
     * file into a direct buffer) overrides it.
     */
    default CompletableFuture<Integer> readInto(PieceId id, long offset, ByteBuffer dst) {
        ByteBuffer target = dst.duplicate();
        return get(id, offset, target.remaining()).thenApply(b -> {
            int n = b.remaining();
            target.put(b);
            return n;
        });
    }

    /**
     * {@link #readInto(PieceId, long, ByteBuffer)} with every write into {@code dst} made through
     * {@code fence}: once the caller has shut the fence, nothing more is written into {@code dst}
     * even while the read is still under way (it then fails with {@link ReadFence.GivenUp} when
     * more bytes arrive, or ends as it would have). The read shuts the fence itself when it ends,
     * before its future completes. The default reads through {@link #get} and copies through the
     * fence; a remote client copies each part of the answer as it arrives.
     */
    default CompletableFuture<Integer> readInto(PieceId id, long offset, ByteBuffer dst, ReadFence fence) {
        int at = dst.position();
        return get(id, offset, dst.remaining()).handle((b, e) -> {
            if (e != null) {
                fence.shut();
                throw e instanceof java.util.concurrent.CompletionException c ? c
                        : new java.util.concurrent.CompletionException(e);
            }
            int n = b.remaining();
            boolean copied = fence.copy(b, dst, at);
            fence.shut();
            if (!copied) {
                throw new ReadFence.GivenUp();
            }
            return n;
        });
    }

    /**
     * Whether {@link #openRange} works: the node is in this process and keeps piece files, so
     * verified piece bytes can go from the file to a socket without a copy in the JVM.
     */
    default boolean servesRanges() {
        return false;
    }

    /**
     * Verifies piece bytes {@code [offset, offset + length)} where they are stored and returns
     * them as an open {@link PieceRange} (fewer bytes at the piece's end); the caller closes it.
     * Only for a client that {@link #servesRanges()}.
     */
    default CompletableFuture<PieceRange> openRange(PieceId id, long offset, int length) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(this + " serves no piece files"));
    }

    CompletableFuture<PieceInfo> head(PieceId id);

    /**
     * Re-reads the whole piece where it is stored and checks every block's checksum, without
     * sending its bytes: completes with its info, or exceptionally with NotFound or Corrupt.
     */
    CompletableFuture<PieceInfo> verify(PieceId id);

    /** Deletes a piece; completes with false when it did not exist. */
    CompletableFuture<Boolean> delete(PieceId id);

    /**
     * One page of the node's pieces in {@link dev.cairn.chunkstore.node.PieceOrder}, after
     * {@code after} (null: from the first); at most {@code limit} (1..10000).
     */
    CompletableFuture<dev.cairn.chunkstore.node.PiecePage> list(PieceId after, int limit);

    @Override
    void close();
}
