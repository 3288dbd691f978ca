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
 * belong where they are: not draining, removed or down past the repair grace), the writable
 * nodes (that take new pieces), the time and the repair grace.
 */
public record ClusterView(Map<String, NodeRecord> nodes, List<PiecePlacement.Node> members,
                          List<PiecePlacement.Node> writable, long nowMillis, Duration repairGrace) {

    public ClusterView {
        nodes = Map.copyOf(nodes);
        members = List.copyOf(members);
        writable = List.copyOf(writable);
    }

    /** A view of {@code nodes}, with {@code writable} the nodes that take new pieces now. */
    public static ClusterView of(List<NodeRecord> nodes, List<PiecePlacement.Node> writable, long nowMillis,
                                 Duration repairGrace) {
        Map<String, NodeRecord> byId = new HashMap<>();
        List<PiecePlacement.Node> members = new ArrayList<>();
        for (NodeRecord n : nodes) {
            byId.put(n.id(), n);
            if (n.state() == NodeState.UP || n.state() == NodeState.SUSPECT
                    || (n.state() == NodeState.DOWN && !pastGrace(n, nowMillis, repairGrace))) {
                members.add(PiecePlacement.Node.of(n));
            }
        }
        return new ClusterView(byId, members, writable, nowMillis, repairGrace);
    }

    /** What a piece on {@code nodeId} is worth now. */
    public Holding holding(String nodeId) {
        NodeRecord n = nodes.get(nodeId);
        if (n == null || n.state() == NodeState.REMOVED) {
            return Holding.LOST;
        }
        return switch (n.state()) {
            case UP, SUSPECT, DRAINING -> Holding.READABLE;
            case DOWN -> pastGrace(n, nowMillis, repairGrace) ? Holding.LOST : Holding.WAITING;
            default -> Holding.LOST;
        };
    }

    /** A DOWN node is given up on once {@code grace} has passed since its last heartbeat. */
    static boolean pastGrace(NodeRecord n, long now, Duration grace) {
        return now - n.lastHeartbeatMillis() >= grace.toMillis();
    }

    /** READABLE: serve and copy it; WAITING: its node is down within the grace; LOST: rebuild it. */
    public enum Holding { READABLE, WAITING, LOST }
}
