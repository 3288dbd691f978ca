package dev.cairn.tools.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server is SIGKILLed in the middle of a rebalance (throttled so that it is still moving) and
 * restarted on the same data and admin port: the movers resolve the move intents left behind,
 * resume and finish the rebalance (with the throttle raised at run time through the CLI), and in
 * the end every chunk has exactly its three pieces - none lost, none orphaned (an orphan scan has
 * run) - and every object reads back.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MoverCrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(MoverCrashIT.class);

    @TempDir
    Path dir;

    @Test
    void aRebalanceCutByASigkillResumesAndLeavesNoPieceLostOrOrphaned() throws Exception {
        List<String> args = new ArrayList<>(ClusterFixture.FAST_MOVERS);
        args.addAll(List.of("--admin-port", Integer.toString(freePort()), "--mover-bytes-per-second", "4MiB"));
        try (ClusterFixture cluster = ClusterFixture.start("MoverCrashIT", dir, 4, "rs2+1", args)) {
            Map<String, SeededBytes> objects = new LinkedHashMap<>();
            try (S3Client s3 = cluster.s3()) {
                s3.createBucket(b -> b.bucket("data"));
                for (int i = 0; i < 48; i++) {
                    objects.put("obj/" + i, new SeededBytes(300 + i, 8 * TestFiles.MiB + i * 4099L));
                }
                SeededObjects.forEach(objects, 4, (key, content) -> {
                    SeededObjects.put(s3, "data", key, content);
                    return "";
                });
            }
            cluster.awaitMoversSettled(Duration.ofSeconds(60));
            cluster.addNode();
            JsonObject moving = ClusterFixture.await("the rebalance under way", cluster::rebalances,
                    r -> r.getJsonObject("movers").getJsonObject("rebalance").getLong("bytesMoved") > 8 * TestFiles.MiB,
                    Duration.ofSeconds(60));
            assertTrue(moving.getLong("chunksToMove") > 0, "still moving when killed: " + moving.encode());
            cluster.server().kill9();
            LOG.info("killed the server mid-rebalance: {}", moving.encode());
            cluster.server().restart();
            cluster.awaitAllUp();
            cluster.cli("rebalance", "throttle", "--bytes-per-second", "512MiB", "--moves-per-node", "4").assertOk();
            assertEquals(512L << 20, cluster.rebalances().getJsonObject("throttle").getLong("bytesPerSecond"));
            ClusterFixture.await("copies in flight at the kill resolved at start-up",
                    () -> ServerProcess.read(cluster.server().stderrLog()),
                    log -> log.contains("move intents left by an earlier run"), Duration.ofSeconds(20));
            JsonObject done = cluster.awaitMoversSettled(Duration.ofMinutes(2));
            assertTrue(done.getJsonObject("movers").getJsonObject("rebalance").getLong("bytesMoved") > 0,
                    "the restarted server resumed the rebalance: " + done.encode());
            assertEquals(202, cluster.admin("POST", "/admin/orphans/scan", null, true).statusCode());
            ClusterFixture.await("every chunk with exactly its three pieces", () -> PieceLayout.of(cluster),
                    l -> l.notExactly(3).isEmpty(), Duration.ofSeconds(60));
            PieceLayout layout = PieceLayout.of(cluster);
            assertEquals(List.of(), layout.doubledUp());
            String newNode = cluster.nodes().get(4).id();
            assertTrue(layout.piecesOn(newNode) > 0, "the new node got its share");

            try (S3Client s3 = cluster.s3()) {
                Map<String, String> expected = new HashMap<>();
                objects.forEach((k, c) -> expected.put(k, c.sha256()));
                assertEquals(expected, SeededObjects.forEach(objects, 4,
                        (key, content) -> SeededObjects.getSha256(s3, "data", key)));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
