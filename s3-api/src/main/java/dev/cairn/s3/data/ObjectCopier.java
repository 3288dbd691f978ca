package dev.cairn.s3.data;

import dev.cairn.placement.storage.ReadLeases;
import dev.cairn.placement.storage.ChunkReader;
import dev.cairn.placement.storage.ChunkWriter;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ChunkRef;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import dev.cairn.s3.checksum.Hasher;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Copies an object's data into new chunks, one chunk at a time (read, hash, write, next), so a
 * copy holds one chunk in memory whatever the object size. The source chunks are leased for the
 * whole copy, so an overwrite of the source meanwhile cannot pull them away. On failure every
 * chunk already written is discarded.
 */
public final class ObjectCopier {
    private final MetadataStore metadata;
    private final ChunkReader reader;
    private final ChunkWriter writer;
    private final Executor pool;
    private final ReadLeases leases;

    public ObjectCopier(MetadataStore metadata, ChunkReader reader, ChunkWriter writer, Executor pool,
                        ReadLeases leases) {
        this.metadata = metadata;
        this.reader = reader;
        this.writer = writer;
        this.pool = pool;
        this.leases = leases;
    }

    /** The copied data: MD5, the checksum asked for (or null), and inline bytes or new chunks. */
    public record Copy(byte[] md5, byte[] checksumDigest, byte[] inline, List<ChunkRecord> chunks) {
    }

    public CompletableFuture<Copy> copy(ObjectRecord source, String storageClass, ChecksumAlgorithm checksum) {
        return copy(source, 0, source.size(), storageClass, checksum, true);
    }

    /**
     * Copies bytes [start, start + length) of the source. With {@code allowInline} a small inline
     * source stays inline; otherwise (a part) the bytes always go into chunks.
     */
    public CompletableFuture<Copy> copy(ObjectRecord source, long start, long length, String storageClass,
                                        ChecksumAlgorithm checksum, boolean allowInline) {
        MessageDigest md5 = md5();
        Hasher hasher = checksum == null ? null : checksum.newHasher();
        if (source.isInline()) {
            byte[] bytes = java.util.Arrays.copyOfRange(source.inline(), (int) start, (int) (start + length));
            return CompletableFuture.supplyAsync(() -> {
                md5.update(bytes);
                if (hasher != null) {
                    hasher.update(ByteBuffer.wrap(bytes));
                }
                return null;
            }, pool).thenCompose(v -> allowInline || bytes.length == 0
                    ? CompletableFuture.completedFuture(List.<ChunkRecord>of())
                    : writer.write(ByteBuffer.wrap(bytes), storageClass).thenApply(List::of))
                    .thenApply(chunks -> new Copy(md5.digest(), hasher == null ? null : hasher.digest(),
                            allowInline ? bytes : null, chunks));
        }
        List<ChunkId> ids = source.chunks().stream().map(ChunkRef::id).toList();
        leases.acquire(ids);
        List<ChunkRecord> written = new ArrayList<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        long end = start + length;
        long chunkStart = 0;
        for (ChunkRef ref : source.chunks()) {
            long from = Math.max(start, chunkStart);
            long to = Math.min(end, chunkStart + ref.size());
            long offset = from - chunkStart;
            chunkStart += ref.size();
            if (from >= to) {
                continue;
            }
            int len = (int) (to - from);
            chain = chain.thenComposeAsync(v -> {
                Optional<ChunkRecord> rec = metadata.getChunks(List.of(ref.id())).get(0);
                if (rec.isEmpty()) {
                    throw new CompletionException(new IllegalStateException("chunk record missing: " + ref.id()));
                }
                return reader.read(rec.get(), offset, len);
            }, pool).thenComposeAsync(data -> {
                md5.update(data.duplicate());
                if (hasher != null) {
                    hasher.update(data.duplicate());
                }
                return writer.write(data, storageClass);
            }, pool).thenAccept(written::add);
        }
        return chain.handle((v, e) -> {
            leases.release(ids);
            if (e != null) {
                writer.discard(written).whenCompleteAsync((x, y) ->
                        metadata.dropPending(written.stream().map(ChunkRecord::id).toList()), pool);
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }
            return new Copy(md5.digest(), hasher == null ? null : hasher.digest(), null, List.copyOf(written));
        });
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
