package dev.cairn.tools.it;

import dev.cairn.chunkstore.node.ClusterAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.cairn.tools.it.SeededObjects.body;
import static dev.cairn.tools.it.SeededObjects.forEach;
import static dev.cairn.tools.it.SeededObjects.getSha256;
import static dev.cairn.tools.it.SeededObjects.listKeys;
import static dev.cairn.tools.it.SeededObjects.put;
import static dev.cairn.tools.it.SeededObjects.putMultipart;
import static dev.cairn.tools.it.TestFiles.KiB;
import static dev.cairn.tools.it.TestFiles.MiB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The distributed data path end to end: the packaged server and six {@code cairn chunkstore}
 * processes on loopback with Reed-Solomon 4+2, driven through S3 with the AWS SDK, nodes killed
 * with SIGKILL, piece files corrupted on disk, node requests sent without the cluster secret.
 *
 * <p>One cluster for the class (starting seven JVMs costs seconds on a small machine). Every test
 * first restarts any node an earlier test killed and waits until the server sees all six UP, so
 * the tests do not depend on each other; the order only keeps restarts few (the cheap checks
 * first, the 500 objects last, which leaves two nodes dead). Node failure is noticed
 * within {@value ClusterFixture#DOWN_AFTER_SECONDS} s ({@code --down-after-seconds}); every wait
 * polls against a deadline. Logs of all processes: {@code target/it-logs/ClusterIT/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterIT.class);
    private static final int NODES = 6;
    /** Uploads and downloads in flight at once: enough to overlap fsyncs, few enough for two cores. */
    private static final int CONCURRENCY = 4;
    private static final Duration FAIL_FAST = Duration.ofSeconds(5);
    private static final String FAILURES = "cairn_piece_failures_total";
    private static final String RECONSTRUCTIONS = "cairn_chunk_reconstructions_total";

    @TempDir
    static Path dir;
    private static ClusterFixture cluster;
    private static S3Client s3;

    @BeforeAll
    static void startCluster() {
        // The movers stay paused: these tests check the data path's own pieces (failed writes
        // cleaned up, no live piece touched), which rebalancing would legitimately move.
        cluster = ClusterFixture.start("ClusterIT", dir, NODES, "rs4+2", List.of("--movers-paused", "true"));
        s3 = cluster.s3();
    }

    @AfterAll
    static void stopCluster() {
        if (s3 != null) {
            s3.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void adminNodesListsEveryNode() {
        cluster.restoreAll();
        Map<String, NodeProcess> started = cluster.nodes().stream()
                .collect(Collectors.toMap(NodeProcess::id, Function.identity()));
        JsonObject json = cluster.adminNodes();
        JsonArray nodes = json.getJsonArray("nodes");
        assertEquals(NODES, nodes.size(), json.encodePrettily());
        assertTrue(json.getLong("mapVersion") > 0, "map version: " + json.encode());
        for (int i = 0; i < nodes.size(); i++) {
            JsonObject n = nodes.getJsonObject(i);
            NodeProcess p = started.get(n.getString("id"));
            assertTrue(p != null, "unknown node " + n.encode() + "; started " + started.keySet());
            assertEquals("UP", n.getString("state"), n.encode());
            URI address = p.address();
            assertTrue(n.getString("address").contains(address.getHost() + ":" + address.getPort()),
                    "address of " + p.name() + " is " + address + ": " + n.encode());
            assertEquals(ClusterFixture.NODE_CAPACITY, n.getLong("capacity"), "--capacity: " + n.encode());
            assertTrue(n.getLong("used") >= 0 && n.getLong("pieces") >= 0, n.encode());
            Instant beat = Instant.parse(n.getString("lastHeartbeat"));
            assertTrue(Duration.between(beat, Instant.now()).abs().compareTo(Duration.ofSeconds(10)) < 0,
                    "heartbeats every " + ClusterFixture.HEARTBEAT_SECONDS + " s: " + n.encode());
        }

        JsonObject summary = cluster.adminSummary();
        assertTrue(summary.getString("protection").replace(" ", "").toLowerCase().contains("4+2"),
                "--protection rs4+2: " + summary.encode());
        assertEquals(NODES, summary.getInteger("writableNodes"), summary.encode());
        assertEquals(new JsonObject().put("UP", NODES), summary.getJsonObject("nodes"), summary.encode());
        assertEquals("optimal", summary.getString("health"), summary.encode());

        assertEquals(401, cluster.adminGet("/admin/nodes", false).statusCode(), "admin API without a signature");
        CommandLine.Result cli = CommandLine.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                        ServerProcess.jar().toString(), "admin", "nodes", "--endpoint", cluster.server().adminUri()
                                .toString(), "--json")
                .unsetEnv(k -> k.startsWith("CAIRN_") || k.startsWith("AWS_"))
                .env("CAIRN_ROOT_ACCESS_KEY", ServerProcess.ACCESS_KEY)
                .env("CAIRN_ROOT_SECRET_KEY", ServerProcess.SECRET_KEY)
                .logTo(Logs.dir("ClusterIT"), "admin-nodes")
                .timeout(Duration.ofSeconds(30))
                .run().assertOk();
        Set<String> cliIds = new JsonObject(cli.stdout()).getJsonArray("nodes").stream()
                .map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet());
        assertEquals(started.keySet(), cliIds, "`cairn admin nodes --json`");
    }

    @Test
    @Order(2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void nodeRefusesRequestsWithoutTheClusterSecret() throws IOException {
        cluster.restoreAll();
        String bucket = "node-auth";
        s3.createBucket(b -> b.bucket(bucket));
        // Some real pieces on the node, so refusals are tested on data that exists.
        Map<Path, NodeProcess> before = cluster.pieceFiles();
        put(s3, bucket, "object", new SeededBytes(2, 2 * MiB));
        Map<Path, NodeProcess> written = ClusterFixture.added(before, cluster.pieceFiles());
        Path existing = written.keySet().iterator().next();
        NodeProcess node = written.get(existing);
        String existingId = existing.getFileName().toString();
        byte[] existingBytes = Files.readAllBytes(existing);

        ClusterAuth right = new ClusterAuth(ClusterFixture.CLUSTER_SECRET, Clock.systemUTC());
        ClusterAuth wrong = new ClusterAuth("not-the-cluster-secret", Clock.systemUTC());
        ClusterAuth stale = new ClusterAuth(ClusterFixture.CLUSTER_SECRET,
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));

        // Listing: unsigned 401, wrong secret 403, too old 403; the right secret lists.
        assertStatus(401, call(node, "GET", "/v1/pieces", null, null), "unsigned list");
        assertStatus(403, call(node, "GET", "/v1/pieces", wrong, null), "list signed with a wrong secret");
        assertStatus(403, call(node, "GET", "/v1/pieces", stale, null), "list signed 10 minutes ago");
        HttpResponse<String> listed = call(node, "GET", "/v1/pieces", right, null);
        assertStatus(200, listed, "list signed with the cluster secret (control)");
        assertTrue(listed.body().contains(existingId), "the signed list shows " + existingId + ": " + listed.body());

        // Reading an existing piece, its info or the node info needs the secret too.
        for (String path : List.of("/v1/pieces/" + existingId, "/v1/info")) {
            assertStatus(401, call(node, "GET", path, null, null), "unsigned GET " + path);
            assertStatus(403, call(node, "GET", path, wrong, null), "GET " + path + " with a wrong secret");
        }
        assertStatus(401, call(node, "HEAD", "/v1/pieces/" + existingId, null, null), "unsigned HEAD");
        assertStatus(200, call(node, "GET", "/v1/pieces/" + existingId, right, null), "signed GET (control)");

        // Deleting without the secret deletes nothing.
        assertStatus(401, call(node, "DELETE", "/v1/pieces/" + existingId, null, null), "unsigned DELETE");
        assertStatus(403, call(node, "DELETE", "/v1/pieces/" + existingId, wrong, null),
                "DELETE with a wrong secret");
        assertArrayEquals(existingBytes, Files.readAllBytes(existing), "piece file after refused DELETEs");

        // Writing without the secret stores nothing.
        String newId = "0123456789abcdef0123456789abcdef.0";
        byte[] body = new SeededBytes(3, 100 * KiB).bytes(0, (int) (100 * KiB));
        assertStatus(401, call(node, "PUT", "/v1/pieces/" + newId, null, body), "unsigned PUT");
        assertStatus(403, call(node, "PUT", "/v1/pieces/" + newId, wrong, body), "PUT with a wrong secret");
        assertStatus(404, call(node, "HEAD", "/v1/pieces/" + newId, right, null),
                "a refused PUT stored nothing (signed HEAD)");
        assertTrue(node.pieceFiles().stream().noneMatch(f -> f.getFileName().toString().equals(newId)),
                "no file " + newId + " under " + node.piecesDir());

        // Health (and the metrics scrape, by design) are anonymous.
        HttpResponse<String> health = call(node, "GET", "/health", null, null);
        assertStatus(200, health, "GET /health");
        assertStatus(200, call(node, "GET", "/metrics", null, null), "GET /metrics");
        s3.deleteObject(b -> b.bucket(bucket).key("object"));
    }

    @Test
    @Order(3)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void corruptedPieceIsRebuiltAndReported() throws IOException {
        cluster.restoreAll();
        String bucket = "corrupt-piece";
        String key = "victim.bin";
        s3.createBucket(b -> b.bucket(bucket));
        SeededBytes content = new SeededBytes(77, 3 * MiB + 12_345); // one 4 MiB chunk: 4 stripes + 2 parity
        Map<Path, NodeProcess> before = cluster.pieceFiles();
        put(s3, bucket, key, content);
        Map<Path, NodeProcess> written = ClusterFixture.added(before, cluster.pieceFiles());
        Set<String> chunks = written.keySet().stream().map(p -> p.getFileName().toString().substring(0, 32))
                .collect(Collectors.toSet());
        assertEquals(1, chunks.size(), "one chunk: " + written.keySet());
        assertEquals(6, written.size(), "RS 4+2 writes 6 pieces on 6 nodes: " + written.keySet());
        String chunk = chunks.iterator().next();
        int index = 1; // a data piece: its bytes are read by every GET of the object
        Path victim = written.keySet().stream()
                .filter(p -> p.getFileName().toString().equals(chunk + "." + index)).findFirst().orElseThrow();
        NodeProcess node = written.get(victim);
        long stripe = (content.size() + 3) / 4;
        assertEquals(32 + stripe + 4 * ((stripe + 65_535) / 65_536), Files.size(victim),
                "piece file = 32-byte header + stripe + a CRC32C per 64 KiB block");

        String metrics0 = cluster.serverMetrics();
        double corrupt0 = ClusterFixture.metricValue(metrics0, FAILURES, "reason=\"corrupt\"");
        double rebuilt0 = ClusterFixture.metricValue(metrics0, RECONSTRUCTIONS);
        long repairs0 = cluster.adminSummary().getLong("repairsPending");

        int flipAt = 1000; // data byte 1000 of the piece, in block 0
        flipBytes(victim, 32 + flipAt, 16);
        LOG.info("flipped 16 bytes at data offset {} of {} on {} ({})", flipAt, victim.getFileName(), node.name(),
                node.id());

        assertEquals(content.sha256(), getSha256(s3, bucket, key), "GET of an object with a corrupted data piece");
        long from = stripe * index + flipAt - 100;
        byte[] range = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range("bytes=" + from + "-" + (from + 299)))
                .asByteArray();
        assertArrayEquals(content.bytes(from, 300), range, "range GET over the corrupted bytes");

        // Reported three ways: a repair record, a metric, a log line naming the piece.
        JsonObject summary = cluster.awaitSummary("a repair recorded for the corrupt piece",
                s -> s.getLong("repairsPending") > repairs0);
        LOG.info("summary after the corrupt read: {}", summary.encode());
        String metrics = ClusterFixture.await("corruption counted in /metrics", cluster::serverMetrics,
                m -> ClusterFixture.metricValue(m, FAILURES, "reason=\"corrupt\"") > corrupt0, Duration.ofSeconds(10));
        assertTrue(ClusterFixture.metricValue(metrics, RECONSTRUCTIONS) > rebuilt0,
                RECONSTRUCTIONS + " did not grow:\n" + grep(metrics, "cairn_"));
        String expected = "chunk " + chunk + " piece " + index + " on node " + node.id() + ": corrupt";
        String line = ClusterFixture.await("the corrupt piece in the server log",
                () -> grep(ServerProcess.read(cluster.server().stderrLog()), expected),
                l -> !l.isEmpty(), Duration.ofSeconds(10));
        assertTrue(line.contains("recorded for repair"), line);
        LOG.info("server log: {}", line.strip());
    }

    /**
     * A node that stops answering without closing its sockets (SIGSTOP: a long GC pause, a hung
     * disk) before the server notices: reads give its stripes up after the read deadline and
     * rebuild them; a PUT is done once its write quorum (5 of 6) is durable and does not wait for
     * the sixth piece until the node request times out.
     */
    @Test
    @Order(4)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aFrozenNodeDelaysNeitherReadsNorWrites() throws Exception {
        cluster.restoreAll();
        String bucket = "frozen";
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, SeededBytes> objects = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            objects.put("before/" + i, new SeededBytes(700 + i, 3 * MiB + i)); // one chunk, a piece on every node
        }
        objects.forEach((k, c) -> put(s3, bucket, k, c));
        NodeProcess node = cluster.nodes().get(0);
        Duration limit = Duration.ofSeconds(10);

        double rebuilt0 = ClusterFixture.metricValue(cluster.serverMetrics(), RECONSTRUCTIONS);
        Map<String, Long> readMillis = new ConcurrentHashMap<>();
        Map<String, String> read;
        node.freeze();
        try {
            read = forEach(objects, CONCURRENCY, (k, c) -> {
                long t0 = System.nanoTime();
                String digest = getSha256(s3, bucket, k);
                readMillis.put(k, (System.nanoTime() - t0) / 1_000_000);
                return digest;
            });
        } finally {
            node.thaw();
        }
        LOG.info("GETs with {} frozen took {} ms", node.name(), readMillis);
        objects.forEach((k, c) -> assertEquals(c.sha256(), read.get(k), "GET " + k + " with a frozen node"));
        readMillis.forEach((k, ms) -> assertTrue(ms < limit.toMillis(), "GET " + k + " took " + ms + " ms"));
        assertTrue(ClusterFixture.metricValue(cluster.serverMetrics(), RECONSTRUCTIONS) > rebuilt0,
                "stripes on the frozen node were rebuilt");
        cluster.awaitAllUp();

        // The SDK's defaults: 30 s socket read timeout, retries on. Without retries, what one
        // attempt of a user's PUT sees.
        SeededBytes during = new SeededBytes(710, 3 * MiB);
        long took;
        SdkException failure = null;
        node.freeze();
        try (S3Client noRetry = cluster.s3WithoutRetries()) {
            long t0 = System.nanoTime();
            try {
                put(noRetry, bucket, "during-freeze", during);
            } catch (SdkException e) {
                failure = e;
            }
            took = (System.nanoTime() - t0) / 1_000_000;
        } finally {
            node.thaw();
        }
        LOG.info("PUT with {} frozen: {} ms, {}", node.name(), took, failure == null ? "200" : failure.toString());
        assertTrue(failure == null && took < limit.toMillis(), "PUT of 3 MiB with one of six nodes frozen (before "
                + "the server marked it DOWN): " + (failure == null ? "took " + took + " ms"
                : "failed after " + took + " ms: " + failure) + "; 5 of 6 pieces (the write quorum) were durable "
                + "within milliseconds, but the PUT waits for the frozen node's piece write to time out");
        assertEquals(during.sha256(), getSha256(s3, bucket, "during-freeze"), "object written with a frozen node");
    }

    @Test
    @Order(5)
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void writesSucceedWithOneNodeDownAndFailFastWithTooFew() throws Exception {
        cluster.restoreAll();
        String bucket = "quorum";
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, SeededBytes> stored = new LinkedHashMap<>();

        // One node SIGKILLed. Right away (the server still thinks it UP, its piece writes fail)
        // and again once it is marked DOWN (placement skips it): 5 of 6 pieces is the quorum.
        NodeProcess first = cluster.killNodes(1).get(0);
        long[] sizes = {0, 100, MiB + 1, 5 * MiB + 7};
        for (long size : sizes) {
            stored.put("one-down/undetected-" + size, new SeededBytes(400 + size, size));
        }
        stored.forEach((k, c) -> put(s3, bucket, k, c));
        JsonObject degraded = cluster.awaitSummary("one node DOWN",
                s -> s.getJsonObject("nodes").getInteger("DOWN", 0) == 1 && s.getInteger("writableNodes") == NODES - 1);
        assertEquals("degraded", degraded.getString("health"), degraded.encode());
        assertTrue(degraded.getString("reason").contains(first.id()), "the reason names the node: " + degraded.encode());
        assertEquals("DOWN", cluster.nodeRecord(first.id()).getString("state"));
        for (long size : sizes) {
            SeededBytes c = new SeededBytes(500 + size, size);
            put(s3, bucket, "one-down/detected-" + size, c);
            stored.put("one-down/detected-" + size, c);
        }
        stored.forEach((k, c) -> assertEquals(c.sha256(), getSha256(s3, bucket, k), k));

        // Two more SIGKILLed in the middle of an upload whose first chunks are stored: 3 up,
        // write quorum 5. The upload fails and its stored chunks are deleted. Right after the
        // kill the server believes 5 writable and reaches only 3; once they are DOWN it knows
        // it has 3. Every PUT fails fast with 503 and leaves nothing behind.
        Map<Path, NodeProcess> liveBefore = cluster.livePieceFiles();
        SeededBytes big = new SeededBytes(650, 20 * MiB);
        GatedInputStream gated = new GatedInputStream(big.stream(), 12 * MiB);
        CompletableFuture<HttpResponse<String>> upload = CompletableFuture
                .supplyAsync(() -> cluster.signedPut(bucket, "too-few/mid-upload",
                        HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> gated),
                                big.size()), Duration.ofSeconds(60)));
        assertTrue(gated.awaitGate(30, TimeUnit.SECONDS), "the upload sent 12 MiB");
        int storedPieces = ClusterFixture.await("2 or more chunks of the upload stored (5 pieces each)",
                () -> newPieces(liveBefore).size(), n -> n >= 10, Duration.ofSeconds(10));
        cluster.killNodes(2);
        gated.open();
        try {
            HttpResponse<String> r = upload.get(30, TimeUnit.SECONDS);
            LOG.info("upload cut by the kill of 2 nodes after {} pieces stored: {} {}", storedPieces, r.statusCode(),
                    r.body().replace('\n', ' '));
            assertStatus(503, r, "PUT that lost its write quorum half way");
        } catch (ExecutionException e) {
            LOG.info("upload cut by the kill of 2 nodes after {} pieces stored: connection closed ({})", storedPieces,
                    e.getCause().toString());
        }
        assertAbsent(bucket, "too-few/mid-upload");
        ClusterFixture.await("the stored chunks of the failed upload deleted from the live nodes",
                () -> newPieces(liveBefore), Map::isEmpty, Duration.ofSeconds(10));

        try (S3Client noRetry = cluster.s3WithoutRetries()) {
            assertFailsFast(noRetry, bucket, "too-few/undetected", new SeededBytes(600, MiB));
            assertAbsent(bucket, "too-few/undetected");
            ClusterFixture.await("the pieces of the failed PUT deleted from the live nodes",
                    () -> newPieces(liveBefore), Map::isEmpty, Duration.ofSeconds(10));

            JsonObject critical = cluster.awaitSummary("three nodes DOWN",
                    s -> s.getJsonObject("nodes").getInteger("DOWN", 0) == 3 && s.getInteger("writableNodes") == 3);
            assertEquals("critical", critical.getString("health"), critical.encode());
            assertFailsFast(noRetry, bucket, "too-few/detected", new SeededBytes(601, MiB));
            assertAbsent(bucket, "too-few/detected");
            assertRawServiceUnavailable(bucket, "too-few/raw", new SeededBytes(604, MiB).bytes(0, (int) MiB));
            assertAbsent(bucket, "too-few/raw");

            String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("too-few/multipart")).uploadId();
            long t0 = System.nanoTime();
            S3Exception part = assertThrows(S3Exception.class, () -> noRetry.uploadPart(b -> b.bucket(bucket)
                    .key("too-few/multipart").uploadId(uploadId).partNumber(1), body(new SeededBytes(603, MiB))));
            assertServiceUnavailable(part, Duration.ofNanos(System.nanoTime() - t0), "UploadPart");
            assertTrue(s3.listParts(b -> b.bucket(bucket).key("too-few/multipart").uploadId(uploadId)).parts()
                    .isEmpty(), "a failed part is not listed");
            s3.abortMultipartUpload(b -> b.bucket(bucket).key("too-few/multipart").uploadId(uploadId));
            assertAbsent(bucket, "too-few/multipart");
            assertEquals(new TreeSet<>(stored.keySet()), listKeys(s3, bucket),
                    "exactly the acknowledged objects are listed");
            assertTrue(liveBefore.keySet().stream().allMatch(Files::exists), "no live piece was lost");

            // Bodies longer than one chunk (4 MiB), as the SDK sends them (Expect: 100-continue,
            // then the body): the client must get the 503 too, not a connection cut while its
            // body is on the way. Whether a cut loses the answer is a race (about one PUT in
            // ten here), hence thirty tries; a server that answers right never fails this.
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String key = "too-few/6m-" + i;
                long start = System.nanoTime();
                String outcome;
                try {
                    put(noRetry, bucket, key, new SeededBytes(610 + i, 6 * MiB));
                    outcome = "200";
                } catch (S3Exception e) {
                    outcome = e.statusCode() + " " + e.awsErrorDetails().errorCode();
                } catch (SdkException e) {
                    outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
                outcomes.add(key + ": " + outcome + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
                assertAbsent(bucket, key);
            }
            LOG.info("6 MiB PUTs with 3 of 6 nodes up: {}", outcomes);
            assertTrue(outcomes.stream().allMatch(o -> o.matches(".*: 503 (ServiceUnavailable|SlowDown) after .*")),
                    "6 MiB PUTs with 3 of 6 nodes up, each must end in 503 ServiceUnavailable/SlowDown:\n"
                            + String.join("\n", outcomes));
        }
    }

    @Test
    @Order(6)
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void fiveHundredObjectsSurviveTwoNodesKilled() throws Exception {
        cluster.restoreAll();
        String bucket = "five-hundred";
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, SeededBytes> objects = plan();
        long total = objects.values().stream().mapToLong(SeededBytes::size).sum();
        long t0 = System.nanoTime();
        Map<String, String> sha = forEach(objects, CONCURRENCY, (key, content) -> {
            String digest = content.sha256();
            if (content.size() > 16 * MiB) {
                putMultipart(s3, bucket, key, content);
            } else {
                put(s3, bucket, key, content);
            }
            return digest;
        });
        double writeSeconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(objects.keySet(), listKeys(s3, bucket), "all 500 keys listed");
        LOG.info("wrote {} objects, {} MiB, in {} s ({} MiB/s)", objects.size(), total / MiB,
                String.format("%.1f", writeSeconds), String.format("%.1f", total / MiB / writeSeconds));

        double rebuilt0 = ClusterFixture.metricValue(cluster.serverMetrics(), RECONSTRUCTIONS);
        List<NodeProcess> killed = cluster.killNodes(2);
        LOG.info("SIGKILLed {}", killed.stream().map(n -> n.name() + " (" + n.id() + ")").toList());

        long t1 = System.nanoTime();
        Map<String, String> read = forEach(objects, CONCURRENCY, (key, content) -> getSha256(s3, bucket, key));
        double readSeconds = (System.nanoTime() - t1) / 1e9;
        List<String> wrong = objects.keySet().stream().filter(k -> !sha.get(k).equals(read.get(k))).toList();
        assertTrue(wrong.isEmpty(), wrong.size() + " objects differ after 2 of 6 nodes were killed: "
                + wrong.stream().limit(20).map(k -> k + " (" + objects.get(k).size() + " B)").toList());
        double rebuilt = ClusterFixture.metricValue(cluster.serverMetrics(), RECONSTRUCTIONS) - rebuilt0;
        assertTrue(rebuilt > 0, "with two nodes gone some reads must have been rebuilt from parity");

        // Again once the server has marked them DOWN (it no longer tries them), with ranges too.
        cluster.awaitSummary("the two killed nodes DOWN", s -> s.getJsonObject("nodes").getInteger("DOWN", 0) == 2);
        long t2 = System.nanoTime();
        Map<String, String> reread = forEach(objects, CONCURRENCY, (key, content) -> getSha256(s3, bucket, key));
        double rereadSeconds = (System.nanoTime() - t2) / 1e9;
        List<String> wrongAgain = objects.keySet().stream().filter(k -> !sha.get(k).equals(reread.get(k))).toList();
        assertTrue(wrongAgain.isEmpty(), wrongAgain.size() + " objects differ with 2 nodes DOWN: "
                + wrongAgain.stream().limit(20).toList());
        int ranges = 0;
        for (Map.Entry<String, SeededBytes> e : objects.entrySet()) {
            SeededBytes c = e.getValue();
            if (c.size() < 8 * MiB) {
                continue;
            }
            // Across a chunk boundary (4 MiB), a part boundary (8 MiB), and the last bytes.
            long[][] spans = {{4 * MiB - 1000, 2000}, {8 * MiB - 70_000, 140_000}, {c.size() - 10, 10},
                    {c.size() / 3, 3 * MiB}};
            for (long[] span : spans) {
                long from = span[0];
                long length = Math.min(span[1], c.size() - from);
                byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(e.getKey())
                        .range("bytes=" + from + "-" + (from + length - 1))).asByteArray();
                assertArrayEquals(c.bytes(from, (int) length), got, e.getKey() + " bytes " + from + "+" + length);
                ranges++;
            }
        }
        String summary = String.format("%d objects, %d bytes (%.1f MiB): written in %.1f s (%.1f MiB/s) with 6 of 6 "
                        + "nodes; read back byte-identical right after SIGKILL of 2 in %.1f s (%.1f MiB/s, %d chunk "
                        + "reads rebuilt) and again once they were DOWN in %.1f s (%.1f MiB/s); %d range GETs",
                objects.size(), total, total / (double) MiB, writeSeconds, total / (double) MiB / writeSeconds,
                readSeconds, total / (double) MiB / readSeconds, (long) rebuilt, rereadSeconds,
                total / (double) MiB / rereadSeconds, ranges);
        LOG.info(summary);
        System.out.println("ClusterIT: " + summary);
    }

    // ---- the 500 objects ----

    /**
     * 400 objects of 0 B to 1 MiB (most of them small, plus the inline-threshold edges), 90 of
     * 1 to 8 MiB (with the 4 MiB chunk-size edges), 10 multipart uploads of 20 to 50 MiB.
     */
    private static Map<String, SeededBytes> plan() {
        Random rnd = new Random(20_240_601);
        Map<String, SeededBytes> objects = new LinkedHashMap<>();
        long[] edges = {0, 1, 16 * KiB - 1, 16 * KiB, 16 * KiB + 1, MiB};
        for (int i = 0; i < 400; i++) {
            long size = i < edges.length ? edges[i] : (long) (Math.pow(rnd.nextDouble(), 3) * MiB);
            String key = switch (i % 100) {
                case 7 -> String.format("small/%03d with spaces+plus", i);
                case 8 -> String.format("small/%03d-ünïcödé-ключ", i);
                default -> String.format("small/%03d", i);
            };
            objects.put(key, new SeededBytes(1000 + i, size));
        }
        long[] chunkEdges = {4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 8 * MiB};
        for (int i = 0; i < 90; i++) {
            long size = i < chunkEdges.length ? chunkEdges[i] : MiB + (long) (rnd.nextDouble() * 7 * MiB);
            objects.put(String.format("medium/%02d", i), new SeededBytes(2000 + i, size));
        }
        for (int i = 0; i < 10; i++) {
            long size = 20 * MiB + (long) (rnd.nextDouble() * 30 * MiB);
            objects.put(String.format("multipart/%d", i), new SeededBytes(3000 + i, size));
        }
        return objects;
    }

    // ---- assertions ----

    /** A PUT that must fail within {@link #FAIL_FAST} with 503 and an S3 XML error. */
    private static void assertFailsFast(S3Client noRetry, String bucket, String key, SeededBytes content) {
        long t0 = System.nanoTime();
        S3Exception e = assertThrows(S3Exception.class, () -> put(noRetry, bucket, key, content),
                "PUT " + key + " with 3 of 6 nodes up");
        assertServiceUnavailable(e, Duration.ofNanos(System.nanoTime() - t0), "PUT " + key);
    }

    /** 503 with the code and message the SDK parsed from the S3 error XML, within {@link #FAIL_FAST}. */
    private static void assertServiceUnavailable(S3Exception e, Duration took, String what) {
        LOG.info("{} failed in {} ms: {} {} \"{}\" request id {}", what, took.toMillis(), e.statusCode(),
                e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage(), e.requestId());
        assertEquals(503, e.statusCode(), what + ": " + e);
        assertTrue(Set.of("ServiceUnavailable", "SlowDown").contains(e.awsErrorDetails().errorCode()),
                what + ": error code " + e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage() != null && !e.awsErrorDetails().errorMessage().isBlank(),
                what + ": a message in the error XML");
        assertTrue(took.compareTo(FAIL_FAST) < 0, what + " took " + took.toMillis() + " ms to fail");
    }

    /**
     * The same refusal seen on the wire: a PUT signed by hand (SigV4, unsigned payload) and sent
     * with java.net.http, since the SDK does not keep the raw body of an XML error.
     */
    private static void assertRawServiceUnavailable(String bucket, String key, byte[] body) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = cluster.signedPut(bucket, key, HttpRequest.BodyPublishers.ofByteArray(body),
                FAIL_FAST);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        LOG.info("raw PUT {} answered in {} ms: {} {} {}", key, millis, r.statusCode(), r.headers().map(),
                r.body().replace('\n', ' '));
        assertStatus(503, r, "raw PUT " + key);
        assertTrue(r.headers().firstValue("Content-Type").orElse("").contains("xml"), "Content-Type: "
                + r.headers().map());
        assertTrue(r.body().matches("(?s).*<Error>\\s*<Code>(ServiceUnavailable|SlowDown)</Code>\\s*<Message>[^<]+"
                + "</Message>.*<RequestId>[^<]+</RequestId>.*</Error>\\s*"), "S3 error XML: " + r.body());
        assertTrue(millis < FAIL_FAST.toMillis(), "raw PUT took " + millis + " ms");
    }

    /** The key is not there: HEAD and GET 404, and no listing shows it. */
    private static void assertAbsent(String bucket, String key) {
        S3Exception head = assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket(bucket).key(key)),
                "HEAD " + key);
        assertEquals(404, head.statusCode(), "HEAD " + key);
        S3Exception get = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)),
                "GET " + key);
        assertEquals(404, get.statusCode(), "GET " + key);
        assertEquals("NoSuchKey", get.awsErrorDetails().errorCode(), "GET " + key);
        assertFalse(listKeys(s3, bucket).contains(key), key + " is listed");
    }

    /** Inverts {@code count} bytes of a file in place and forces them to disk. */
    private static void flipBytes(Path file, long position, int count) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(count);
            ch.read(buf, position);
            for (int i = 0; i < count; i++) {
                buf.put(i, (byte) ~buf.get(i));
            }
            buf.rewind();
            ch.write(buf, position);
            ch.force(true);
        }
    }

    /** A request straight to a node (see {@link ClusterFixture#nodeRequest}). */
    private static HttpResponse<String> call(NodeProcess node, String method, String path, ClusterAuth auth,
                                             byte[] body) {
        return cluster.nodeRequest(node, method, path, auth, body);
    }

    /** Piece files on the running nodes that were not in {@code before}. */
    private static Map<Path, NodeProcess> newPieces(Map<Path, NodeProcess> before) {
        return ClusterFixture.added(before, cluster.livePieceFiles());
    }

    private static void assertStatus(int expected, HttpResponse<String> r, String what) {
        if (r.statusCode() != expected) {
            fail(what + ": expected " + expected + ", got " + r.statusCode() + " " + r.headers().map() + " "
                    + r.body());
        }
    }

    private static String grep(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).collect(Collectors.joining("\n"));
    }
}
