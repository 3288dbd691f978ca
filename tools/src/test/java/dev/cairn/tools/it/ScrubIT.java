package dev.cairn.tools.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scrubber finds a piece corrupted on a node's disk without any client reading it, says so in
 * {@code GET /admin/rebalances} and in {@code /metrics}, and the repair mover rebuilds the piece.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ScrubIT {
    @TempDir
    Path dir;

    @Test
    void scrubFindsACorruptPieceAndRepairRebuildsIt() throws Exception {
        List<String> args = new ArrayList<>(ClusterFixture.FAST_MOVERS);
        args.addAll(List.of("--scrub-interval", "3s"));
        try (ClusterFixture cluster = ClusterFixture.start("ScrubIT", dir, 4, "rs2+1", args);
             S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket("data"));
            SeededBytes content = new SeededBytes(4242, 3 * TestFiles.MiB);
            SeededObjects.put(s3, "data", "victim", content);
            Map.Entry<Path, NodeProcess> victim = cluster.pieceFiles().entrySet().iterator().next();
            Path file = victim.getKey();
            byte[] good = Files.readAllBytes(file);
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.seek(32 + 5000);
                f.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            }
            JsonObject found = ClusterFixture.await("the scrubber reports the corrupt piece", cluster::rebalances,
                    r -> r.getJsonObject("scrub").getLong("corruptFound") >= 1, Duration.ofSeconds(30));
            assertTrue(found.getJsonObject("scrub").getString("lastPassStarted") != null, found.encode());
            ClusterFixture.await("the piece rebuilt", () -> readOrNull(file), b -> java.util.Arrays.equals(b, good),
                    Duration.ofSeconds(30));
            JsonObject done = cluster.awaitMoversSettled(Duration.ofSeconds(30));
            assertTrue(done.getJsonObject("movers").getJsonObject("repair").getLong("piecesMoved") >= 1, done.encode());
            String metrics = cluster.serverMetrics();
            assertTrue(ClusterFixture.metricValue(metrics, "cairn_scrub_pieces_total", "result=\"corrupt\"") >= 1);
            assertTrue(ClusterFixture.metricValue(metrics, "cairn_scrub_pieces_total", "result=\"ok\"") >= 1);
            assertEquals(0, cluster.adminSummary().getLong("repairsPending"));
            assertEquals(content.sha256(), SeededObjects.getSha256(s3, "data", "victim"));
        }
    }

    private static byte[] readOrNull(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
