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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node of six dies (SIGKILL) under RS 4+2 while a client writes and reads: after the repair
 * grace its pieces are rebuilt until every chunk has all six pieces again on the five live nodes
 * (checked by listing every node's pieces), and a second node can then die with no object lost.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RepairIT {
    @TempDir
    Path dir;

    @Test
    void repairRestoresFullProtectionSoASecondDeathLosesNothing() throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start("RepairIT", dir, 6, "rs4+2", ClusterFixture.FAST_MOVERS);
             S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket("data"));
            Map<String, SeededBytes> objects = new LinkedHashMap<>();
            for (int i = 0; i < 40; i++) {
                objects.put("obj/" + i, new SeededBytes(700 + i, 5 * TestFiles.MiB + i * 77_777L));
            }
            SeededObjects.forEach(objects, 4, (key, content) -> {
                SeededObjects.put(s3, "data", key, content);
                return "";
            });
            // A write meets its quorum (k+1) even when one node is slow under load; the movers then
            // rebuild the piece it missed. Start from full protection, as an operator would.
            cluster.awaitMoversSettled(Duration.ofMinutes(1));
            assertEquals(List.of(), PieceLayout.of(cluster).notExactly(6));

            ClientLoad load = ClientLoad.start(cluster, "load");
            try {
                ServerProcess.sleep(1000);
                NodeProcess dead = cluster.killNodes(1).get(0);
                cluster.awaitSummary("the killed node DOWN", s -> s.getJsonObject("nodes").getInteger("DOWN", 0) == 1);
                // settles only once no piece waits for the grace any more: all of the dead node's are rebuilt
                cluster.awaitMoversSettled(Duration.ofMinutes(2));
                assertEquals("DOWN", cluster.nodeRecord(dead.id()).getString("state"));
                ServerProcess.sleep(1000);
            } finally {
                load.close();
            }
            load.stop();
            JsonObject done = cluster.awaitMoversSettled(Duration.ofMinutes(1));
            assertTrue(done.getJsonObject("movers").getJsonObject("repair").getLong("piecesMoved") > 0, done.encode());
            PieceLayout layout = PieceLayout.of(cluster);
            List<String> incomplete = layout.chunks().entrySet().stream()
                    .filter(e -> e.getValue().size() != 6).map(e -> e.getKey() + " " + e.getValue()).toList();
            assertEquals(List.of(), incomplete, "every chunk has all six pieces on the live nodes");
            assertTrue(layout.chunks().size() >= 40, "the chunks of 40 objects and the load: " + layout.chunks().size());

            cluster.killNodes(1);
            Map<String, String> expected = new HashMap<>();
            objects.forEach((k, c) -> expected.put(k, c.sha256()));
            assertEquals(expected, SeededObjects.forEach(objects, 4,
                    (key, content) -> SeededObjects.getSha256(s3, "data", key)), "nothing lost to a second death");
            Map<String, String> loadGot = SeededObjects.forEach(load.written(), 4,
                    (key, content) -> SeededObjects.getSha256(s3, "load", key));
            load.written().forEach((k, c) -> assertEquals(c.sha256(), loadGot.get(k), k));
        }
    }
}
