package dev.cairn.s3.e2e;

import dev.cairn.chunkstore.node.ChunkstoreNode;
import dev.cairn.chunkstore.node.NodeConfig;
import dev.cairn.metadata.PieceLocation;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Health is computed from facts: optimal only while every chunk is at full protection on
 * distinct nodes and no node is full. Real chunkstore nodes join the in-process server over HTTP
 * (heartbeat every second, DOWN after two), beside its in-process chunkstores.
 */
class ClusterHealthFactsTest {
    private static final String SECRET = "health-facts-cluster-secret-0123456789";

    @TempDir
    Path dir;

    private static FaultyCluster cluster(int localStores, String protection, Duration grace) {
        return FaultyCluster.start(localStores, c -> c.withProtection(protection)
                .withMovers(FaultyCluster.movers(grace, false))
                .withCluster(SECRET, Duration.ofSeconds(1), Duration.ofSeconds(2)));
    }

    private ChunkstoreNode join(FaultyCluster c, String name, long capacity) throws Exception {
        ChunkstoreNode node = ChunkstoreNode.start(NodeConfig.of(dir.resolve(name), SECRET)
                .withListen("127.0.0.1", 0)
                .withJoin(c.server().adminEndpoint().toString(), "127.0.0.1", Duration.ofSeconds(1))
                .withCapacity(capacity)
                .withIdentity(name, null));
        awaitSummary(c, name + " UP", s -> s.getJsonObject("nodes").getInteger("UP", 0) >= 1
                && c.server().server().clusterMap().node(name) != null);
        return node;
    }

    private static JsonObject awaitSummary(FaultyCluster c, String what, Predicate<JsonObject> ok) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            last = c.summary();
            if (ok.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not " + what + " within 60 s: " + (last == null ? null : last.encodePrettily()));
    }

    /** Issue 10, behaviour 5 (first half): "optimal, 0 pending" while a full piece store refused writes. */
    @Test
    void healthIsDegradedWhileANodeIsFullAndRefusesWrites() throws Exception {
        try (FaultyCluster c = cluster(2, "3copies", Duration.ofMinutes(10));
             ChunkstoreNode small = join(c, "small", 6 * FaultyCluster.CHUNK + 1000)) {
            assertEquals("optimal", awaitSummary(c, "optimal", s -> "optimal".equals(s.getString("health")))
                    .getString("health"));
            Map<String, byte[]> objects = c.putObjects("full", 8, 1); // 16 chunks: 3 copies need all three nodes
            JsonObject s = awaitSummary(c, "small reported full", x -> "degraded".equals(x.getString("health"))
                    && x.getString("reason").contains("small full"));
            assertEquals("[\"small\"]", s.getJsonArray("fullNodes").encode(), s.encodePrettily());
            objects.forEach((k, v) -> assertArrayEquals(v, c.get("full", k), k));
        }
    }

    /** Issue 10, behaviour 5 (second half): "degraded" forever after a complete repair, until the dead node was removed. */
    @Test
    void healthIsOptimalAgainOnceEveryPieceOfADeadNodeIsRebuilt() throws Exception {
        try (FaultyCluster c = cluster(3, "3copies", Duration.ofSeconds(1))) {
            ChunkstoreNode doomed = join(c, "doomed", 0);
            Map<String, byte[]> objects = c.putObjects("dead", 12, 1);
            long onDoomed = c.allChunks().stream().filter(ch -> ch.pieces().stream()
                    .map(PieceLocation::nodeId).anyMatch("doomed"::equals)).count();
            assertTrue(onDoomed > 0);
            doomed.close();
            awaitSummary(c, "degraded while its pieces are missing", x -> "degraded".equals(x.getString("health"))
                    && x.getString("reason").contains("below full protection"));
            c.awaitMovers("repaired", r -> r.getJsonObject("movers").getJsonObject("repair").getLong("piecesMoved")
                    >= onDoomed, Duration.ofSeconds(60));
            c.awaitSettled(Duration.ofSeconds(60));
            JsonObject after = awaitSummary(c, "optimal after the repair", x -> "optimal".equals(x.getString("health")));
            assertEquals(1, after.getJsonObject("nodes").getInteger("DOWN"), "the dead node is still in the map");
            assertTrue(after.getString("reason").contains("doomed"), "and the reason names it: " + after.encode());
            assertEquals(0, c.allChunks().stream().filter(ch -> ch.pieces().stream()
                    .map(PieceLocation::nodeId).anyMatch("doomed"::equals)).count());
            objects.forEach((k, v) -> assertArrayEquals(v, c.get("dead", k), k));
        }
    }
}
