package dev.cairn.tools.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, acceptance 2: RS 4+2 on seven chunkstore processes under client load. Each round
 * SIGKILLs one node, flips bytes in pieces on a second, and freezes a third (SIGSTOP) for 30 s
 * before it is thawed and the killed node comes back on its data; the movers repair in between.
 * After the rounds, once the movers settle, every chunk has its six pieces on six distinct live
 * nodes (read from the nodes' disks); then two more nodes die and every object - the seeded ones
 * and everything the load wrote - reads back byte-identical. The figures go to the log.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ChaosIT {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosIT.class);
    private static final int ROUNDS = 2;
    private static final int CORRUPT_PER_ROUND = 12;
    private static final Duration FROZEN = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void sevenNodesSurviveKillsCorruptionAndFreezesAndEveryChunkEndsWithSixPiecesOnSixNodes() throws Exception {
        long t0 = System.nanoTime();
        List<String> flags = List.of("--repair-grace", "5s", "--mover-pass-interval", "1s",
                "--mover-bytes-per-second", "512MiB", "--mover-moves-per-node", "4", "--scrub-interval", "10s");
        try (ClusterFixture cluster = ClusterFixture.start("ChaosIT", dir, 7, "rs4+2", flags);
             S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket("data"));
            Map<String, SeededBytes> objects = new LinkedHashMap<>();
            for (int i = 0; i < 24; i++) {
                objects.put("obj/" + i, new SeededBytes(3000 + i, 2 * TestFiles.MiB + i * 111_111L));
            }
            SeededObjects.forEach(objects, 4, (key, content) -> {
                SeededObjects.put(s3, "data", key, content);
                return "";
            });
            Random random = new Random(10);
            int corrupted = 0;
            ClientLoad load = ClientLoad.start(cluster, "load", TestFiles.MiB, 100); // light: the test is about the movers
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    List<NodeProcess> nodes = cluster.nodes();
                    NodeProcess killed = nodes.get((3 * round) % nodes.size());
                    NodeProcess rotten = nodes.get((3 * round + 1) % nodes.size());
                    NodeProcess frozen = nodes.get((3 * round + 2) % nodes.size());
                    LOG.info("round {}: kill -9 {}, corrupt {} pieces on {}, freeze {} for {} s", round, killed.id(),
                            CORRUPT_PER_ROUND, rotten.id(), frozen.id(), FROZEN.toSeconds());
                    killed.kill9();
                    corrupted += corrupt(rotten, CORRUPT_PER_ROUND, random);
                    Instant corruptedAt = Instant.now();
                    cluster.awaitSummary(killed.id() + " DOWN", s -> s.getJsonObject("nodes").getInteger("DOWN", 0) == 1);
                    // the dead node's pieces rebuilt, and a scrub pass that began after the corruption done
                    ClusterFixture.await("a scrub pass after the corruption", cluster::rebalances,
                            r -> started(r, corruptedAt), SETTLE);
                    cluster.awaitMoversSettled(SETTLE);
                    frozen.freeze();
                    ServerProcess.sleep(FROZEN.toMillis());
                    frozen.thaw();
                    cluster.restoreAll(); // the killed node comes back on its data
                    cluster.awaitMoversSettled(SETTLE);
                }
            } finally {
                load.close();
            }
            load.stop(); // asserts that no client request failed and that both did work

            JsonObject settled = cluster.awaitMoversSettled(SETTLE);
            ClusterFixture.await("deferred deletes done: exactly six pieces per chunk", () -> PieceLayout.of(cluster),
                    l -> l.notExactly(6).isEmpty() && l.doubledUp().isEmpty(), Duration.ofSeconds(60));
            PieceLayout layout = PieceLayout.of(cluster);
            assertEquals(List.of(), layout.notExactly(6), "six pieces, indexes 0..5, per chunk");
            assertEquals(List.of(), layout.doubledUp(), "on six distinct nodes");
            JsonObject summary = cluster.adminSummary();
            assertEquals("optimal", summary.getString("health"), summary.encodePrettily());
            assertTrue(settled.getJsonObject("scrub").getLong("corruptFound") > 0 || repairs(settled) > 0,
                    settled.encodePrettily());

            List<NodeProcess> lastTwo = cluster.killNodes(2);
            Map<String, String> expected = new HashMap<>();
            objects.forEach((k, c) -> expected.put(k, c.sha256()));
            Map<String, String> got = SeededObjects.forEach(objects, 4,
                    (key, content) -> SeededObjects.getSha256(s3, "data", key));
            assertEquals(expected, got, "every seeded object byte-identical with two more nodes dead");
            Map<String, SeededBytes> written = load.written();
            Map<String, String> loadGot = SeededObjects.forEach(written, 4,
                    (key, content) -> SeededObjects.getSha256(s3, "load", key));
            int identical = 0;
            for (Map.Entry<String, SeededBytes> e : written.entrySet()) {
                assertEquals(e.getValue().sha256(), loadGot.get(e.getKey()), e.getKey());
                identical++;
            }
            LOG.info("ChaosIT figures: {} rounds in {} s; {} chunks on 7 nodes, each with 6 pieces on 6 distinct nodes; "
                            + "{} pieces corrupted on disk, scrub found {} corrupt and {} missing; movers moved {} "
                            + "pieces (repair {}, rebalance {}), {} mover errors; after killing {} and {}: {} of {} "
                            + "seeded objects and {} of {} load objects read back byte-identical",
                    ROUNDS, (System.nanoTime() - t0) / 1_000_000_000, layout.chunks().size(), corrupted,
                    settled.getJsonObject("scrub").getLong("corruptFound"),
                    settled.getJsonObject("scrub").getLong("missingFound"), moved(settled), repairs(settled),
                    settled.getJsonObject("movers").getJsonObject("rebalance").getLong("piecesMoved"),
                    settled.getLong("errors"), lastTwo.get(0).id(), lastTwo.get(1).id(), got.size(), objects.size(),
                    identical, written.size());
        }
    }

    private static long repairs(JsonObject status) {
        return status.getJsonObject("movers").getJsonObject("repair").getLong("piecesMoved");
    }

    private static long moved(JsonObject status) {
        long n = 0;
        for (String m : status.getJsonObject("movers").fieldNames()) {
            n += status.getJsonObject("movers").getJsonObject(m).getLong("piecesMoved");
        }
        return n;
    }

    /** Whether the scrubber finished a pass that started after {@code t}. */
    private static boolean started(JsonObject status, Instant t) {
        JsonObject scrub = status.getJsonObject("scrub");
        String started = scrub.getString("lastPassStarted");
        String finished = scrub.getString("lastPassFinished");
        return started != null && finished != null && Instant.parse(started).isAfter(t)
                && !Instant.parse(finished).isBefore(Instant.parse(started));
    }

    /** Flips a byte in the data of {@code count} piece files of {@code node}; returns how many. */
    private static int corrupt(NodeProcess node, int count, Random random) throws IOException {
        List<Path> files = new ArrayList<>(node.pieceFiles());
        java.util.Collections.shuffle(files, random);
        int done = 0;
        for (Path f : files) {
            if (done == count) {
                break;
            }
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                if (raf.length() < 200) {
                    continue;
                }
                long at = 64 + random.nextInt((int) Math.min(raf.length() - 100, 1 << 20));
                raf.seek(at);
                int b = raf.read();
                raf.seek(at);
                raf.write(b ^ 0x5A);
                done++;
            }
        }
        return done;
    }
}
