package dev.cairn.s3.admin;

import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.Protection;
import dev.cairn.placement.mover.MoverProgress;
import dev.cairn.placement.storage.ProtectionPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's health as one word with a reason, computed from facts: the node states, the
 * writable nodes, the full nodes, and what the movers' last planning pass found chunk by chunk
 * ({@link MoverProgress.Facts}). Pure.
 *
 * <ul>
 *   <li>critical: writes fail (fewer writable nodes than the write quorum), or chunks cannot be
 *       read now;</li>
 *   <li>degraded: a chunk is not at full protection on distinct nodes, a node is full, or a node
 *       went silent since the last pass checked the chunks;</li>
 *   <li>optimal: every chunk at full protection on distinct nodes, no node full. A DOWN node
 *       whose pieces were all rebuilt elsewhere does not make the cluster degraded: the reason
 *       names it, to be removed.</li>
 * </ul>
 * Before the first pass (or while the last one predates a node going silent) the chunk facts are
 * unknown and the node states decide, as the reason says.
 */
public record ClusterHealth(String status, String reason) {

    public static ClusterHealth of(List<NodeRecord> nodes, int writable, Protection protection,
                                   MoverProgress.Facts facts, long mapVersion, List<String> fullNodes) {
        int quorum = ProtectionPolicy.writeQuorum(protection);
        if (writable < quorum) {
            return new ClusterHealth("critical", writable + " writable node(s), " + protection.describe()
                    + " needs " + quorum + " to accept writes");
        }
        List<String> silent = new ArrayList<>();
        for (NodeRecord n : nodes) {
            if (n.state() == NodeState.DOWN || n.state() == NodeState.SUSPECT) {
                silent.add(n.id() + " " + n.state());
            }
        }
        boolean checked = facts.mapVersion() >= 0;
        boolean current = checked && facts.mapVersion() >= mapVersion;
        if (checked && facts.unreadable() > 0) {
            return new ClusterHealth("critical", facts.unreadable() + " chunk(s) cannot be read now");
        }
        if (!current && !silent.isEmpty()) {
            long down = nodes.stream().filter(n -> n.state() == NodeState.DOWN).count();
            if (down > protection.parityPieces() && protection.kind() == Protection.Kind.ERASURE) {
                return new ClusterHealth("critical", down + " node(s) down, " + protection.describe() + " tolerates "
                        + protection.parityPieces());
            }
            return new ClusterHealth("degraded", "node(s) " + String.join(", ", silent)
                    + "; their chunks not checked since");
        }
        List<String> problems = new ArrayList<>();
        if (checked && facts.underProtected() > 0) {
            problems.add(facts.underProtected() + " chunk(s) below full protection on distinct nodes"
                    + (facts.blocked() > 0 ? " (" + facts.blocked() + " blocked: " + facts.blockedReason() + ")" : ""));
        }
        if (!fullNodes.isEmpty()) {
            problems.add("node(s) " + String.join(", ", fullNodes) + " full");
        }
        if (!problems.isEmpty()) {
            return new ClusterHealth("degraded", String.join("; ", problems));
        }
        String state = checked ? "all " + facts.chunks() + " chunk(s) at full protection on distinct nodes"
                : "all nodes up; chunk protection not checked yet";
        if (!silent.isEmpty()) {
            state += "; node(s) " + String.join(", ", silent) + " hold no piece any more (remove them)";
        }
        return new ClusterHealth(checked || silent.isEmpty() ? "optimal" : "degraded", state);
    }
}
