package dev.cairn.s3.e2e;

import dev.cairn.metadata.ChunkRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A plan that cannot be met says so: draining one of exactly six chunkstores under RS 4+2 leaves
 * nowhere for its pieces to go, so the movers report {@code blocked} with the reason and the
 * chunks affected - in {@code GET /admin/rebalances}, {@code /admin/summary}, the metrics and the
 * refusal of {@code remove} - never {@code done}.
 */
class BlockedMoversTest {

    /** Issue 10, behaviour 3: the drain reported "done, 0 to move" with pieces still on the node. */
    @Test
    void aDrainThatCannotBeMetIsBlockedWithItsReasonNeverDone() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(6, "rs4+2", FaultyCluster.movers(Duration.ofMinutes(10), false))) {
            Map<String, byte[]> objects = c.putObjects("blocked", 6, 2);
            c.awaitSettled(Duration.ofSeconds(60));
            long onNode = c.allChunks().stream()
                    .filter(ch -> ch.pieces().stream().anyMatch(l -> l.nodeId().equals("local-5"))).count();
            assertTrue(onNode > 0);

            c.admin("POST", "/admin/nodes/local-5/drain");
            JsonObject status = c.awaitMovers("blocked", r -> "blocked".equals(r.getString("state")),
                    Duration.ofSeconds(30));
            JsonObject blocked = status.getJsonObject("blocked");
            assertEquals(onNode, blocked.getLong("chunks"), status.encodePrettily());
            String reason = blocked.getString("reason");
            assertTrue(reason.contains("RS 4+2 needs 6 writable nodes") && reason.contains("5"), reason);
            assertEquals(onNode, status.getJsonObject("movers").getJsonObject("drain").getLong("blockedChunks"));
            c.awaitPasses(2);
            assertEquals("blocked", c.rebalances().getString("state"), "it stays blocked, never done");

            JsonObject summary = c.summary();
            assertEquals("blocked", summary.getJsonObject("movers").getString("state"), summary.encodePrettily());
            assertEquals(reason, summary.getJsonObject("movers").getString("reason"));
            assertTrue(c.metrics().contains("cairn_mover_blocked_chunks{mover=\"drain\"} " + onNode + ".0"),
                    "the metric says so too");

            var removed = AdminHttp.root(c.server(), "POST", "/admin/nodes/local-5/remove", null);
            assertEquals(409, removed.statusCode());
            assertTrue(removed.body().contains(reason), "the refusal says why: " + removed.body());

            // a write still succeeds at its quorum; its missing piece is blocked too, with the same reason
            byte[] more = FaultyCluster.random(FaultyCluster.CHUNK, 5);
            c.s3.putObject(b -> b.bucket("blocked").key("late"),
                    software.amazon.awssdk.core.sync.RequestBody.fromBytes(more));
            ChunkRecord late = c.chunksOf("blocked", "late").get(0);
            assertEquals(5, late.pieces().size());
            JsonObject after = c.awaitMovers("the new chunk counted", r -> "blocked".equals(r.getString("state"))
                    && r.getJsonObject("movers").getJsonObject("repair").getLong("blockedChunks") == 1,
                    Duration.ofSeconds(30));
            assertEquals(onNode + 1, after.getJsonObject("blocked").getLong("chunks"), after.encodePrettily());
            objects.forEach((k, v) -> assertArrayEquals(v, c.get("blocked", k), k));
        }
    }
}
