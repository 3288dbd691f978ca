package dev.cairn.s3.admin;

import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.Protection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterHealthTest {
    private static List<NodeRecord> nodes(NodeState... states) {
        List<NodeRecord> out = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            out.add(new NodeRecord("n" + i, "http://x", "", 0, 0, 0, states[i], 0, 0));
        }
        return out;
    }

    @Test
    void allUpAndNothingToRepairIsOptimal() {
        assertEquals("optimal", ClusterHealth.of(nodes(NodeState.UP, NodeState.UP, NodeState.UP, NodeState.UP,
                NodeState.UP, NodeState.UP), 6, Protection.erasure(4, 2), 0).status());
    }

    @Test
    void aNodeDownOrPendingRepairsIsDegraded() {
        List<NodeRecord> n = nodes(NodeState.UP, NodeState.UP, NodeState.UP, NodeState.UP, NodeState.UP,
                NodeState.DOWN);
        assertEquals("degraded", ClusterHealth.of(n, 5, Protection.erasure(4, 2), 0).status());
        assertEquals("degraded", ClusterHealth.of(nodes(NodeState.UP), 1, Protection.replicas(1), 3).status());
    }

    @Test
    void tooFewWritableNodesOrMoreDownThanParityIsCritical() {
        List<NodeRecord> n = nodes(NodeState.UP, NodeState.UP, NodeState.UP, NodeState.UP, NodeState.DOWN,
                NodeState.DOWN);
        ClusterHealth h = ClusterHealth.of(n, 4, Protection.erasure(4, 2), 0);
        assertEquals("critical", h.status());
        assertEquals("4 writable node(s), RS 4+2 needs 5 to accept writes", h.reason());
        List<NodeRecord> three = nodes(NodeState.UP, NodeState.UP, NodeState.UP, NodeState.DOWN, NodeState.DOWN,
                NodeState.DOWN);
        assertEquals("critical", ClusterHealth.of(three, 6, Protection.erasure(4, 2), 0).status());
    }
}
