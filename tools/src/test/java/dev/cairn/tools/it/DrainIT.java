package dev.cairn.tools.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cairn admin drain} empties a node of six while a client writes and reads: the node ends
 * with no piece, every chunk keeps its three pieces on three nodes, every object reads back, and
 * {@code cairn admin remove} - refused while the node held pieces - then succeeds.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DrainIT {
    @TempDir
    Path dir;

    @Test
    void drainEmptiesTheNodeWithFullProtectionThenRemoveSucceeds() throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start("DrainIT", dir, 6, "rs2+1", ClusterFixture.FAST_MOVERS);
             S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket("data"));
            Map<String, SeededBytes> objects = new LinkedHashMap<>();
            for (int i = 0; i < 40; i++) {
                objects.put("obj/" + i, new SeededBytes(900 + i, 3 * TestFiles.MiB + i * 100_003L));
            }
            SeededObjects.forEach(objects, 4, (key, content) -> {
                SeededObjects.put(s3, "data", key, content);
                return "";
            });
            NodeProcess victim = cluster.nodes().get(5);
            assertTrue(PieceLayout.of(cluster).piecesOn(victim.id()) > 0);

            CommandLine.Result refused = cluster.cli("remove", victim.id());
            assertNotEquals(0, refused.exitCode(), refused.describe("remove of a node holding pieces"));
            assertTrue(refused.stderr().contains("409"), refused.describe("remove refused with 409"));

            ClientLoad load = ClientLoad.start(cluster, "load");
            try {
                ServerProcess.sleep(1000);
                CommandLine.Result drain = cluster.cli("drain", victim.id()).assertOk();
                assertTrue(drain.stdout().contains("DRAINING"), drain.describe("drain"));
                cluster.awaitMoversSettled(Duration.ofMinutes(2));
                ClusterFixture.await("no piece file left on " + victim.id(), () -> victim.pieceFiles().size(),
                        n -> n == 0, Duration.ofSeconds(60));
                ServerProcess.sleep(1000);
            } finally {
                load.close();
            }
            load.stop();
            cluster.awaitMoversSettled(Duration.ofMinutes(1));
            ClusterFixture.await("deferred deletes done", () -> PieceLayout.of(cluster),
                    l -> l.notExactly(3).isEmpty(), Duration.ofSeconds(30));
            PieceLayout layout = PieceLayout.of(cluster);
            assertEquals(0, layout.piecesOn(victim.id()));
            assertEquals(List.of(), layout.doubledUp(), "three pieces on three nodes");
            JsonObject status = cluster.rebalances();
            assertTrue(status.getJsonObject("movers").getJsonObject("drain").getLong("piecesMoved") > 0,
                    status.encode());
            CommandLine.Result rebalance = cluster.cli("rebalance", "status").assertOk();
            assertTrue(rebalance.stdout().contains("drain"), rebalance.describe("rebalance status"));

            Map<String, String> expected = new HashMap<>();
            objects.forEach((k, c) -> expected.put(k, c.sha256()));
            assertEquals(expected, SeededObjects.forEach(objects, 4,
                    (key, content) -> SeededObjects.getSha256(s3, "data", key)));

            CommandLine.Result removed = cluster.cli("remove", victim.id()).assertOk();
            assertTrue(removed.stdout().contains("REMOVED"), removed.describe("remove"));
            assertEquals("REMOVED", cluster.nodeRecord(victim.id()).getString("state"));
            cluster.forget(victim);
        }
    }
}
