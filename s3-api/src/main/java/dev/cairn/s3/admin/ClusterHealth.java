package dev.cairn.s3.admin;

import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.Protection;
import dev.cairn.placement.storage.ProtectionPolicy;

import java.util.List;

/**
 * The cluster's health as one word with a reason, from the node states, the protection in use
 * and the repair backlog. Pure.
 *
 * <ul>
 *   <li>critical: writes fail (fewer writable nodes than the write quorum) or data may be
 *       unreadable (more nodes down than the protection tolerates);</li>
 *   <li>degraded: a node is not UP, or pieces wait for repair;</li>
 *   <li>optimal: everything is where it should be.</li>
 * </ul>
 */
public record ClusterHealth(String status, String reason) {

    public static ClusterHealth of(List<NodeRecord> nodes, int writable, Protection protection, long pendingRepairs) {
        long down = nodes.stream().filter(n -> n.state() == NodeState.DOWN).count();
        long notUp = nodes.stream().filter(n -> n.state() != NodeState.UP && n.state() != NodeState.REMOVED).count();
        int quorum = ProtectionPolicy.writeQuorum(protection);
        if (writable < quorum) {
            return new ClusterHealth("critical", writable + " writable node(s), " + protection.describe()
                    + " needs " + quorum + " to accept writes");
        }
        if (down > protection.parityPieces()) {
            return new ClusterHealth("critical", down + " node(s) down, " + protection.describe()
                    + " tolerates " + protection.parityPieces());
        }
        if (notUp > 0) {
            return new ClusterHealth("degraded", notUp + " node(s) not up");
        }
        if (pendingRepairs > 0) {
            return new ClusterHealth("degraded", pendingRepairs + " piece(s) waiting for repair");
        }
        return new ClusterHealth("optimal", "all nodes up, no repairs pending");
    }
}
