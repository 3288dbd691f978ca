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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Copies an object's data into new chunks, one chunk at a time (read and decode with the source's
 * codec, hash, encode with the target's codec and write, next), so a copy holds about one chunk in
 * memory whatever the object size; a copy between different keys is re-encrypted on the way. The
 * source chunks are leased for the whole copy, so an overwrite of the source meanwhile cannot pull
 * them away. On failure every chunk already written is discarded.
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
    public record Copy(byte[] md5, byte[] checksumDigest, byte[] inline, List<StoredChunk> chunks) {
        public List<ChunkRecord> records() {
            return chunks.stream().map(StoredChunk::record).toList();
        }

        public List<ChunkRef> refs() {
            return chunks.stream().map(StoredChunk::ref).toList();
        }
    }

    /** How the source is read and the target written. */
    public record Codecs(ChunkCodec source, ChunkCodec target, int targetPart) {
        public static final Codecs PLAIN = new Codecs(CompressingCodec.INSTANCE, ChunkCodec.PLAIN, 0);
    }

    public CompletableFuture<Copy> copy(ObjectRecord source, String storageClass, ChecksumAlgorithm checksum) {
        return copy(source, 0, source.size(), storageClass, checksum, true, Codecs.PLAIN);
    }

    /**
     * Copies bytes [start, start + length) of the source. With {@code allowInline} a small inline
     * source stays inline; otherwise (a part, or an encrypted target) the bytes always go into chunks.
     */
    public CompletableFuture<Copy> copy(ObjectRecord source, long start, long length, String storageClass,
                                        ChecksumAlgorithm checksum, boolean allowInline, Codecs codecs) {
        MessageDigest md5 = md5();
        Hasher hasher = checksum == null ? null : checksum.newHasher();
        ChunkSink sink = new ChunkSink(writer, metadata, pool, codecs.target(), codecs.targetPart(), storageClass);
        if (source.isInline()) {
            byte[] bytes = java.util.Arrays.copyOfRange(source.inline(), (int) start, (int) (start + length));
            return CompletableFuture.supplyAsync(() -> {
                md5.update(bytes);
                if (hasher != null) {
                    hasher.update(ByteBuffer.wrap(bytes));
                }
                if (!allowInline && bytes.length > 0) {
                    sink.write(bytes, bytes.length);
                }
                return null;
            }, pool).thenCompose(v -> sink.all())
                    .thenApply(chunks -> new Copy(md5.digest(), hasher == null ? null : hasher.digest(),
                            allowInline ? bytes : null, chunks));
        }
        List<ChunkId> ids = source.chunks().stream().map(ChunkRef::id).toList();
        leases.acquire(ids);
        ObjectChunks data = new ObjectChunks(source, reader, codecs.source(), pool);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        long end = start + length;
        long chunkStart = 0;
        for (int i = 0; i < source.chunks().size(); i++) {
            ChunkRef ref = source.chunks().get(i);
            long from = Math.max(start, chunkStart);
            long to = Math.min(end, chunkStart + ref.size());
            long offset = from - chunkStart;
            chunkStart += ref.size();
            if (from >= to) {
                continue;
            }
            int len = (int) (to - from);
            int chunkIndex = i;
            chain = chain.thenComposeAsync(v -> {
                Optional<ChunkRecord> rec = metadata.getChunks(List.of(ref.id())).get(0);
                if (rec.isEmpty()) {
                    throw new CompletionException(new IllegalStateException("chunk record missing: " + ref.id()));
                }
                return data.read(chunkIndex, rec.get(), offset, len);
            }, pool).thenComposeAsync(bytes -> {
                md5.update(bytes.duplicate());
                if (hasher != null) {
                    hasher.update(bytes.duplicate());
                }
                return sink.write(bytes);
            }, pool).thenAccept(written -> { });
        }
        return chain.thenCompose(v -> sink.all()).handle((chunks, e) -> {
            leases.release(ids);
            if (e != null) {
                sink.discardAll();
                throw e instanceof CompletionException ce ? ce : new CompletionException(e);
            }
            return new Copy(md5.digest(), hasher == null ? null : hasher.digest(), null, chunks);
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
