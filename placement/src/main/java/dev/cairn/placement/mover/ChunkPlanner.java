package dev.cairn.placement.mover;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.metadata.Protection;
import dev.cairn.metadata.RepairRecord;
import dev.cairn.placement.PiecePlacement;
import dev.cairn.placement.storage.RepairReasons;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;

/**
 * The movers' policy, pure: what one chunk needs, given its record, its repair rows and the
 * cluster. A piece is <em>lost</em> when its node is removed, unknown, or DOWN (or unreachable)
 * past the repair grace, when a repair row <em>proves</em> it bad on that node (verified corrupt
 * or missing), or when the record has no location for its index; lost pieces are rebuilt. A row
 * that is only a hint (a failed read not verified yet) makes the piece wait, like a piece on a
 * DOWN node within the grace: it is neither a source nor rebuilt. A readable piece is <em>misplaced</em> when its node is not
 * among the chunk's desired nodes (the placement's top choices among the member nodes, so a
 * draining node never is); misplaced pieces move onto desired nodes that hold nothing of the
 * chunk. Placement is compared as a set: pieces already on a desired node stay whatever their
 * index, so a node joining N moves about 1/(N+1) of the pieces, all onto the new node. A target
 * is always writable and holds no other piece of the chunk - except for an erasure-coded rebuild
 * when every
 * writable node already holds one (fewer nodes than pieces): then the node with the fewest pieces
 * of the chunk takes it, and the second piece on a node counts as misplaced once a node is free.
 */
public final class ChunkPlanner {
    private ChunkPlanner() {
    }

