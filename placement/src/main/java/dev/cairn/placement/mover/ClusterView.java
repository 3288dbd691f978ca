package dev.cairn.placement.mover;

import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.placement.PiecePlacement;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as one planning pass sees it: every node by id, the members (nodes whose pieces
 * belong where they are: not draining, removed or lost), the writable nodes (that take new
 * pieces), the time, and when a silent node counts as lost: after {@code lostAfter} of silence
 * (the down timeout plus the repair grace), counted from its last heartbeat or from
 * {@code watchingSinceMillis} (when this server started watching), whichever is later - so a
 * server that was itself down does not take every node for lost when it comes back. Nodes in
 * {@code failing} (id -> since when) are ones the movers could not reach although the map still
 * calls them up: they take no piece, and their pieces wait as a DOWN node's do.
 */
public record ClusterView(Map<String, NodeRecord> nodes, List<PiecePlacement.Node> members,
                          List<PiecePlacement.Node> writable, long nowMillis, Duration lostAfter,
                          long watchingSinceMillis, Map<String, Long> failing) {

    public ClusterView {
        nodes = Map.copyOf(nodes);
        members = List.copyOf(members);
        writable = List.copyOf(writable);
        failing = Map.copyOf(failing);
    }

    /** A view of {@code nodes}, with {@code writable} the nodes that take new pieces now. */
    public static ClusterView of(List<NodeRecord> nodes, List<PiecePlacement.Node> writable, long nowMillis,
                                 Duration lostAfter, long watchingSinceMillis) {
        return of(nodes, writable, nowMillis, lostAfter, watchingSinceMillis, Map.of());
    }

    /** As {@link #of(List, List, long, Duration, long)}, with the nodes the movers cannot reach. */
    public static ClusterView of(List<NodeRecord> nodes, List<PiecePlacement.Node> writable, long nowMillis,
                                 Duration lostAfter, long watchingSinceMillis, Map<String, Long> failing) {
        Map<String, NodeRecord> byId = new HashMap<>();
        List<PiecePlacement.Node> members = new ArrayList<>();
        for (NodeRecord n : nodes) {
            byId.put(n.id(), n);
            if (n.state() == NodeState.UP || n.state() == NodeState.SUSPECT
                    || (n.state() == NodeState.DOWN && !lost(n, nowMillis, lostAfter, watchingSinceMillis))) {
                members.add(PiecePlacement.Node.of(n));
            }
        }
        List<PiecePlacement.Node> reachable = writable.stream().filter(n -> !failing.containsKey(n.id())).toList();
        return new ClusterView(byId, members, reachable, nowMillis, lostAfter, watchingSinceMillis, failing);
    }

    /** What a piece on {@code nodeId} is worth now. */
    public Holding holding(String nodeId) {
        NodeRecord n = nodes.get(nodeId);
        if (n == null || n.state() == NodeState.REMOVED) {
            return Holding.LOST;
        }
        return switch (n.state()) {
            case UP, SUSPECT, DRAINING -> failing.containsKey(nodeId)
                    ? (nowMillis - Math.max(failing.get(nodeId), watchingSinceMillis) >= lostAfter.toMillis()
                    ? Holding.LOST : Holding.WAITING)
                    : Holding.READABLE;
            case DOWN -> lost(n, nowMillis, lostAfter, watchingSinceMillis) ? Holding.LOST : Holding.WAITING;
            default -> Holding.LOST;
        };
    }

    /** A DOWN node is given up on once it has been silent for {@code lostAfter} while watched. */
    static boolean lost(NodeRecord n, long now, Duration lostAfter, long watchingSince) {
        return now - Math.max(n.lastHeartbeatMillis(), watchingSince) >= lostAfter.toMillis();
    }

    /** READABLE: serve and copy it; WAITING: its node is down (or unreachable) within the grace; LOST: rebuild it. */
    public enum Holding { READABLE, WAITING, LOST }
}
