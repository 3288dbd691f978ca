package dev.cairn.s3.e2e;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.metadata.RepairRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the repair mover decides from read failures, over in-process chunkstores behind fault
 * injectors, under RS 4+2 with a 10 minute repair grace: a read failure is a hint to verify, not a
 * repair order; a piece on a node that is reachable again is verified before it counts as lost;
 * only a piece proven corrupt or missing is rebuilt before the grace, and never onto a node that
 * cannot take it or onto a node that already holds a piece of the chunk.
 */
class RepairDecisionsTest {
    private static final Duration GRACE = Duration.ofMinutes(10);

    private static JsonObject repair(JsonObject status) {
        return status.getJsonObject("movers").getJsonObject("repair");
    }

    /**
     * Issue 10, behaviour 1: read failures during outages left "unreadable" rows on chunks that
     * also had one truly corrupt piece; the planner counted 3 of 6 pieces lost (4 needed), never
     * rebuilt, never cleared the rows, and said done. Every node is reachable again here: the
     * hinted pieces must be verified (and found whole), the corrupt one rebuilt, and then two
     * more nodes can fail with every object still readable.
     */
    @Test
    void repairIsNotStuckWhenReadFailuresOnNodesBackUpOutnumberTheParity() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(6, "rs4+2", FaultyCluster.movers(GRACE, true))) {
            Map<String, byte[]> objects = c.putObjects("stuck", 6, 2);
            // one piece truly corrupt on disk, in every chunk of o0
            List<ChunkRecord> victims = c.chunksOf("stuck", "o0");
            Map<String, Integer> corrupted = new HashMap<>();
            for (ChunkRecord chunk : victims) {
                PieceLocation bad = chunk.pieces().get(0);
                c.corruptOnDisk(bad, chunk.id());
                corrupted.put(chunk.id() + "." + bad.index(), bad.index());
            }
            // two short outages of two other nodes while clients read: each read still succeeds
            ChunkRecord first = victims.get(0);
            for (int outage = 1; outage <= 2; outage++) {
                String node = first.pieces().get(outage).nodeId();
                c.node(node).down(true);
                objects.forEach((k, v) -> assertArrayEquals(v, c.get("stuck", k), k));
                c.node(node).down(false);
            }
            long hinted = c.metadata().listRepairs(1000).stream()
                    .filter(r -> r.chunk().equals(first.id())).count();
            assertEquals(3, hinted, "rows on the chunk: the corrupt piece and two unreadable ones "
                    + c.metadata().listRepairs(1000));

            c.admin("POST", "/admin/rebalances/resume");
            JsonObject done = c.awaitSettled(Duration.ofSeconds(60));
            assertEquals(List.of(), c.metadata().listRepairs(1000), "no repair row is left behind");
            assertEquals(corrupted.size(), repair(done).getLong("piecesMoved"),
                    "only the corrupt pieces are rebuilt; the hinted ones were verified whole: " + done.encode());
            assertEquals(0, repair(done).getLong("errors"), done.encode());
            assertEquals(List.of(), c.notFullyProtected(6));

            // the next two failures lose nothing
            c.node("local-0").down(true);
            c.node("local-1").down(true);
            objects.forEach((k, v) -> assertArrayEquals(v, c.get("stuck", k), k));
        }
    }

    /**
     * Issue 10, behaviour 2: a GET failing on a freshly dead node started a rebuild at once (the
     * grace is 10 minutes), sometimes aimed at the dead node itself, and doubled pieces up on one
     * node. The read failure must only be a hint: no rebuild within the grace while the node
     * cannot be reached, no move aimed at it, no node with two pieces of a chunk; a piece proven
     * corrupt is rebuilt at once, elsewhere.
     */
    @Test
    void aReadFailureOnADeadNodeWaitsForTheGraceAndNoMoveTargetsTheDeadNode() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(7, "rs4+2", FaultyCluster.movers(GRACE, false))) {
            Map<String, byte[]> objects = c.putObjects("dead", 8, 2);
            c.awaitSettled(Duration.ofSeconds(60));
            String dead = c.chunksOf("dead", "o0").get(0).pieces().get(1).nodeId();
            long onDead = c.allChunks().stream().filter(ch -> ch.pieces().stream()
                    .anyMatch(l -> l.nodeId().equals(dead))).count();
            assertTrue(onDead > 0);

            c.node(dead).down(true); // killed: the map still says UP
            objects.forEach((k, v) -> assertArrayEquals(v, c.get("dead", k), k));
            // reads record their failures on a worker after answering: wait for the row
            List<RepairRecord> recorded = S3Asserts.repairsOnceAny(c.metadata(), r -> r.nodeId().equals(dead));
            assertTrue(recorded.stream().anyMatch(r -> r.nodeId().equals(dead)),
                    "the failed reads are recorded: " + recorded);
            JsonObject after = c.awaitPasses(3);
            assertEquals(0, repair(after).getLong("piecesMoved"), "nothing rebuilt within the grace: "
                    + after.encode());
            assertEquals(0, after.getLong("errors"), "no move aimed at the dead node: " + after.encode());
            assertEquals(onDead, c.allChunks().stream().filter(ch -> ch.pieces().stream()
                    .anyMatch(l -> l.nodeId().equals(dead))).count(), "the dead node's pieces wait for the grace");

            // a piece proven corrupt on a live node is rebuilt now, on a node other than the dead one
            ChunkRecord chunk = c.chunksOf("dead", "o3").get(0);
            PieceLocation bad = chunk.pieces().stream().filter(l -> !l.nodeId().equals(dead)).findFirst().orElseThrow();
            c.corruptOnDisk(bad, chunk.id());
            assertArrayEquals(objects.get("o3"), c.get("dead", "o3"));
            JsonObject fixed = c.awaitMovers("the corrupt piece rebuilt", r -> repair(r).getLong("piecesMoved") >= 1,
                    Duration.ofSeconds(30));
            c.awaitPasses(2);
            ChunkRecord now = c.metadata().getChunks(List.of(chunk.id())).get(0).orElseThrow();
            PieceLocation rebuilt = now.pieces().stream().filter(l -> l.index() == bad.index()).findFirst().orElseThrow();
            assertTrue(!rebuilt.nodeId().equals(dead), "rebuilt away from the dead node: " + now);
            assertEquals(0, c.rebalances().getLong("errors"), "no move aimed at the dead node: " + fixed.encode());
            for (ChunkRecord ch : c.allChunks()) {
                assertEquals(ch.pieces().size(), ch.pieces().stream().map(PieceLocation::nodeId).distinct().count(),
                        "never two pieces of a chunk on one node: " + ch);
            }
            List<RepairRecord> left = new ArrayList<>(c.metadata().listRepairs(1000));
            assertTrue(left.stream().allMatch(r -> r.nodeId().equals(dead)),
                    "only the dead node's hints wait: " + left);
        }
    }
}
