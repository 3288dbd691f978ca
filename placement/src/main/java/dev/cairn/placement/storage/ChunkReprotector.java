package dev.cairn.placement.storage;

import dev.cairn.chunkstore.PieceException;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.Protection;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a stored chunk again under another storage class's protection: a lifecycle transition's
 * data step. The chunk is read as it is stored (compressed or encrypted chunks stay so: the
 * re-protection is below the transforms) through the {@link ChunkReader} the GET path and the
 * movers use - a degraded chunk is rebuilt as a degraded GET rebuilds it - and written as a new
 * chunk through the {@link ChunkWriter} a PUT uses, so its pieces are under a pending mark of this
 * process's writer epoch until a metadata command commits them (or the collector deletes them
 * after a crash). Unlike a PUT, a re-protection succeeds only when every piece of the new
 * protection is stored: moving data must never leave it less protected than the class asks.
 *
 * <p>Blocking: the caller's thread waits for the read and the write (the lifecycle worker's own
 * thread; never an event loop). Memory: one chunk and its pieces.
 */
public final class ChunkReprotector {
    /** How long one chunk's read or write may take before the step gives up on it. */
    static final long STEP_TIMEOUT_SECONDS = 120;

    private final StorageNodes nodes;
    private final ChunkReader reader;
    private final ChunkWriter writer;
    private final MetadataStore metadata;

    public ChunkReprotector(StorageNodes nodes, ChunkReader reader, ChunkWriter writer, MetadataStore metadata) {
        this.nodes = nodes;
        this.reader = reader;
        this.writer = writer;
        this.metadata = metadata;
    }

    /** The protection new chunks of {@code storageClass} get now. */
    public Protection protection(String storageClass) {
        return nodes.protection(storageClass);
    }

    /** Why chunks of {@code storageClass} cannot be written with every piece now, or null when they can. */
    public String cannotWriteInFull(String storageClass) {
        Protection p = nodes.protection(storageClass);
        int writable = nodes.writable().size();
        return writable >= p.totalPieces() ? null
                : p.describe() + " needs " + p.totalPieces() + " writable nodes, " + writable + " available";
    }

    /**
     * Reads {@code chunk}'s stored bytes and writes them as a new chunk of {@code storageClass}.
     *
     * @return the new chunk's record, every piece stored, under a pending mark of this epoch
     * @throws ReprotectException when the chunk cannot be read, or the new one not written in full
     *                            (whatever was written of it is deleted and its mark dropped)
     */
    public ChunkRecord reprotect(ChunkRecord chunk, String storageClass) throws InterruptedException {
        ByteBuffer stored;
        try {
            stored = await(reader.degraded(chunk) ? reader.readDegraded(chunk)
                    : reader.read(chunk, 0, Math.toIntExact(chunk.size())));
        } catch (ReprotectException e) {
            throw new ReprotectException("chunk " + chunk.id() + " cannot be read: " + e.getMessage());
        }
        if (stored.remaining() != chunk.size()) {
            throw new ReprotectException("chunk " + chunk.id() + " read " + stored.remaining() + " of " + chunk.size()
                    + " bytes");
        }
        ChunkRecord written;
        try {
            written = await(writer.write(stored, storageClass));
        } catch (ReprotectException e) {
            throw new ReprotectException("chunk " + chunk.id() + " cannot be written as " + storageClass + ": "
                    + e.getMessage());
        }
        if (written.pieces().size() < written.protection().totalPieces()) {
            discard(List.of(written));
            throw new ReprotectException("chunk " + chunk.id() + ": only " + written.pieces().size() + " of "
                    + written.protection().totalPieces() + " pieces of " + written.protection().describe()
                    + " could be stored");
        }
        return written;
    }

    /** Deletes the pieces of chunks this step wrote and never committed, then drops their pending marks. */
    public void discard(List<ChunkRecord> written) {
        if (written.isEmpty()) {
            return;
        }
        try {
            writer.discard(written).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // the marks stay: the collector deletes the pieces once this epoch is retired
        } catch (ExecutionException | TimeoutException e) {
            return; // the marks stay, and with them the pieces left (see above)
        }
        metadata.dropPending(written.stream().map(ChunkRecord::id).toList());
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) throws InterruptedException {
        try {
            return f.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = RepairReporter.unwrap(e.getCause() == null ? e : e.getCause());
            throw new ReprotectException(cause instanceof PieceException ? cause.getMessage() : cause.toString());
        } catch (TimeoutException e) {
            // a write that lands later keeps its pending mark until this epoch is retired (a restart),
            // when the collector deletes its pieces
            throw new ReprotectException("no answer in " + STEP_TIMEOUT_SECONDS + " s");
        }
    }

    /** A chunk could not be re-protected now; nothing of the attempt is left committed. */
    public static final class ReprotectException extends RuntimeException {
        public ReprotectException(String message) {
            super(message, null, false, false);
        }
    }
}
