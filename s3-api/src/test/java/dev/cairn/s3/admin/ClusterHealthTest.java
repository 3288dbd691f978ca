package dev.cairn.s3.admin;

import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.Protection;
import dev.cairn.placement.mover.MoverProgress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterHealthTest {
    private static final Protection RS42 = Protection.erasure(4, 2);

    private static List<NodeRecord> nodes(NodeState... states) {
        List<NodeRecord> out = new ArrayList<>();
        for (int i = 0; i < states.length; i++) {
            out.add(new NodeRecord("n" + i, "http://x", "", 0, 0, 0, states[i], 0, 0));
        }
        return out;
    }

    private static List<NodeRecord> up(int n) {
        NodeState[] s = new NodeState[n];
        java.util.Arrays.fill(s, NodeState.UP);
        return nodes(s);
    }

    /** A pass over 100 chunks at map version 7. */
    private static MoverProgress.Facts facts(long under, long unreadable, long blocked) {
        return new MoverProgress.Facts(100, under, unreadable, blocked, blocked > 0 ? "RS 4+2 needs 6" : null, 7);
    }

    @Test
    void everyChunkFullyProtectedAndNoNodeFullIsOptimal() {
        ClusterHealth h = ClusterHealth.of(up(6), 6, RS42, facts(0, 0, 0), 7, List.of());
        assertEquals("optimal", h.status());
        assertEquals("all 100 chunk(s) at full protection on distinct nodes", h.reason());
    }

    @Test
    void chunksBelowFullProtectionOrAFullNodeAreDegraded() {
        ClusterHealth under = ClusterHealth.of(up(6), 6, RS42, facts(3, 0, 3), 7, List.of());
        assertEquals("degraded", under.status());
        assertTrue(under.reason().startsWith("3 chunk(s) below full protection") && under.reason().contains("blocked"),
                under.reason());
        ClusterHealth full = ClusterHealth.of(up(6), 6, RS42, facts(0, 0, 0), 7, List.of("n3"));
        assertEquals(new ClusterHealth("degraded", "node(s) n3 full"), full);
    }

    @Test
    void aDeadNodeWhosePiecesWereRebuiltLeavesTheClusterOptimalAndIsNamed() {
        List<NodeRecord> n = nodes(NodeState.UP, NodeState.UP, NodeState.UP, NodeState.UP, NodeState.UP,
                NodeState.UP, NodeState.DOWN);
        ClusterHealth h = ClusterHealth.of(n, 6, RS42, facts(0, 0, 0), 7, List.of());
        assertEquals("optimal", h.status());
        assertTrue(h.reason().contains("n6 DOWN hold no piece"), h.reason());
        ClusterHealth stale = ClusterHealth.of(n, 6, RS42, facts(0, 0, 0), 8, List.of());
        assertEquals("degraded", stale.status(), "a pass older than the node's fall does not vouch for its chunks");
    }

    @Test
    void tooFewWritableNodesOrUnreadableChunksAreCritical() {
        List<NodeRecord> n = nodes(NodeState.UP, NodeState.UP, NodeState.UP, NodeState.UP, NodeState.DOWN,
                NodeState.DOWN);
        ClusterHealth h = ClusterHealth.of(n, 4, RS42, facts(0, 0, 0), 7, List.of());
        assertEquals("critical", h.status());
        assertEquals("4 writable node(s), RS 4+2 needs 5 to accept writes", h.reason());
        assertEquals(new ClusterHealth("critical", "2 chunk(s) cannot be read now"),
                ClusterHealth.of(up(6), 6, RS42, facts(2, 2, 0), 7, List.of()));
    }
}