    public static ChunkPlan plan(ChunkRecord chunk, List<RepairRecord> repairs, ClusterView cluster) {
        int total = chunk.protection().totalPieces();
        int needed = chunk.protection().dataPieces();
        Set<String> bad = new HashSet<>();
        Set<String> hinted = new HashSet<>();
        for (RepairRecord r : repairs) {
            if (r.chunk().equals(chunk.id())) {
                (RepairReasons.isHint(r.reason()) ? hinted : bad).add(r.pieceIndex() + "@" + r.nodeId());
            }
        }
        PieceLocation[] byIndex = new PieceLocation[total];
        List<PieceLocation> readable = new ArrayList<>();
        Set<String> holders = new HashSet<>();
        Map<String, Integer> held = new HashMap<>();
        List<PieceLocation> doubled = new ArrayList<>();
        List<Integer> lost = new ArrayList<>();
        boolean waiting = false;
        int waitingCount = 0;
        for (PieceLocation l : chunk.pieces()) {
            if (l.index() >= total || byIndex[l.index()] != null) {
                continue; // a duplicate index or one out of range: ignore the extra location
            }
            byIndex[l.index()] = l;
            String key = l.index() + "@" + l.nodeId();
            ClusterView.Holding h = bad.contains(key) ? ClusterView.Holding.LOST : cluster.holding(l.nodeId());
            if (h == ClusterView.Holding.READABLE && hinted.contains(key)) {
                h = ClusterView.Holding.WAITING; // a failed read not verified yet: neither a source nor lost
            }
            switch (h) {
                case READABLE -> {
                    readable.add(l);
                    if (!holders.add(l.nodeId())) {
                        doubled.add(l);
                    }
                    held.merge(l.nodeId(), 1, Integer::sum);
                }
                case WAITING -> {
                    waiting = true;
                    waitingCount++;
                    holders.add(l.nodeId());
                    held.merge(l.nodeId(), 1, Integer::sum);
                }
                case LOST -> lost.add(l.index());
            }
        }
        for (int i = 0; i < total; i++) {
            if (byIndex[i] == null) {
                lost.add(i);
            }
        }
        int priority = readable.size() - needed;
        Set<String> writable = new HashSet<>();
        cluster.writable().forEach(n -> writable.add(n.id()));
        List<String> desired = PiecePlacement.place(chunk.id().bytes(), cluster.members(), total);
        List<MoveStep> out = new ArrayList<>();
        Set<String> taken = new HashSet<>(holders);
        String blocked = null;
        boolean doubling = false;
        if (!lost.isEmpty() && readable.size() < needed && readable.size() + waitingCount < needed) {
            blocked = "unreadable: " + readable.size() + " of the " + needed + " pieces needed are readable";
        } else if (!lost.isEmpty() && readable.size() >= needed) {
            LinkedHashSet<String> candidates = new LinkedHashSet<>(desired);
            candidates.addAll(PiecePlacement.place(chunk.id().bytes(), cluster.writable(), cluster.writable().size()));
            for (int index : lost) {
                String target = pick(candidates, taken, writable);
                if (target == null && chunk.protection().kind() == Protection.Kind.ERASURE) {
                    target = leastLoaded(candidates, held, writable);
                    doubling |= target != null;
                }
                if (target == null) {
                    blocked = shortOfNodes(chunk.protection(), writable.size());
                    break;
                }
                held.merge(target, 1, Integer::sum);
                PieceLocation old = byIndex[index];
                out.add(new MoveStep(index, old == null ? "" : old.nodeId(), target, MoveStep.Kind.REBUILD));
            }
            if (doubling && blocked == null) {
                blocked = shortOfNodes(chunk.protection(), writable.size());
            }
        }
        boolean draining = false;
        for (PieceLocation l : readable) {
            if (desired.contains(l.nodeId()) && !doubled.contains(l)) {
                continue;
            }
            String target = pick(desired, taken, writable);
            if (target == null) {
                if (isDraining(cluster, l.nodeId()) || doubled.contains(l)) {
                    draining |= isDraining(cluster, l.nodeId());
                    blocked = blocked != null ? blocked : shortOfNodes(chunk.protection(), writable.size());
                }
                break;
            }
            draining |= isDraining(cluster, l.nodeId());
            out.add(new MoveStep(l.index(), l.nodeId(), target, MoveStep.Kind.MOVE));
        }
        boolean full = lost.isEmpty() && !waiting && doubled.isEmpty() && readable.size() == total;
        ChunkPlan.Mover mover = !lost.isEmpty() || !doubled.isEmpty() ? ChunkPlan.Mover.REPAIR
                : draining ? ChunkPlan.Mover.DRAIN : ChunkPlan.Mover.REBALANCE;
        return new ChunkPlan(chunk, out, readable, mover, priority, waiting, full, blocked);
    }

    /** Why a chunk cannot have every piece on its own writable node. */
    static String shortOfNodes(Protection p, int writable) {
        return p.describe() + " needs " + p.totalPieces() + " writable nodes, " + writable + " available";
    }

    private static boolean isDraining(ClusterView cluster, String nodeId) {
        NodeRecord n = cluster.nodes().get(nodeId);
        return n != null && n.state() == NodeState.DRAINING;
    }

    /**
     * When every writable node already holds a piece of an erasure-coded chunk (fewer nodes than
     * pieces), a rebuilt piece goes where the chunk has the fewest pieces: full protection against the loss
     * of pieces, less against the loss of nodes, until a node joins and the doubled piece moves.
     */
    private static String leastLoaded(Iterable<String> candidates, Map<String, Integer> held, Set<String> writable) {
        String best = null;
        for (String c : candidates) {
            if (writable.contains(c) && (best == null || held.getOrDefault(c, 0) < held.getOrDefault(best, 0))) {
                best = c;
            }
        }
        return best;
    }

    /** The first candidate that holds nothing of the chunk and takes pieces; marks it taken. */
    private static String pick(Iterable<String> candidates, Set<String> taken, Set<String> writable) {
        for (String c : candidates) {
            if (!taken.contains(c) && writable.contains(c)) {
                taken.add(c);
                return c;
            }
        }
        return null;
    }
}
