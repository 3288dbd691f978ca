package dev.cairn.s3.data;

import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.placement.storage.ChunkWriter;
import io.vertx.core.Future;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Data that is stored but belongs to nothing yet: {@link #commit} runs the metadata change that
 * makes it part of an object or upload and gives the chunks up when that fails; {@link #abort}
 * gives them up directly. Handlers never clean up chunks by hand.
 */
public final class UncommittedWrite {
    private final IngestResult result;
    private final ChunkWriter writer;
    private final MetadataStore metadata;
    private final Executor pool;
    private final AtomicBoolean settled = new AtomicBoolean();

    public UncommittedWrite(IngestResult result, ChunkWriter writer, MetadataStore metadata, Executor pool) {
        this.result = result;
        this.writer = writer;
        this.metadata = metadata;
        this.pool = pool;
    }

    public IngestResult result() {
        return result;
    }

    /** Runs {@code change} (the metadata commit); when it fails, the chunks are discarded and the failure passed on. */
    public <T> Future<T> commit(Supplier<Future<T>> change) {
        Future<T> done;
        try {
            done = change.get();
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        return done.transform(r -> {
            if (r.failed()) {
                abort();
                return Future.failedFuture(r.cause());
            }
            settled.set(true);
            return Future.succeededFuture(r.result());
        });
    }

    /** Discards the chunks (once); the write is then gone. */
    public CompletableFuture<Void> abort() {
        if (!settled.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        return discard(result.records(), writer, metadata, pool);
    }

    static CompletableFuture<Void> discard(List<ChunkRecord> chunks, ChunkWriter writer, MetadataStore metadata,
                                           Executor pool) {
        List<ChunkId> ids = chunks.stream().map(ChunkRecord::id).toList();
        return writer.discard(chunks).handleAsync((x, e) -> {
            metadata.dropPending(ids);
            return null;
        }, pool);
    }
}
