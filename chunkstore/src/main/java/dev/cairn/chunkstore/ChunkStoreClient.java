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

    CompletableFuture<PieceInfo> head(PieceId id);

    /** Deletes a piece; completes with false when it did not exist. */
    CompletableFuture<Boolean> delete(PieceId id);

    @Override
    void close();
}
