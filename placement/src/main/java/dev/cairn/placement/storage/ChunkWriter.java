package dev.cairn.placement.storage;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.chunkstore.codec.ReedSolomonCodec;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes one chunk: encodes it into pieces (copies, or Reed-Solomon data + parity), chooses their
 * nodes, marks the chunk pending in metadata, and stores the pieces on the nodes in parallel.
 * Succeeds once the write quorum of pieces is durable (RS k+m: k+1; copies: a majority) and the
 * others have settled or had {@link #STRAGGLER_GRACE_MILLIS} more; pieces that could not be stored
 * in that time are recorded for repair. With fewer writable nodes than the quorum it
 * fails fast. Called from a worker thread (it encodes, and writes the pending mark to RocksDB).
 */
public final class ChunkWriter {
    /** How long a write waits for the remaining pieces once its quorum is durable. */
    static final long STRAGGLER_GRACE_MILLIS = 500;

    private final StorageNodes nodes;
    private final MetadataStore metadata;
    private final Executor worker;
    private final RepairReporter repairs;

    public ChunkWriter(StorageNodes nodes, MetadataStore metadata, Executor worker, RepairReporter repairs) {
        this.nodes = nodes;
        this.metadata = metadata;
        this.worker = worker;
        this.repairs = repairs;
    }

    /**
     * Fails with Unavailable when fewer nodes are writable than the write quorum of the storage
     * class's protection: lets an upload answer 503 before its body is sent.
     */
    public void checkWritable(String storageClass) throws PieceException.Unavailable {
        Protection protection = nodes.protection(storageClass);
        int quorum = ProtectionPolicy.writeQuorum(protection);
        int writable = nodes.writable().size();
        if (writable < quorum) {
            throw new PieceException.Unavailable(protection.describe() + " needs " + quorum
                    + " writable storage nodes, " + writable + " available", null);
        }
    }

    /** Writes a chunk with the protection its storage class maps to. */
    public CompletableFuture<ChunkRecord> write(ByteBuffer data, String storageClass) {
        return write(data, storageClass, () -> { });
    }

    /**
     * As {@link #write(ByteBuffer, String)}; {@code released} runs once no piece write reads
     * {@code data} any more: when every write started has settled (a straggler's too, which may be
     * after the returned future completes), at once when none started. The caller may then reuse
     * the memory.
     */
    public CompletableFuture<ChunkRecord> write(ByteBuffer data, String storageClass, Runnable released) {
        List<CompletableFuture<PieceInfo>> writes = new ArrayList<>();
        try {
            return writePieces(data, storageClass, writes);
        } finally {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> released.run());
        }
    }

    /** Writes a chunk, adding each piece write it starts to {@code writes}. */
    private CompletableFuture<ChunkRecord> writePieces(ByteBuffer data, String storageClass,
                                                       List<CompletableFuture<PieceInfo>> writes) {
        ChunkId id = ChunkId.random();
        Protection protection = nodes.protection(storageClass);
        int total = protection.totalPieces();
        int quorum = ProtectionPolicy.writeQuorum(protection);
        List<String> targets = nodes.place(id.bytes(), total);
        if (targets.size() < quorum) {
            return CompletableFuture.failedFuture(new PieceException.Unavailable(protection.describe() + " needs "
                    + quorum + " writable storage nodes, " + targets.size() + " available", null));
        }
        long size = data.remaining();
        ByteBuffer[] pieces = encode(protection, data);
        List<PieceLocation> planned = new ArrayList<>(targets.size());
        for (int i = 0; i < targets.size(); i++) {
            planned.add(new PieceLocation(i, targets.get(i), pieces[i].remaining(), 0));
        }
        ChunkRecord plan = new ChunkRecord(id, size, protection, planned);
        metadata.markPending(plan);

        for (int i = 0; i < targets.size(); i++) {
            ChunkStoreClient client = nodes.client(targets.get(i)).orElse(null);
            String target = targets.get(i);
            writes.add(client == null
                    ? CompletableFuture.failedFuture(new PieceException.Unavailable("node " + target + " unknown", null))
                    : client.put(new PieceId(id.bytes(), i), pieces[i].duplicate()).whenComplete((info, e) -> {
                        Throwable cause = e == null ? null : RepairReporter.unwrap(e);
                        if (cause instanceof PieceException.CapacityExceeded) {
                            nodes.refusedForSpace(target);
                        } else if (cause instanceof PieceException.Unavailable) {
                            nodes.reachability().failed(target, System.currentTimeMillis());
                        } else if (cause == null) {
                            nodes.reachability().reached(target);
                        }
                    }));
        }
        return enoughWritten(writes, quorum).thenApplyAsync(ignored -> {
            List<PieceLocation> stored = new ArrayList<>();
            List<Integer> missing = new ArrayList<>();
            List<String> missingNodes = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                CompletableFuture<PieceInfo> w = i < writes.size() ? writes.get(i) : null;
                if (w != null && w.isDone() && !w.isCompletedExceptionally()) {
                    PieceInfo info = w.join();
                    stored.add(new PieceLocation(i, targets.get(i), info.size(), info.crc32c()));
                } else {
                    missing.add(i);
                    missingNodes.add(i < targets.size() ? targets.get(i) : "");
                    if (w != null && !w.isDone()) {
                        forgetStraggler(id, i, targets.get(i), w);
                    }
                }
            }
            ChunkRecord written = new ChunkRecord(id, size, protection, stored);
            if (stored.size() < quorum) {
                Throwable cause = firstFailure(writes);
                discard(List.of(plan)).whenCompleteAsync((x, y) -> metadata.dropPending(List.of(id)), worker);
                throw new java.util.concurrent.CompletionException(new PieceException.Unavailable("chunk " + id
                        + ": " + stored.size() + " of " + total + " pieces stored, quorum is " + quorum, cause));
            }
            if (!missing.isEmpty()) {
                repairs.writeIncomplete(written, missing, missingNodes, targets.size() < total
                        ? protection.describe() + " needs " + total + " writable nodes, " + targets.size() + " available"
                        : "a node failed the write");
            }
            return written;
        }, worker);
    }

    /**
     * Completes when every write has settled, or - once the quorum is durable - after
     * {@link #STRAGGLER_GRACE_MILLIS} more, so one slow or frozen node does not hold up the write.
     */
    private static CompletableFuture<Void> enoughWritten(List<CompletableFuture<PieceInfo>> writes, int quorum) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        AtomicInteger settled = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        for (CompletableFuture<PieceInfo> w : writes) {
            w.whenComplete((info, e) -> {
                int good = e == null ? ok.incrementAndGet() : ok.get();
                if (settled.incrementAndGet() == writes.size()) {
                    ready.complete(null);
                } else if (e == null && good == quorum) {
                    CompletableFuture.delayedExecutor(STRAGGLER_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                            .execute(() -> ready.complete(null));
                }
            });
        }
        if (writes.isEmpty()) {
            ready.complete(null);
        }
        return ready;
    }

    /**
     * A piece still being written when the chunk committed without it: deleted if it lands after
     * all, since the chunk record does not list it (repair writes it again properly).
     */
    private void forgetStraggler(ChunkId id, int index, String nodeId, CompletableFuture<PieceInfo> write) {
        write.whenCompleteAsync((info, e) -> {
            if (e == null) {
                nodes.deletePiece(nodeId, new PieceId(id.bytes(), index));
            }
        }, worker);
    }

    /** The pieces of a chunk: R views of the same bytes, or k data pieces then m parity pieces. */
    static ByteBuffer[] encode(Protection p, ByteBuffer data) {
        ByteBuffer[] pieces = new ByteBuffer[p.totalPieces()];
        if (p.kind() == Protection.Kind.REPLICA) {
            for (int i = 0; i < pieces.length; i++) {
                pieces[i] = data.duplicate();
            }
            return pieces;
        }
        ReedSolomonCodec codec = ReedSolomonCodec.of(p.dataPieces(), p.parityPieces());
        ByteBuffer[] dataPieces = codec.split(data);
        ByteBuffer[] parity = new ByteBuffer[p.parityPieces()];
        for (int i = 0; i < parity.length; i++) {
            parity[i] = ByteBuffer.allocate(codec.pieceSize(data.remaining()));
        }
        codec.encode(dataPieces, parity);
        System.arraycopy(dataPieces, 0, pieces, 0, dataPieces.length);
        System.arraycopy(parity, 0, pieces, dataPieces.length, parity.length);
        return pieces;
    }

    private static Throwable firstFailure(List<CompletableFuture<PieceInfo>> writes) {
        for (CompletableFuture<PieceInfo> w : writes) {
            if (w.isCompletedExceptionally()) {
                try {
                    w.join();
                } catch (RuntimeException e) {
                    return RepairReporter.unwrap(e);
                }
            }
        }
        return null;
    }

    /** Deletes the pieces of chunks (best effort); completes when every delete was tried. */
    public CompletableFuture<Void> discard(List<ChunkRecord> chunks) {
        List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
        for (ChunkRecord c : chunks) {
            for (PieceLocation p : c.pieces()) {
                deletes.add(nodes.deletePiece(p.nodeId(), new PieceId(c.id().bytes(), p.index()))
                        .exceptionally(e -> false));
            }
        }
        return CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new));
    }
}
