package dev.cairn.tools.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node joins a loaded cluster: 2 GiB of objects under RS 2+1 on four chunkstore processes, then
 * a fifth joins while a client writes and reads the whole time. The rebalance moves about the new
 * node's fair share (a fifth of the stored bytes), all of it onto the new node; every object reads
 * back byte-identical and no client request fails.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class RebalanceIT {
    private static final Logger LOG = LoggerFactory.getLogger(RebalanceIT.class);
    private static final long OBJECT = 32 * TestFiles.MiB;
    private static final int OBJECTS = 64; // 2 GiB

    @TempDir
    Path dir;

    @Test
    void aJoiningNodeReceivesItsFairShareAndNothingElseMoves() throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start("RebalanceIT", dir, 4, "rs2+1", ClusterFixture.FAST_MOVERS);
             S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket("data"));
            Map<String, SeededBytes> objects = new LinkedHashMap<>();
            for (int i = 0; i < OBJECTS; i++) {
                objects.put("obj/" + i, new SeededBytes(500 + i, OBJECT));
            }
            long t0 = System.nanoTime();
            SeededObjects.forEach(objects, 4, (key, content) -> {
                SeededObjects.put(s3, "data", key, content);
                return "";
            });
            LOG.info("wrote {} objects ({} MiB) in {} ms", OBJECTS, OBJECTS * OBJECT / TestFiles.MiB,
                    (System.nanoTime() - t0) / 1_000_000);
            cluster.awaitMoversSettled(Duration.ofSeconds(60));
            Map<String, Set<String>> before = new HashMap<>();
            long stored = 0;
            for (NodeProcess n : cluster.liveNodes()) {
                Set<String> names = new HashSet<>();
                for (Path f : n.pieceFiles()) {
                    names.add(f.getFileName().toString());
                    stored += Files.size(f);
                }
                before.put(n.id(), names);
            }
            Set<String> oldChunks = new HashSet<>();
            before.values().forEach(s -> s.forEach(f -> oldChunks.add(f.substring(0, 32))));
            long movedBefore = rebalanceBytes(cluster.rebalances());

            ClientLoad load = ClientLoad.start(cluster, "load");
            NodeProcess joined;
            JsonObject done;
            try {
                ServerProcess.sleep(1000);
                joined = cluster.addNode();
                done = cluster.awaitMoversSettled(Duration.ofMinutes(4));
            } finally {
                load.close();
            }
            load.stop();
            long moved = rebalanceBytes(done) - movedBefore;
            double ideal = stored / 5.0;
            double ratio = moved / ideal;
            System.out.printf("RebalanceIT: moved %d bytes, ideal (new node's fair share) %.0f bytes, ratio %.3f%n",
                    moved, ideal, ratio);
            LOG.info("rebalance done: {}", done.encode());
            assertTrue(ratio <= 1.25, "moved " + moved + " bytes, more than 1.25x the ideal " + ideal);
            assertTrue(ratio >= 0.75, "moved " + moved + " bytes, far less than the new node's share " + ideal);
            assertEquals(0, done.getLong("errors"), "no move failed: " + done.encode());

            for (NodeProcess n : cluster.liveNodes()) {
                if (n == joined) {
                    continue;
                }
                for (Path f : n.pieceFiles()) {
                    String name = f.getFileName().toString();
                    if (oldChunks.contains(name.substring(0, 32))) {
                        assertTrue(before.get(n.id()).contains(name),
                                name + " moved onto old node " + n.id() + ": every move goes onto the new node");
                    }
                }
            }
            Map<String, String> expected = new HashMap<>();
            objects.forEach((k, c) -> expected.put(k, c.sha256()));
            Map<String, String> got = SeededObjects.forEach(objects, 4,
                    (key, content) -> SeededObjects.getSha256(s3, "data", key));
            assertEquals(expected, got, "every object reads back byte-identical");
            Map<String, String> loadGot = SeededObjects.forEach(load.written(), 4,
                    (key, content) -> SeededObjects.getSha256(s3, "load", key));
            load.written().forEach((k, c) -> assertEquals(c.sha256(), loadGot.get(k), k));
        }
    }

    private static long rebalanceBytes(JsonObject r) {
        return r.getJsonObject("movers").getJsonObject("rebalance").getLong("bytesMoved");
    }
}
