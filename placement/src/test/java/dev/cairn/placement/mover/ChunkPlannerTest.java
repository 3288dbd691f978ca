package dev.cairn.placement.mover;

import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.metadata.Protection;
import dev.cairn.metadata.RepairRecord;
import dev.cairn.placement.PiecePlacement;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkPlannerTest {
    private static final long NOW = 1_000_000;
    private static final Duration GRACE = Duration.ofMinutes(10);

    private static NodeRecord node(String id, NodeState state, long lastBeat) {
        return new NodeRecord(id, "http://x", "", 1L << 30, 0, 0, state, lastBeat, 0);
    }

    private static ClusterView view(Map<String, NodeState> states) {
        List<NodeRecord> nodes = new ArrayList<>();
        states.forEach((id, s) -> nodes.add(node(id, s, s == NodeState.DOWN ? NOW - GRACE.toMillis() - 1 : NOW)));
        return view(nodes);
    }

    private static ClusterView view(List<NodeRecord> nodes) {
        List<PiecePlacement.Node> writable = nodes.stream().filter(n -> n.state() == NodeState.UP)
                .map(PiecePlacement.Node::of).toList();
        return ClusterView.of(nodes, writable, NOW, GRACE, 0);
    }

    private static Map<String, NodeState> up(int n) {
        Map<String, NodeState> m = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            m.put("n" + i, NodeState.UP);
        }
        return m;
    }

    /** A chunk placed where the cluster wants it. */
    private static ChunkRecord placed(Protection p, ClusterView v) {
        ChunkId id = ChunkId.random();
        List<String> where = PiecePlacement.place(id.bytes(), v.members(), p.totalPieces());
        List<PieceLocation> pieces = new ArrayList<>();
        for (int i = 0; i < where.size(); i++) {
            pieces.add(new PieceLocation(i, where.get(i), 100, i));
        }
        return new ChunkRecord(id, 200, p, pieces);
    }

    private static Set<String> holders(ChunkRecord c, ChunkPlan plan) {
        Set<String> out = new HashSet<>();
        c.pieces().forEach(l -> out.add(l.nodeId()));
        plan.steps().forEach(s -> {
            out.remove(s.fromNode());
            out.add(s.toNode());
        });
        return out;
    }

    @Test
    void aWellPlacedChunkNeedsNothing() {
        ClusterView v = view(up(6));
        ChunkRecord c = placed(Protection.erasure(4, 2), v);
        ChunkPlan plan = ChunkPlanner.plan(c, List.of(), v);
        assertTrue(plan.idle());
        assertEquals(2, plan.priority());
    }

    @Test
    void aNodeJoiningMovesAboutItsFairShareAllOntoTheNewNode() {
        Map<String, NodeState> four = up(4);
        ClusterView before = view(four);
        Map<String, NodeState> five = new TreeMap<>(four);
        five.put("n4", NodeState.UP);
        ClusterView after = view(five);
        int chunks = 4000;
        int moved = 0;
        for (int i = 0; i < chunks; i++) {
            ChunkRecord c = placed(Protection.erasure(2, 1), before);
            ChunkPlan plan = ChunkPlanner.plan(c, List.of(), after);
            for (MoveStep s : plan.steps()) {
                assertEquals("n4", s.toNode(), "every move goes onto the new node");
                assertEquals(MoveStep.Kind.MOVE, s.kind());
                moved++;
            }
            assertEquals(ChunkPlan.Mover.REBALANCE, plan.mover());
            assertTrue(plan.steps().size() <= 1, "at most one piece of a chunk moves to the one new node");
        }
        double ideal = chunks * 3 / 5.0;
        double ratio = moved / ideal;
        assertTrue(ratio > 0.9 && ratio < 1.1, "moved " + moved + " pieces, ideal " + ideal + " (ratio " + ratio + ")");
    }

    @Test
    void aDrainingNodeGivesUpEveryPieceToNodesThatHoldNoneOfTheChunk() {
        Map<String, NodeState> states = up(6);
        ClusterView before = view(states);
        states.put("n2", NodeState.DRAINING);
        ClusterView draining = view(states);
        for (int i = 0; i < 300; i++) {
            ChunkRecord c = placed(Protection.erasure(4, 1), before);
            boolean onN2 = c.pieces().stream().anyMatch(l -> l.nodeId().equals("n2"));
            ChunkPlan plan = ChunkPlanner.plan(c, List.of(), draining);
            assertEquals(onN2, !plan.idle());
            if (onN2) {
                assertEquals(ChunkPlan.Mover.DRAIN, plan.mover());
                assertEquals(1, plan.steps().size());
                assertEquals("n2", plan.steps().get(0).fromNode());
                assertFalse(c.pieces().stream().anyMatch(l -> l.nodeId().equals(plan.steps().get(0).toNode())));
                assertEquals(5, holders(c, plan).size());
            }
        }
    }

    @Test
    void piecesOnANodeDownPastTheGraceAreRebuiltButNotWithinIt() {
        Map<String, NodeState> states = up(7);
        ClusterView healthy = view(states);
        ChunkRecord c = placed(Protection.erasure(4, 2), healthy);
        String victim = c.pieces().get(1).nodeId();
        List<NodeRecord> nodes = new ArrayList<>();
        states.forEach((id, s) -> nodes.add(node(id, id.equals(victim) ? NodeState.DOWN : s,
                id.equals(victim) ? NOW - 1000 : NOW)));
        ChunkPlan within = ChunkPlanner.plan(c, List.of(), view(nodes));
        assertTrue(within.idle(), "within the grace nothing moves");
        assertTrue(within.waiting());

        states.put(victim, NodeState.DOWN);
        ChunkPlan past = ChunkPlanner.plan(c, List.of(), view(states));
        assertEquals(ChunkPlan.Mover.REPAIR, past.mover());
        assertEquals(1, past.steps().size());
        MoveStep s = past.steps().get(0);
        assertEquals(new MoveStep(1, victim, s.toNode(), MoveStep.Kind.REBUILD), s);
        assertEquals(1, past.priority(), "5 readable pieces, 4 needed");
        assertEquals(6, holders(c, past).size());
        assertFalse(holders(c, past).contains(victim));
    }

    @Test
    void repairRowsAndMissingIndexesAreRebuiltAndCloserToLossComesFirst() {
        ClusterView v = view(up(6));
        ChunkRecord full = placed(Protection.erasure(4, 2), v);
        List<PieceLocation> fewer = new ArrayList<>(full.pieces());
        fewer.remove(5); // a write that missed piece 5
        ChunkRecord c = new ChunkRecord(full.id(), full.size(), full.protection(), fewer);
        PieceLocation corrupt = fewer.get(0);
        ChunkPlan plan = ChunkPlanner.plan(c, List.of(new RepairRecord(c.id(), 0, "corrupt", corrupt.nodeId(), 1)), v);
        assertEquals(ChunkPlan.Mover.REPAIR, plan.mover());
        assertEquals(Set.of(0, 5), Set.copyOf(plan.steps().stream().map(MoveStep::pieceIndex).toList()));
        assertEquals(0, plan.priority(), "4 readable pieces, 4 needed: next loss loses data");

        ChunkPlan stale = ChunkPlanner.plan(full,
                List.of(new RepairRecord(full.id(), 0, "corrupt", "some-other-node", 1)), v);
        assertTrue(stale.idle(), "a repair row for a location the piece has left is ignored");
    }

    @Test
    void anUnreadableChunkIsNotRepairedAndTargetsAreAlwaysWritable() {
        Map<String, NodeState> states = up(3);
        ClusterView v = view(states);
        ChunkRecord c = placed(Protection.replicas(3), v);
        states.put(c.pieces().get(0).nodeId(), NodeState.DOWN);
        states.put(c.pieces().get(1).nodeId(), NodeState.SUSPECT);
        ChunkPlan plan = ChunkPlanner.plan(c, List.of(), view(states));
        assertTrue(plan.idle(), "a copy never doubles up on a node that holds one; the others are not writable");
        assertEquals(1, plan.priority());
        states.put(c.pieces().get(1).nodeId(), NodeState.REMOVED);
        states.put(c.pieces().get(2).nodeId(), NodeState.REMOVED);
        assertEquals(-1, ChunkPlanner.plan(c, List.of(), view(states)).priority());
    }

    @Test
    void silenceCountsOnlyFromWhenTheServerStartedWatching() {
        Map<String, NodeState> states = up(7);
        ClusterView healthy = view(states);
        ChunkRecord c = placed(Protection.erasure(4, 2), healthy);
        List<NodeRecord> nodes = new ArrayList<>();
        states.forEach((id, s) -> nodes.add(node(id, id.equals(c.pieces().get(0).nodeId()) ? NodeState.DOWN : s,
                id.equals(c.pieces().get(0).nodeId()) ? NOW - 10 * GRACE.toMillis() : NOW)));
        List<PiecePlacement.Node> writable = nodes.stream().filter(n -> n.state() == NodeState.UP)
                .map(PiecePlacement.Node::of).toList();
        assertTrue(ChunkPlanner.plan(c, List.of(), ClusterView.of(nodes, writable, NOW, GRACE, NOW - 1000)).waiting(),
                "a server up for a second has not seen the node silent for the grace");
        assertEquals(1, ChunkPlanner.plan(c, List.of(), ClusterView.of(nodes, writable, NOW, GRACE, 0)).steps().size());
    }

    @Test
    void withFewerNodesThanPiecesARebuildDoublesUpAndMovesApartOnceANodeIsFree() {
        Map<String, NodeState> states = up(6);
        ChunkRecord c = placed(Protection.erasure(4, 2), view(states));
        String victim = c.pieces().get(3).nodeId();
        states.put(victim, NodeState.DOWN);
        ChunkPlan plan = ChunkPlanner.plan(c, List.of(), view(states));
        assertEquals(1, plan.steps().size(), "full protection even on five nodes");
        MoveStep s = plan.steps().get(0);
        assertTrue(!s.toNode().equals(victim) && c.pieces().stream().anyMatch(l -> l.nodeId().equals(s.toNode())));

        List<PieceLocation> repaired = new ArrayList<>(c.pieces());
        repaired.set(3, new PieceLocation(3, s.toNode(), 100, 3));
        ChunkRecord doubled = new ChunkRecord(c.id(), c.size(), c.protection(), repaired);
        assertTrue(ChunkPlanner.plan(doubled, List.of(), view(states)).idle(), "nowhere better to go");
        states.put("n9", NodeState.UP);
        ChunkPlan apart = ChunkPlanner.plan(doubled, List.of(), view(states));
        assertEquals(1, apart.steps().size(), apart.steps().toString());
        assertEquals("n9", apart.steps().get(0).toNode());
        assertEquals(s.toNode(), apart.steps().get(0).fromNode());
    }

    @Test
    void aFailedReadIsOnlyAHintAndAnUnreachableNodeIsNeverATarget() {
        Map<String, NodeState> states = up(7);
        ClusterView v = view(states);
        ChunkRecord c = placed(Protection.erasure(4, 2), v);
        PieceLocation hinted = c.pieces().get(2);
        RepairRecord unreadable = new RepairRecord(c.id(), 2, "unreadable", hinted.nodeId(), 1);
        ChunkPlan plan = ChunkPlanner.plan(c, List.of(unreadable), v);
        assertTrue(plan.idle(), "a hint is verified first, not rebuilt: " + plan.steps());
        assertTrue(plan.waiting());
        assertFalse(plan.sources().contains(hinted), "nor read from");

        String free = states.keySet().stream().filter(n -> c.pieces().stream().noneMatch(l -> l.nodeId().equals(n)))
                .findFirst().orElseThrow();
        List<NodeRecord> nodes = new ArrayList<>();
        states.forEach((id, st) -> nodes.add(node(id, st, NOW)));
        List<PiecePlacement.Node> writable = nodes.stream().map(PiecePlacement.Node::of).toList();
        ClusterView failing = ClusterView.of(nodes, writable, NOW, GRACE, 0, Map.of(free, NOW - 1000));
        RepairRecord proven = new RepairRecord(c.id(), 0, "corrupt", c.pieces().get(0).nodeId(), 1);
        ChunkPlan rebuild = ChunkPlanner.plan(c, List.of(proven), failing);
        assertEquals(1, rebuild.steps().size(), "proof is rebuilt within the grace");
        assertEquals(c.pieces().get(0).nodeId(), rebuild.steps().get(0).toNode(),
                "rewritten in place: the one node without a piece cannot be reached");

        ClusterView holderFailing = ClusterView.of(nodes, writable, NOW, GRACE, 0, Map.of(hinted.nodeId(), NOW - 1000));
        assertTrue(ChunkPlanner.plan(c, List.of(), holderFailing).waiting(), "an unreachable holder's piece waits");
        ClusterView longFailing = ClusterView.of(nodes, writable, NOW, GRACE, 0,
                Map.of(hinted.nodeId(), NOW - GRACE.toMillis() - 1));
        ChunkPlan lost = ChunkPlanner.plan(c, List.of(), longFailing);
        assertEquals(List.of(new MoveStep(2, hinted.nodeId(), lost.steps().get(0).toNode(), MoveStep.Kind.REBUILD)),
                lost.steps(), "unreachable past the grace: lost");
        assertFalse(lost.steps().get(0).toNode().equals(hinted.nodeId()));
    }
}
