package dev.cairn.placement.mover;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.metadata.RepairRecord;
import dev.cairn.placement.storage.NodeReachability;
import dev.cairn.placement.storage.RepairReasons;
import dev.cairn.placement.storage.RepairReporter;
import dev.cairn.placement.storage.StorageNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Turns the hints failed reads leave ({@link RepairReasons}) into facts before a planning pass
 * counts anything lost: each hinted piece on a node the map calls readable is verified where it
 * is (the node re-reads every block and sends no bytes). Whole: the row goes. Corrupt or missing:
 * the row becomes proof and the piece is rebuilt without waiting for the grace. Unreachable: the
 * node is noted in {@link NodeReachability} and the row stays a hint, so the piece waits as a DOWN
 * node's does. Rows of any kind naming a node the record no longer places the piece on are dropped. Blocking; verifications
 * run a few at a time and take their bytes from the movers' throttle.
 */
final class HintVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(HintVerifier.class);
    private static final int IN_FLIGHT = 16;

    private final MetadataStore metadata;
    private final StorageNodes nodes;
    private final NodeReachability reachability;
    private final MoverThrottle throttle;
    private final Clock clock;

    HintVerifier(MetadataStore metadata, StorageNodes nodes, NodeReachability reachability, MoverThrottle throttle,
                 Clock clock) {
        this.metadata = metadata;
        this.nodes = nodes;
        this.reachability = reachability;
        this.throttle = throttle;
        this.clock = clock;
    }

    private record Check(RepairRecord row, CompletableFuture<?> result) {
    }

    /**
     * Verifies the hints among {@code rows} (chunk -> its repair rows, updated in place: cleared rows
     * removed, proven ones replaced) against the chunks' {@code records}. Returns how many were found whole.
     */
    int verify(Map<ChunkId, List<RepairRecord>> rows, Map<ChunkId, ChunkRecord> records) throws InterruptedException {
        probeFailing();
        java.util.Set<String> stillFailing = nodes.failing().keySet();
        List<RepairRecord> stale = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        Semaphore slots = new Semaphore(IN_FLIGHT);
        for (List<RepairRecord> list : rows.values()) {
            for (RepairRecord r : list) {
                PieceLocation at = location(records.get(r.chunk()), r.pieceIndex());
                if (at != null && !at.nodeId().equals(r.nodeId())) {
                    stale.add(r); // the piece is elsewhere now (moved or rebuilt)
                    continue;
                }
                if (at == null || !RepairReasons.isHint(r.reason())) {
                    continue; // proof, or an index the record lacks: the planner rebuilds it
                }
                Optional<ChunkStoreClient> client = readable(r.nodeId()) && !stillFailing.contains(r.nodeId())
                        ? nodes.client(r.nodeId()) : Optional.empty();
                if (client.isEmpty()) {
                    continue; // waits with its node: DOWN or unreachable within the grace, then lost
                }
                throttle.takeBytes(at.size());
                slots.acquire();
                CompletableFuture<?> f = client.get().verify(PieceMover.pieceId(records.get(r.chunk()), r.pieceIndex()));
                f.whenComplete((x, e) -> slots.release());
                checks.add(new Check(r, f));
            }
        }
        List<RepairRecord> whole = new ArrayList<>(stale);
        List<RepairRecord> proven = new ArrayList<>();
        long now = clock.millis();
        for (Check c : checks) {
            RepairRecord r = c.row();
            try {
                c.result().join();
                whole.add(r);
                reachability.reached(r.nodeId());
            } catch (RuntimeException e) {
                Throwable cause = RepairReporter.unwrap(e);
                if (cause instanceof PieceException.Corrupt || cause instanceof PieceException.NotFound) {
                    String reason = cause instanceof PieceException.Corrupt ? RepairReasons.CORRUPT : RepairReasons.MISSING;
                    proven.add(new RepairRecord(r.chunk(), r.pieceIndex(), reason, r.nodeId(), now));
                    reachability.reached(r.nodeId());
                } else {
                    reachability.failed(r.nodeId(), now);
                    LOG.debug("cannot verify chunk {} piece {} on {} yet: {}", r.chunk(), r.pieceIndex(), r.nodeId(),
                            cause.toString());
                }
            }
        }
        metadata.clearRepairs(whole);
        metadata.recordRepairs(proven);
        apply(rows, whole, proven);
        if (whole.size() + proven.size() > 0) {
            LOG.info("verified {} hinted pieces: {} whole, {} proven bad, {} unreachable; {} stale hints dropped",
                    checks.size(), whole.size() - stale.size(), proven.size(),
                    checks.size() - (whole.size() - stale.size()) - proven.size(), stale.size());
        }
        return whole.size() - stale.size();
    }

    /** Asks every node noted unreachable for a piece that does not exist: any answer means it is back. */
    private void probeFailing() {
        probeFailing(node -> true);
    }

    /**
     * {@link #probeFailing()} for the in-process chunkstores only, cheap enough for every turn of
     * the movers' loop (paused too): they send no heartbeat that would bring them back, so without
     * it one failed call keeps such a node out of the writable set until the next pass - forever
     * while the movers are paused, and a single server whose only node failed once refuses writes.
     */
    void probeFailingLocal() {
        probeFailing(nodes::isLocal);
    }

    private void probeFailing(java.util.function.Predicate<String> which) {
        for (String node : reachability.failing().keySet()) {
            if (!which.test(node)) {
                continue;
            }
            Optional<ChunkStoreClient> client = readable(node) ? nodes.client(node) : Optional.empty();
            if (client.isEmpty()) {
                continue;
            }
            try {
                client.get().head(new PieceId(new byte[PieceId.CHUNK_ID_LENGTH], 0)).join();
                reachability.reached(node);
            } catch (RuntimeException e) {
                if (RepairReporter.unwrap(e) instanceof PieceException.NotFound) {
                    reachability.reached(node);
                }
            }
        }
    }

    private boolean readable(String nodeId) {
        NodeRecord n = nodes.map().node(nodeId);
        return n != null && (n.state() == NodeState.UP || n.state() == NodeState.SUSPECT
                || n.state() == NodeState.DRAINING);
    }

    private static PieceLocation location(ChunkRecord chunk, int index) {
        if (chunk == null) {
            return null;
        }
        for (PieceLocation l : chunk.pieces()) {
            if (l.index() == index) {
                return l;
            }
        }
        return null;
    }

    private static void apply(Map<ChunkId, List<RepairRecord>> rows, List<RepairRecord> cleared,
                              List<RepairRecord> proven) {
        for (RepairRecord r : cleared) {
            List<RepairRecord> list = rows.get(r.chunk());
            if (list != null) {
                list.removeIf(x -> x.pieceIndex() == r.pieceIndex());
                if (list.isEmpty()) {
                    rows.remove(r.chunk());
                }
            }
        }
        for (RepairRecord r : proven) {
            List<RepairRecord> list = rows.get(r.chunk());
            for (Iterator<RepairRecord> it = list.iterator(); it.hasNext(); ) {
                if (it.next().pieceIndex() == r.pieceIndex()) {
                    it.remove();
                }
            }
            list.add(r);
        }
    }
}
