package dev.cairn.chunkstore.node;

import static dev.cairn.chunkstore.node.NodeFixture.SECRET;
import static dev.cairn.chunkstore.node.NodeFixture.randomBytes;
import static dev.cairn.chunkstore.node.NodeFixture.randomId;
import static dev.cairn.chunkstore.node.NodeServerTest.await;
import static dev.cairn.chunkstore.node.NodeServerTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.chunkstore.PieceId;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole node: identity, restart, heartbeats. */
class ChunkstoreNodeTest {
    private static final ClusterAuth AUTH = new ClusterAuth(SECRET, Clock.systemUTC());
    private static Vertx vertx;
    private static ExecutorService worker;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        worker = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        worker.shutdownNow();
    }

    private static NodeConfig config(Path dir) {
        return NodeConfig.of(dir, SECRET).withListen("127.0.0.1", 0);
    }

    private static ChunkstoreNode startNode(NodeConfig config) throws IOException {
        return ChunkstoreNode.start(config, BlockedThreadWatch.strictOptions());
    }

    private static RemoteChunkStoreClient client(ChunkstoreNode node) {
        return RemoteChunkStoreClient.create(vertx, node.nodeId(), URI.create(node.address()), AUTH, worker);
    }

    @Test
    void nodeIdPersistsAndAConflictingOneIsRefused(@TempDir Path dir) throws Exception {
        try (ChunkstoreNode node = startNode(config(dir).withIdentity("alpha-1", "z1"))) {
            assertEquals("alpha-1", node.nodeId());
        }
        assertEquals("alpha-1", Files.readString(dir.resolve(NodeIdentity.FILE_NAME)).strip());
        try (ChunkstoreNode node = startNode(config(dir))) {
            assertEquals("alpha-1", node.nodeId());
        }
        try (ChunkstoreNode node = startNode(config(dir).withIdentity("alpha-1", null))) {
            assertEquals("alpha-1", node.nodeId());
        }
        IOException e = assertThrows(IOException.class, () -> startNode(config(dir).withIdentity("beta", null)));
        assertTrue(e.getMessage().contains("alpha-1") && e.getMessage().contains("beta"), e.getMessage());
        try (ChunkstoreNode node = startNode(config(dir))) {
            assertEquals("alpha-1", node.nodeId(), "the refused start released the store");
        }
    }

    @Test
    void generatedIdsAndValidation(@TempDir Path dir) throws Exception {
        String id = NodeIdentity.loadOrCreate(dir, null);
        assertTrue(id.matches("node-[0-9a-f]{12}"), id);
        assertEquals(id, NodeIdentity.loadOrCreate(dir, null));
        assertThrows(IllegalArgumentException.class, () -> NodeIdentity.loadOrCreate(dir, "../evil"));
        assertThrows(IllegalArgumentException.class, () -> config(dir).withIdentity("has space", null));
        Files.writeString(dir.resolve(NodeIdentity.FILE_NAME), "bad id\n");
        assertThrows(IOException.class, () -> NodeIdentity.loadOrCreate(dir, null));
    }

    @Test
    void restartedNodeServesTheSamePieces(@TempDir Path dir) throws Exception {
        Map<PieceId, byte[]> pieces = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            pieces.put(randomId(i), randomBytes(10_000 * (i + 1)));
        }
        String id;
        try (ChunkstoreNode node = startNode(config(dir).withCapacity(10 << 20));
             RemoteChunkStoreClient client = client(node)) {
            id = node.nodeId();
            for (Map.Entry<PieceId, byte[]> e : pieces.entrySet()) {
                await(client.put(e.getKey(), ByteBuffer.wrap(e.getValue())));
            }
        }
        try (ChunkstoreNode node = startNode(config(dir).withCapacity(10 << 20));
             RemoteChunkStoreClient client = client(node)) {
            assertEquals(id, node.nodeId());
            for (Map.Entry<PieceId, byte[]> e : pieces.entrySet()) {
                assertArrayEquals(e.getValue(), bytes(await(client.get(e.getKey(), 0, 1 << 20))));
            }
            NodeInfo info = await(client.info());
            assertEquals(5, info.pieces());
            assertEquals(10 << 20, info.capacity());
            assertEquals(5, await(client.list(null, 100)).pieces().size());
            String metrics = new String(NodeServerTest.send("GET", "/metrics", null, Map.of(), node.port()).body(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(metrics.contains("jvm_memory_used_bytes"), "JVM metrics are bound");
            NodeServerTest.assertSample(metrics, "cairn_node_pieces", 5);
        }
    }

    @Test
    void heartbeatsArriveSignedWithinTwoIntervals(@TempDir Path dir) throws Exception {
        List<HeartbeatMessage> beats = new CopyOnWriteArrayList<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger refuseFirst = new AtomicInteger(2);
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            ClusterAuth.Verdict v = AUTH.verify(req.method().name(), req.uri(), req.getHeader(ClusterAuth.TIME_HEADER),
                    req.getHeader(ClusterAuth.CONTENT_SHA256_HEADER), req.getHeader(ClusterAuth.SIGNATURE_HEADER));
            if (v != ClusterAuth.Verdict.OK || !ClusterAuth.bodyMatches(req.getHeader(ClusterAuth.CONTENT_SHA256_HEADER),
                    body.getBytes()) || !req.path().equals("/prefix" + HeartbeatMessage.PATH)) {
                problems.add(v + " " + req.uri());
                req.response().setStatusCode(403).end();
                return;
            }
            beats.add(HeartbeatMessage.parse(body.toString()));
            req.response().setStatusCode(refuseFirst.getAndDecrement() > 0 ? 503 : 204).end();
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        Duration interval = Duration.ofMillis(200);
        NodeConfig config = config(dir).withIdentity("hb-node", "zone-b").withCapacity(1 << 30)
                .withJoin("http://127.0.0.1:" + server.actualPort() + "/prefix/", "10.1.2.3", interval);
        try (ChunkstoreNode node = startNode(config)) {
            long started = System.nanoTime();
            waitFor(() -> !beats.isEmpty(), Duration.ofSeconds(5));
            long firstMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(firstMillis <= 2 * interval.toMillis(), "first heartbeat after " + firstMillis + " ms");
            HeartbeatMessage beat = beats.get(0);
            assertEquals("hb-node", beat.nodeId());
            assertEquals("http://10.1.2.3:" + node.port(), beat.address());
            assertEquals("zone-b", beat.zone());
            assertEquals(1 << 30, beat.capacity());
            assertEquals(0, beat.pieces());
            assertEquals(HeartbeatMessage.VERSION, beat.version());

            try (RemoteChunkStoreClient client = RemoteChunkStoreClient.create(vertx, node.nodeId(),
                    URI.create("http://127.0.0.1:" + node.port()), AUTH, worker)) {
                await(client.put(randomId(0), ByteBuffer.wrap(randomBytes(1000))));
            }
            // keeps beating through refusals, and reports fresh numbers
            waitFor(() -> node.heartbeatsAccepted() >= 2 && beats.get(beats.size() - 1).pieces() == 1,
                    Duration.ofSeconds(5));
            assertTrue(beats.get(beats.size() - 1).used() > 1000);
        } finally {
            server.close();
        }
        int after = beats.size();
        Thread.sleep(3 * interval.toMillis());
        assertEquals(after, beats.size(), "no heartbeats after close");
        assertTrue(problems.isEmpty(), problems.toString());
    }

    @Test
    void heartbeatMessageValidation() {
        HeartbeatMessage m = new HeartbeatMessage("n1", "http://h:1", null, 0, 1, 2, 1);
        assertEquals(m, HeartbeatMessage.parse(m.toJson().encode()));
        assertNull(HeartbeatMessage.parse(m.toJson().encode()).zone());
        assertThrows(IllegalArgumentException.class, () -> HeartbeatMessage.parse("nope"));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatMessage.parse(m.toJson().put("nodeId", "../x").encode()));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatMessage.parse(m.toJson().put("address", "ftp://x").encode()));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatMessage.parse(m.toJson().put("used", -1).encode()));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatMessage.parse(m.toJson().put("used", "x").encode()));
        assertThrows(IllegalArgumentException.class, () -> HeartbeatMessage.parse(m.toJson().putNull("pieces").encode()));
    }

    @Test
    void configValidation(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.of(dir, ""));
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.of(dir, SECRET).withJoin("ftp://x", null, null));
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.of(dir, SECRET).withJoin("http://x", null, Duration.ZERO));
        NodeConfig c = NodeConfig.of(dir, SECRET);
        assertEquals(NodeConfig.DEFAULT_HEARTBEAT_INTERVAL, c.heartbeatInterval());
        assertEquals("127.0.0.1", c.advertiseHost());
        assertTrue(!c.toString().contains(SECRET), "the secret is not printed");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + max);
            }
            Thread.sleep(10);
        }
    }
}
