package dev.cairn.tools.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.chunkstore.node.ClusterAuth;
import dev.cairn.s3.auth.RequestSigner;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Acceptance 2 and 3 of issue 14, with real processes: three {@code cairn server} processes
 * replicating metadata over Raft (each an S3 gateway) and six chunkstore nodes that join all three.
 * Writers load all gateways while a server is SIGKILLed - the leader, a follower, and the leader
 * again with its data directory deleted before it restarts; writes resume within seconds on a new
 * leader, every acknowledged object reads back byte for byte through every gateway, and the killed
 * server catches up. A read on one gateway right after a write on another always sees the write.
 * A fourth server started with {@code --metadata-join} waits until {@code cairn admin metadata
 * add-peer} adds it, then serves objects written before it joined; {@code remove-peer} takes it
 * out again, and refuses to take a third peer away.
 *
 * The keyring is replicated too (issue 17): a KMS key made through one gateway serves SSE-KMS on
 * another, and SSE-S3 and SSE-KMS objects read back through every gateway.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedMetadataIT {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedMetadataIT.class);
    private static final String NAME = "replicated-metadata";
    private static final String BUCKET = "replicated";
    private static final List<String> IDS = List.of("a", "b", "c");
    /** On a shared 2-core machine an election plus retries takes a few seconds; 20 s means it is broken. */
    private static final Duration MAX_PAUSE = Duration.ofSeconds(20);
    /** The same master key on every server: the keyring in metadata is wrapped by it. */
    private static final String MASTER_KEY = java.util.Base64.getEncoder().encodeToString(
            "replicated-metadata-it-master-k!".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    static Path dir;
    private static final Map<String, ServerProcess> servers = new java.util.TreeMap<>();
    private static final List<NodeProcess> nodes = new ArrayList<>();
    private static final Map<String, Integer> adminPorts = new java.util.HashMap<>();
    /** Every acknowledged PUT: key -> its content. */
    private static final Map<String, SeededBytes> acked = new ConcurrentHashMap<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startCluster() throws IOException {
        StringBuilder peers = new StringBuilder();
        for (String id : IDS) {
            peers.append(peers.length() == 0 ? "" : ",").append(id).append("=127.0.0.1:").append(freePort());
            adminPorts.put(id, freePort());
        }
        peerList = peers.toString();
        for (String id : IDS) {
            startServer(id, peerList, false);
        }
        String join = String.join(",", IDS.stream().map(id -> "http://127.0.0.1:" + adminPorts.get(id)).toList());
        for (int i = 0; i < 6; i++) {
            nodes.add(NodeProcess.launch("node-" + i, dir.resolve("node-" + i), Logs.dir(NAME), join,
                    ClusterFixture.CLUSTER_SECRET, List.of("--heartbeat-seconds", "1")));
        }
        nodes.forEach(NodeProcess::awaitReady);
        for (String id : IDS) {
            waitFor(id + " is ready with 6 nodes UP", Duration.ofSeconds(90), () -> ready(id) && upNodes(id) == 6);
        }
        try (S3Client s3 = client("a")) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
    }

    private static final Map<String, List<String>> serverArgs = new java.util.HashMap<>();
    private static String peerList;

    private static void startServer(String id, String peers, boolean join) {
        List<String> args = List.of("--chunkstores", "0", "--protection", "rs4+2", "--metadata-join", Boolean.toString(join),
                "--admin-port", Integer.toString(adminPorts.get(id)),
                "--heartbeat-seconds", "1", "--down-after-seconds", "6",
                "--metadata-peers", peers, "--metadata-id", id,
                // small segments and frequent snapshots: the log is purged during the test, so a
                // server that lost its data catches up by installing a snapshot
                "--metadata-snapshot-every", "200", "--metadata-log-segment", "64KiB");
        serverArgs.put(id, args);
        servers.put(id, ServerProcess.start(NAME + "-" + id, dir.resolve("server-" + id), args,
                Map.of("CAIRN_CLUSTER_SECRET", ClusterFixture.CLUSTER_SECRET, "CAIRN_MASTER_KEY", MASTER_KEY)));
    }

    @AfterAll
    static void stopCluster() {
        servers.values().forEach(ServerProcess::close);
        nodes.forEach(NodeProcess::stop);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // ---- acceptance 3 ----

    @Test
    @Order(1)
    void aReadOnAnotherGatewayRightAfterAWriteSeesIt() {
        List<S3Client> gateways = IDS.stream().map(ReplicatedMetadataIT::client).toList();
        long t0 = System.nanoTime();
        int keys = 60;
        try {
            for (int i = 0; i < keys; i++) {
                String key = "lin/" + i;
                S3Client writer = gateways.get(i % 3);
                S3Client reader = gateways.get((i + 1) % 3);
                S3Client other = gateways.get((i + 2) % 3);
                writer.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("v1-" + i));
                assertEquals("v1-" + i, reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String(),
                        key + " after the first write");
                // overwrite through a third gateway: the next read anywhere never sees v1 again
                other.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString("v2-" + i));
                assertEquals("v2-" + i, writer.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String(),
                        key + " after the overwrite");
                assertEquals("v2-" + i, reader.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asUtf8String(),
                        key + " after the overwrite");
            }
        } finally {
            gateways.forEach(S3Client::close);
        }
        LOG.info("linearizability: {} keys, 5 requests each, {} ms per request", keys,
                (System.nanoTime() - t0) / 1_000_000 / (5L * keys));
    }

    // ---- acceptance 2 ----

    @Test
    @Order(2)
    void killingTheLeaderPausesWritesBrieflyAndLosesNothing() throws Exception {
        String leader = leader();
        survive("leader", leader, false);
        assertNotEquals(leader, leader(), "a new leader was elected");
    }

    @Test
    @Order(3)
    void killingAFollowerLosesNothing() throws Exception {
        String leader = leader();
        String follower = IDS.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        survive("follower", follower, false);
    }

    @Test
    @Order(4)
    void aLeaderThatLostItsDataCatchesUpFromTheOthers() throws Exception {
        survive("leader without data", leader(), true);
        // it came back empty and the log it missed was purged: it installed a snapshot
        String restarted = lastVictim;
        JsonObject status = metadataStatus(restarted);
        assertTrue(status.getLong("snapshotIndex") > 0, "the wiped server holds a snapshot: " + status);
    }

    private static String lastVictim;

    // ---- adding and removing a peer ----

    @Test
    @Order(5)
    void aFourthServerJoinsWithTheCliServesOldObjectsAndLeaves() throws Exception {
        for (String id : IDS) {
            if (!servers.get(id).isAlive()) {
                servers.get(id).restart();
            }
        }
        String leader = leader();
        String follower = IDS.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        try (S3Client s3 = client(follower)) { // written before d exists: small ones and chunked ones
            for (int i = 0; i < 6; i++) {
                int size = i % 2 == 0 ? 3_000 : 300_000;
                SeededBytes content = new SeededBytes(1000 + i, size);
                String key = "before-d/" + i;
                s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content.bytes(0, size)));
                acked.put(key, content);
            }
        }
        String peerD = "d=127.0.0.1:" + freePort();
        adminPorts.put("d", freePort());
        startServer("d", peerList + "," + peerD, true);
        waitFor("d answers that it waits to be added", Duration.ofSeconds(90),
                () -> readiness("d").contains("waiting to be added"));

        CommandLine.Result added = cli(follower, "admin", "metadata", "add-peer", peerD);
        added.assertOk();
        assertTrue(added.stdout().contains("metadata peer d added"), added.describe("add-peer"));
        waitFor("d is ready", Duration.ofSeconds(60), () -> ready("d"));
        List<String> old = acked.keySet().stream().sorted().limit(40).toList(); // "before-d/" and the load's
        try (S3Client s3 = client("d")) {
            for (String key : old) {
                int size = (int) acked.get(key).size();
                assertArrayEquals(acked.get(key).bytes(0, size),
                        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray(), key + " through d");
            }
        }
        waitFor("every server sees four caught-up peers", Duration.ofSeconds(30), () -> List.of("a", "b", "c", "d")
                .stream().allMatch(id -> {
                    JsonObject st = metadataStatus(id);
                    return st.getJsonArray("peers").size() == 4 && st.getJsonArray("peers").stream()
                            .allMatch(p -> ((JsonObject) p).getBoolean("caughtUp"));
                }));
        CommandLine.Result table = cli("d", "admin", "metadata", "status").assertOk();
        assertTrue(table.stdout().contains("metadata peer d (follower)") && table.stdout().contains("CAUGHT-UP"),
                table.describe("status through d"));

        CommandLine.Result removed = cli(follower, "admin", "metadata", "remove-peer", "d").assertOk();
        assertTrue(removed.stdout().contains("metadata peer d removed"), removed.describe("remove-peer"));
        JsonObject three = new JsonObject(cli(leader(), "admin", "metadata", "status", "--json").assertOk().stdout());
        assertEquals(List.of("a", "b", "c"), three.getJsonArray("peers").stream()
                .map(p -> ((JsonObject) p).getString("id")).sorted().toList(), three.encode());
        servers.remove("d").close();

        CommandLine.Result refused = cli(follower, "admin", "metadata", "remove-peer", leader());
        assertEquals(1, refused.exitCode(), refused.describe("removing a third peer"));
        assertTrue(refused.stderr().contains("409") && refused.stderr().contains("at least 3"),
                refused.describe("removing a third peer"));
        try (S3Client s3 = client(follower)) {
            s3.putObject(b -> b.bucket(BUCKET).key("after-membership"), RequestBody.fromString("still writable"));
        }
    }

    private static CommandLine.Result cli(String server, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--endpoint", servers.get(server).adminUri().toString(),
                "--access-key", ServerProcess.ACCESS_KEY, "--secret-key", ServerProcess.SECRET_KEY));
        return ClusterFixture.cairn(NAME, Map.of(), all);
    }

    /** The readiness answer of server {@code id} ("" when it does not answer). */
    private static String readiness(String id) {
        try {
            return http.send(HttpRequest.newBuilder(servers.get(id).adminUri().resolve("/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    // ---- issue 17: the keyring is replicated metadata ----

    @Test
    @Order(6)
    void encryptedObjectsWrittenThroughOneGatewayReadBackThroughTheOthers() {
        for (String id : IDS) { // an earlier scenario that failed may have left one down
            if (!servers.get(id).isAlive()) {
                servers.get(id).restart();
            }
        }
        String kmsKey = keyCli("c", "create").stdout().strip().lines().reduce((x, y) -> y).orElseThrow();
        assertTrue(keyCli("a", "list").stdout().contains(kmsKey), "a key made through c is listed by a");
        byte[] s3Data = "sealed with SSE-S3 through gateway a".getBytes(StandardCharsets.UTF_8);
        byte[] kmsData = "sealed with SSE-KMS through gateway b".getBytes(StandardCharsets.UTF_8);
        try (S3Client a = client("a"); S3Client b = client("b")) {
            a.putObject(r -> r.bucket(BUCKET).key("sse/s3").serverSideEncryption(
                    software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256), RequestBody.fromBytes(s3Data));
            b.putObject(r -> r.bucket(BUCKET).key("sse/kms").serverSideEncryption(
                    software.amazon.awssdk.services.s3.model.ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKey),
                    RequestBody.fromBytes(kmsData));
        }
        for (String id : IDS) {
            try (S3Client s3 = client(id)) {
                assertArrayEquals(s3Data, s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("sse/s3")).asByteArray(),
                        "SSE-S3 object through " + id);
                var kms = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("sse/kms"));
                assertArrayEquals(kmsData, kms.asByteArray(), "SSE-KMS object through " + id);
                assertEquals(kmsKey, kms.response().ssekmsKeyId(), "through " + id);
            }
        }
    }

    /** {@code cairn admin key ARGS} against gateway {@code id}, as an operator runs it. */
    private static CommandLine.Result keyCli(String id, String... args) {
        List<String> cmd = new ArrayList<>(List.of("admin", "key"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint", servers.get(id).adminUri().toString()));
        return ClusterFixture.cairn(NAME, Map.of("CAIRN_ROOT_ACCESS_KEY", ServerProcess.ACCESS_KEY,
                "CAIRN_ROOT_SECRET_KEY", ServerProcess.SECRET_KEY), cmd).assertOk();
    }

    /**
     * Loads every gateway, SIGKILLs {@code victim} (deleting its data directory when {@code wipe}),
     * checks that writes go on through the others within {@link #MAX_PAUSE}, restarts it, and
     * checks every acknowledged object through every gateway.
     */
    private void survive(String what, String victim, boolean wipe) throws Exception {
        for (String id : IDS) { // an earlier scenario that failed may have left one down
            if (!servers.get(id).isAlive()) {
                servers.get(id).restart();
            }
        }
        lastVictim = victim;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong lastAck = new AtomicLong(System.nanoTime());
        AtomicLong worstGap = new AtomicLong();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        Map<String, AtomicBoolean> dead = new ConcurrentHashMap<>();
        IDS.forEach(id -> dead.put(id, new AtomicBoolean()));
        List<Thread> writers = new ArrayList<>();
        for (String id : IDS) {
            Thread t = new Thread(() -> load(what, id, stop, dead.get(id), lastAck, worstGap, errors), "writer-" + id);
            t.start();
            writers.add(t);
        }
        long before = acked.size();
        waitFor("writes before the kill", Duration.ofSeconds(60), () -> acked.size() >= before + 30);
        dead.get(victim).set(true);
        long killedAt = System.nanoTime();
        lastAck.set(killedAt);
        servers.get(victim).kill9();
        if (wipe) {
            deleteTree(dir.resolve("server-" + victim));
        }
        long atKill = acked.size();
        waitFor("writes after the kill", MAX_PAUSE.plusSeconds(30), () -> acked.size() >= atKill + 30);
        stop.set(true);
        for (Thread t : writers) {
            t.join(Duration.ofSeconds(90).toMillis());
        }
        LOG.info("{}: killed {}; longest gap between acknowledged writes after the kill {} ms; {} objects so far; "
                + "{} failed writes", what, victim, worstGap.get() / 1_000_000, acked.size(), errors.size());
        assertTrue(worstGap.get() < MAX_PAUSE.toNanos(), "writes paused " + worstGap.get() / 1_000_000
                + " ms after " + what + " " + victim + " was killed");
        verifyAll(IDS.stream().filter(id -> !id.equals(victim)).toList());

        // the killed server comes back (on its old data, or none) and catches up
        servers.get(victim).restart();
        waitFor(victim + " is ready again", Duration.ofSeconds(90), () -> ready(victim));
        String leaderNow = leader();
        long committed = metadataStatus(leaderNow).getLong("commitIndex");
        waitFor(victim + " applied what was committed", Duration.ofSeconds(60),
                () -> metadataStatus(victim).getLong("appliedIndex") >= committed);
        verifyAll(List.of(victim));
    }

    private void load(String what, String id, AtomicBoolean stop, AtomicBoolean dead, AtomicLong lastAck,
                      AtomicLong worstGap, ConcurrentLinkedQueue<String> errors) {
        Random random = new Random(id.hashCode() * 31L + what.hashCode());
        try (S3Client s3 = clientWithoutRetries(id)) {
            int n = 0;
            while (!stop.get() && !dead.get()) {
                String key = "load/" + what.replace(' ', '-') + "/" + id + "/" + n++;
                long seed = random.nextLong();
                // mostly small objects (metadata-bound), some chunked ones over the six nodes
                int size = n % 5 == 0 ? 200_000 + random.nextInt(100_000) : 1 + random.nextInt(8_000);
                try {
                    s3.putObject(b -> b.bucket(BUCKET).key(key),
                            RequestBody.fromBytes(new SeededBytes(seed, size).bytes(0, size)));
                    acked.put(key, new SeededBytes(seed, size));
                    long now = System.nanoTime();
                    long prev = lastAck.getAndSet(now);
                    worstGap.accumulateAndGet(now - prev, Math::max);
                } catch (RuntimeException e) {
                    if (!dead.get()) {
                        errors.add(id + " " + key + ": " + e);
                    }
                }
            }
        }
    }

    /** Every acknowledged object, read through each of {@code gateways}, is byte-identical to what was written. */
    private static void verifyAll(List<String> gateways) {
        for (String id : gateways) {
            try (S3Client s3 = client(id)) {
                for (Map.Entry<String, SeededBytes> e : acked.entrySet()) {
                    int size = (int) e.getValue().size();
                    byte[] got = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(e.getKey())).asByteArray();
                    assertArrayEquals(e.getValue().bytes(0, size), got, e.getKey() + " through gateway " + id);
                }
            }
            LOG.info("gateway {} reads back all {} acknowledged objects", id, acked.size());
        }
    }

    // ---- the cluster as an operator sees it ----

    private static S3Client client(String id) {
        return servers.get(id).s3ClientBuilder().build();
    }

    private static S3Client clientWithoutRetries(String id) {
        return servers.get(id).s3ClientBuilder().overrideConfiguration(o -> o
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(Duration.ofSeconds(60))).build();
    }

    /** The leader, as the live servers report it (they agree). */
    private static String leader() {
        String[] found = new String[1];
        waitFor("a metadata leader", Duration.ofSeconds(60), () -> {
            for (String id : IDS) {
                if (!servers.get(id).isAlive()) {
                    continue;
                }
                try {
                    JsonObject s = metadataStatus(id);
                    if (s.getString("leader") != null && "LEADER".equals(s.getString("role"))) {
                        found[0] = s.getString("leader");
                        return true;
                    }
                } catch (RuntimeException e) {
                    // not answering yet
                }
            }
            return false;
        });
        return found[0];
    }

    static JsonObject metadataStatus(String id) {
        return new JsonObject(admin(id, "/admin/metadata"));
    }

    private static boolean ready(String id) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(servers.get(id).adminUri()
                    .resolve("/health/ready")).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long upNodes(String id) {
        try {
            JsonObject nodesJson = new JsonObject(admin(id, "/admin/nodes"));
            return nodesJson.getJsonArray("nodes").stream().map(o -> (JsonObject) o)
                    .filter(n -> "UP".equals(n.getString("state"))).count();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String admin(String id, String path) {
        URI uri = servers.get(id).adminUri().resolve(path);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        new RequestSigner(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY, ServerProcess.REGION)
                .sign("GET", uri.getHost() + ":" + uri.getPort(), path, null, ClusterAuth.sha256Hex(new byte[0]),
                        Instant.now())
                .forEach(req::header);
        try {
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + " on " + id + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(path + " on " + id + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void waitFor(String what, Duration limit, BooleanSupplier fact) {
        long until = System.nanoTime() + limit.toNanos();
        while (!fact.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            ServerProcess.sleep(100);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
