package dev.cairn.s3.data;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.metadata.Protection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Reads byte ranges of chunks from the nodes that hold their pieces. A replica that is missing,
 * unreachable or corrupt is skipped for the next one; the failure is logged for repair.
 */
public final class ChunkReader {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkReader.class);

    private final NodeSet nodes;

    public ChunkReader(NodeSet nodes) {
        this.nodes = nodes;
    }

    /** Reads {@code length} bytes at {@code offset} within the chunk. */
    public CompletableFuture<ByteBuffer> read(ChunkRecord chunk, long offset, int length) {
        if (chunk.protection().kind() != Protection.Kind.REPLICA) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("erasure coding not available"));
        }
        return readReplica(chunk, chunk.pieces(), 0, offset, length, null);
    }

    private CompletableFuture<ByteBuffer> readReplica(ChunkRecord chunk, List<PieceLocation> pieces, int attempt,
                                                      long offset, int length, Throwable last) {
        if (attempt >= pieces.size()) {
            return CompletableFuture.failedFuture(new PieceException.Unavailable(
                    "no readable piece of chunk " + chunk.id(), last));
        }
        PieceLocation piece = pieces.get(attempt);
        ChunkStoreClient client = nodes.client(piece.nodeId()).orElse(null);
        if (client == null) {
            return readReplica(chunk, pieces, attempt + 1, offset, length,
                    new PieceException.Unavailable("unknown node " + piece.nodeId(), null));
        }
        PieceId id = new PieceId(chunk.id().bytes(), piece.index());
        return client.get(id, offset, length)
                .thenApply(CompletableFuture::completedFuture)
                .exceptionally(e -> {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    LOG.warn("piece {} on node {} unreadable: {}", id, piece.nodeId(), cause.toString());
                    return readReplica(chunk, pieces, attempt + 1, offset, length, cause);
                })
                .thenCompose(f -> f);
    }
}
