package dev.cairn.s3.data;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.placement.storage.ChunkWriter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The last stages of an upload: each chunk goes through the {@link ChunkCodec} (compress, encrypt)
 * on the worker pool and is written through the {@link ChunkWriter}; several chunks may be on
 * their way at once (the caller bounds how many), and they keep their order. Chunks are numbered
 * as they are handed in; {@link #discardAll} gives up every chunk written once the writes in
 * flight settle.
 */
final class ChunkSink {
    private final ChunkWriter writer;
    private final MetadataStore metadata;
    private final Executor pool;
    private final ChunkCodec codec;
    private final int part;
    private final String storageClass;
    private final List<CompletableFuture<StoredChunk>> writes = new ArrayList<>();

    ChunkSink(ChunkWriter writer, MetadataStore metadata, Executor pool, ChunkCodec codec, int part,
              String storageClass) {
        this.writer = writer;
        this.metadata = metadata;
        this.pool = pool;
        this.codec = codec;
        this.part = part;
        this.storageClass = storageClass;
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    /** Transforms and writes {@code length} bytes of {@code data} as the next chunk. */
    CompletableFuture<StoredChunk> write(byte[] data, int length) {
        return write(ByteBuffer.wrap(data, 0, length));
    }

    /** Transforms and writes the remaining bytes of {@code plain} as the next chunk. */
    CompletableFuture<StoredChunk> write(ByteBuffer plain) {
        return write(plain, () -> { });
    }

    /**
     * Transforms and writes the remaining bytes of {@code plain} as the next chunk; {@code released}
     * runs once nothing reads {@code plain} any more: when the codec has made its own bytes, or
     * when every piece write has settled (it may run before or after the returned future completes).
     */
    CompletableFuture<StoredChunk> write(ByteBuffer plain, Runnable released) {
        int index = writes.size();
        int length = plain.remaining();
        Runnable once = once(released);
        CompletableFuture<ByteBuffer> encoded = codec.transforms()
                ? CompletableFuture.supplyAsync(() -> codec.encode(plain, part, index), pool)
                : CompletableFuture.completedFuture(plain);
        encoded.whenComplete((bytes, e) -> {
            if (e != null || bytes != plain) {
                once.run();
            }
        });
        CompletableFuture<StoredChunk> w = encoded.thenCompose(bytes -> {
            try {
                return writer.write(bytes, storageClass, bytes == plain ? once : () -> { });
            } catch (RuntimeException e) {
                once.run();
                throw e;
            }
        }).thenApply(rec -> new StoredChunk(rec, length));
        writes.add(w);
        return w;
    }

    private static Runnable once(Runnable r) {
        AtomicBoolean ran = new AtomicBoolean();
        return () -> {
            if (ran.compareAndSet(false, true)) {
                r.run();
            }
        };
    }

    /** Every chunk, in order, once all are written; fails with the first failure. */
    CompletableFuture<List<StoredChunk>> all() {
        List<CompletableFuture<StoredChunk>> pending = List.copyOf(writes);
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(v -> pending.stream().map(CompletableFuture::join).toList());
    }

    /** Discards every chunk written so far, once the writes still in flight have settled. */
    void discardAll() {
        List<CompletableFuture<StoredChunk>> pending = List.copyOf(writes);
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            List<ChunkRecord> written = new ArrayList<>();
            for (CompletableFuture<StoredChunk> w : pending) {
                if (!w.isCompletedExceptionally()) {
                    written.add(w.join().record());
                }
            }
            UncommittedWrite.discard(written, writer, metadata, pool);
            return null;
        });
    }
}
