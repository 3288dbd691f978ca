package dev.cairn.s3.data;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.metadata.Protection;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Writes one chunk: chooses its nodes, marks it pending in metadata, and stores its pieces on
 * the nodes in parallel. Completes with the chunk's record once every piece is durable.
 * Called from a worker thread (it writes the pending mark to RocksDB).
 */
public final class ChunkWriter {
    private final NodeSet nodes;
    private final MetadataStore metadata;
    private final Executor worker;

    public ChunkWriter(NodeSet nodes, MetadataStore metadata, Executor worker) {
        this.nodes = nodes;
        this.metadata = metadata;
        this.worker = worker;
    }

    public CompletableFuture<ChunkRecord> write(ByteBuffer data) {
        ChunkId id = ChunkId.random();
        Protection protection = nodes.protection();
        if (protection.kind() != Protection.Kind.REPLICA) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException("erasure coding not available"));
        }
        int copies = protection.totalPieces();
        List<ChunkStoreClient> targets = nodes.placementFor(id.bytes(), copies);
        List<PieceLocation> planned = new ArrayList<>(copies);
        for (int i = 0; i < copies; i++) {
            planned.add(new PieceLocation(i, targets.get(i).nodeId(), data.remaining(), 0));
        }
        long size = data.remaining();
        ChunkRecord plan = new ChunkRecord(id, size, protection, planned);
        metadata.markPending(plan);
        List<CompletableFuture<PieceInfo>> writes = new ArrayList<>(copies);
        for (int i = 0; i < copies; i++) {
            writes.add(targets.get(i).put(new PieceId(id.bytes(), i), data.duplicate()));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
        all.whenCompleteAsync((ok, failure) -> {
            if (failure != null) {
                discard(List.of(plan)).whenCompleteAsync((x, y) -> metadata.dropPending(List.of(id)), worker);
            }
        }, worker);
        return all.thenApply(ignored -> {
            List<PieceLocation> pieces = new ArrayList<>(copies);
            for (int i = 0; i < copies; i++) {
                PieceInfo info = writes.get(i).join();
                pieces.add(new PieceLocation(i, targets.get(i).nodeId(), info.size(), info.crc32c()));
            }
            return new ChunkRecord(id, size, protection, pieces);
        });
    }

    /** Deletes the pieces of chunks (best effort); completes when every delete was tried. */
    public CompletableFuture<Void> discard(List<ChunkRecord> chunks) {
        List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
        for (ChunkRecord c : chunks) {
            for (PieceLocation p : c.pieces()) {
                nodes.client(p.nodeId()).ifPresent(client ->
                        deletes.add(client.delete(new PieceId(c.id().bytes(), p.index())).exceptionally(e -> false)));
            }
        }
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }
}
