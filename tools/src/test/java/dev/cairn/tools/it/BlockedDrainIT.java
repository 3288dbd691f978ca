package dev.cairn.tools.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, acceptance 3: draining one of exactly six nodes under RS 4+2 cannot be done (every
 * chunk needs six nodes). The operator sees {@code blocked} and why in {@code cairn admin
 * rebalance status} and {@code cairn admin summary}, Prometheus sees
 * {@code cairn_mover_blocked_chunks{mover="drain"}}, and {@code cairn admin remove} says why it
 * refuses - never "done, 0 to move".
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BlockedDrainIT {
    private static final String REASON = "RS 4+2 needs 6 writable nodes, 5 available";

    @TempDir
    Path dir;

    @Test
    void aDrainThatCannotBeMetShowsBlockedInTheCliTheSummaryAndTheMetrics() throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start("BlockedDrainIT", dir, 6, "rs4+2", ClusterFixture.FAST_MOVERS);
             S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket("data"));
            Map<String, SeededBytes> objects = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                objects.put("obj/" + i, new SeededBytes(500 + i, 2 * TestFiles.MiB + i * 1000L));
            }
            SeededObjects.forEach(objects, 4, (key, content) -> {
                SeededObjects.put(s3, "data", key, content);
                return "";
            });
            NodeProcess victim = cluster.nodes().get(5);
            long onVictim = PieceLayout.of(cluster).chunks().values().stream()
                    .filter(p -> p.values().stream().anyMatch(n -> n.contains(victim.id()))).count();
            assertTrue(onVictim > 0);

            cluster.cli("drain", victim.id()).assertOk();
            JsonObject status = ClusterFixture.await("blocked", cluster::rebalances,
                    r -> "blocked".equals(r.getString("state")), Duration.ofSeconds(60));
            assertEquals(onVictim, status.getJsonObject("blocked").getLong("chunks"), status.encodePrettily());
            assertEquals(REASON, status.getJsonObject("blocked").getString("reason"));

            CommandLine.Result cli = cluster.cli("rebalance", "status").assertOk();
            assertTrue(cli.stdout().contains("state:       blocked"), cli.describe("rebalance status"));
            assertTrue(cli.stdout().contains("blocked:     " + onVictim + " chunks: " + REASON),
                    cli.describe("rebalance status"));
            CommandLine.Result summary = cluster.cli("summary").assertOk();
            assertTrue(summary.stdout().contains("movers:      blocked (" + onVictim + " chunks: " + REASON + ")"),
                    summary.describe("summary"));
            assertEquals(onVictim, (long) ClusterFixture.metricValue(cluster.serverMetrics(),
                    "cairn_mover_blocked_chunks", "mover=\"drain\""));

            CommandLine.Result remove = cluster.cli("remove", victim.id());
            assertNotEquals(0, remove.exitCode(), remove.describe("remove"));
            assertTrue(remove.stderr().contains("409") && remove.stderr().contains(REASON), remove.describe("remove"));
            assertEquals(0, PieceLayout.of(cluster).notExactly(6).size(), "nothing was moved or lost");
        }
    }
}
