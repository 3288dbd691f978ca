package dev.cairn.placement.storage;

import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.RepeatedWarnings;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.PieceLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Deletes the pieces of chunks nobody references any more: chunks of replaced, deleted and
 * aborted data once their grace period is over (and no GET is still streaming them), and chunks
 * left pending by an earlier run of the process, whose writes can never commit. A chunk is
 * forgotten in metadata only after every one of its pieces is gone.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    private static final int BATCH = 256;
    /** A pass meets the same unreachable node for every chunk on it: one line per node per minute. */
    private static final RepeatedWarnings WARNINGS = new RepeatedWarnings(LOG, "gc-delete-deferred",
            java.time.Duration.ofMinutes(1), null);

    private final MetadataStore metadata;
    private final StorageNodes nodes;
    private final ReadLeases leases;
    private final Clock clock;
    private final long epochStartMillis;

    public GarbageCollector(MetadataStore metadata, StorageNodes nodes, ReadLeases leases, Clock clock,
                            long epochStartMillis) {
        this.metadata = metadata;
        this.nodes = nodes;
        this.leases = leases;
        this.clock = clock;
        this.epochStartMillis = epochStartMillis;
    }

    /** One pass; blocking, on a worker thread. Returns the number of chunks collected. */
    public int collectOnce() {
        int collected = 0;
        collected += collect(metadata.stalePending(epochStartMillis, BATCH));
        List<ChunkRecord> due = new ArrayList<>();
        for (ChunkRecord c : metadata.dueGarbage(clock.millis(), BATCH)) {
            if (!leases.isLeased(c.id())) {
                due.add(c);
            }
        }
        collected += collect(due);
        return collected;
    }

    private int collect(List<ChunkRecord> chunks) {
        if (chunks.isEmpty()) {
            return 0;
        }
        List<ChunkId> gone = new ArrayList<>();
        for (ChunkRecord c : chunks) {
            if (deleteAllPieces(c)) {
                gone.add(c.id());
            }
        }
        metadata.forgetChunks(gone);
        if (!gone.isEmpty()) {
            LOG.debug("collected {} chunks", gone.size());
        }
        return gone.size();
    }

    private boolean deleteAllPieces(ChunkRecord chunk) {
        List<CompletableFuture<Boolean>> deletes = new ArrayList<>();
        for (PieceLocation p : chunk.pieces()) {
            deletes.add(nodes.deletePiece(p.nodeId(), new PieceId(chunk.id().bytes(), p.index())));
        }
        try {
            CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            WARNINGS.warn("delete-failed", "chunk {}: deleting pieces failed ({}); will retry", chunk.id(), e.toString());
            return false;
        }
        for (int i = 0; i < deletes.size(); i++) {
            if (!deletes.get(i).join()) {
                WARNINGS.warn(chunk.pieces().get(i).nodeId(), "chunk {}: piece {} is on node {}, which cannot be "
                        + "reached (unknown, or an in-process chunkstore this process does not run); keeping the "
                        + "chunk for later", chunk.id(), chunk.pieces().get(i).index(), chunk.pieces().get(i).nodeId());
                return false;
            }
        }
        return true;
    }
}
