package dev.cairn.chunkstore;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link ChunkStoreClient} for a {@link PieceStore} in this process. Every call runs on the
 * given worker executor (never on the caller's thread, which may be an event loop); the future
 * completes there, exceptionally with the store's own exception (a {@link PieceException} or
 * other {@link java.io.IOException}), not wrapped. A rejected task completes the future with
 * {@link PieceException.Unavailable}. {@link #close()} closes the store but not the executor,
 * which the caller owns.
 */
public final class LocalChunkStoreClient implements ChunkStoreClient {
    private final PieceStore store;
    private final String nodeId;
    private final Executor executor;

    public LocalChunkStoreClient(PieceStore store, String nodeId, Executor executor) {
        if (store == null || nodeId == null || executor == null) {
            throw new NullPointerException("store, nodeId and executor are required");
        }
        this.store = store;
        this.nodeId = nodeId;
        this.executor = executor;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public CompletableFuture<PieceInfo> put(PieceId id, ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        return run(() -> store.put(id, view));
    }

    @Override
    public CompletableFuture<ByteBuffer> get(PieceId id, long offset, int length) {
        return run(() -> store.read(id, offset, length));
    }

    /** Fills {@code dst} on the worker straight from the piece file (see {@link PieceStore#readInto}). */
    @Override
    public CompletableFuture<Integer> readInto(PieceId id, long offset, ByteBuffer dst) {
        ByteBuffer target = dst.duplicate();
        return run(() -> store.readInto(id, offset, target));
    }

    @Override
    public boolean servesRanges() {
        return store.servesRanges();
    }

    /** Verifies the range on the worker; a range that opened after its caller gave up is its caller's to close. */
    @Override
    public CompletableFuture<PieceRange> openRange(PieceId id, long offset, int length) {
        return run(() -> store.openRange(id, offset, length));
    }

    @Override
    public CompletableFuture<PieceInfo> head(PieceId id) {
        return run(() -> store.head(id));
    }

    @Override
    public CompletableFuture<PieceInfo> verify(PieceId id) {
        return run(() -> {
            if (!store.verify(id)) {
                throw new PieceException.Corrupt(id, "a block fails its checksum");
            }
            return store.head(id);
        });
    }

    @Override
    public CompletableFuture<Boolean> delete(PieceId id) {
        return run(() -> store.delete(id));
    }

    /** Scans the whole store per page ({@link dev.cairn.chunkstore.node.PieceLister#scanning}). */
    @Override
    public CompletableFuture<dev.cairn.chunkstore.node.PiecePage> list(PieceId after, int limit) {
        return run(() -> dev.cairn.chunkstore.node.PieceLister.scanning(store).list(after, limit));
    }

    @Override
    public void close() {
        store.close();
    }

    @Override
    public String toString() {
        return "LocalChunkStoreClient[" + nodeId + ", " + store + "]";
    }

    @FunctionalInterface
    private interface StoreCall<T> {
        T call() throws Exception;
    }

    private <T> CompletableFuture<T> run(StoreCall<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    future.complete(call.call());
                } catch (Throwable t) {
                    future.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new PieceException.Unavailable("node " + nodeId + ": worker pool rejected the call", e));
        }
        return future;
    }
}
