package dev.cairn.chunkstore.node;

import static dev.cairn.chunkstore.node.NodeFixture.SECRET;
import static dev.cairn.chunkstore.node.NodeFixture.randomBytes;
import static dev.cairn.chunkstore.node.NodeFixture.randomId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real NodeServer on a free port, driven through RemoteChunkStoreClient and raw HTTP. */
class NodeServerTest {
    private static final ClusterAuth AUTH = new ClusterAuth(SECRET, Clock.systemUTC());

    private static Vertx vertx;
    private static ExecutorService worker;
    private static NodeFixture node;
    private static final HttpClient RAW = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static int blockedBefore;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        vertx = Vertx.vertx(BlockedThreadWatch.strictOptions());
        worker = Executors.newFixedThreadPool(4);
        node = new NodeFixture(vertx, worker, dir.resolve("store"), 0, NodeServer.DEFAULT_MAX_PIECE_BYTES);
        // first use of each path loads classes and links method handles inside Netty and the JDK,
        // which can stall an event loop past the strict limit on a busy machine: not what we watch for
        PieceId warm = randomId(0);
        await(node.client.put(warm, ByteBuffer.wrap(randomBytes(100_000))));
        await(node.client.get(warm, 0, 100_000));
        await(node.client.head(warm));
        await(node.client.list(null, 10));
        await(node.client.info());
        await(node.client.delete(warm));
        failure(node.client.get(warm, 0, 1));
        send("GET", "/metrics", null, Map.of(), node.port);
        blockedBefore = BlockedThreadWatch.warnings();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        worker.shutdownNow();
        assertEquals(blockedBefore, BlockedThreadWatch.warnings(), "an event loop was blocked");
    }

    // ---- the piece API through the client ----

    @Test
    void putGetRangeHeadDelete() throws Exception {
        PieceId id = randomId(0);
        byte[] data = randomBytes(200_000);
        PieceInfo put = await(node.client.put(id, ByteBuffer.wrap(data)));
        assertEquals(new PieceInfo(id, data.length, crc(data)), put);

        assertArrayEquals(data, bytes(await(node.client.get(id, 0, data.length))));
        assertArrayEquals(slice(data, 65_000, 70_000), bytes(await(node.client.get(id, 65_000, 70_000))));
        assertArrayEquals(slice(data, 199_990, 10), bytes(await(node.client.get(id, 199_990, 1_000))), "clamped");
        assertEquals(0, await(node.client.get(id, 300_000, 10)).remaining());

        assertEquals(put, await(node.client.head(id)));
        assertTrue(await(node.client.delete(id)));
        assertFalse(await(node.client.delete(id)));
        assertInstanceOf(PieceException.NotFound.class, failure(node.client.head(id)));
    }

    @Test
    void putLeavesTheCallersBufferAloneAndEmptyPiecesWork() throws Exception {
        PieceId id = randomId(1);
        ByteBuffer buf = ByteBuffer.allocate(100).position(10).limit(60);
        await(node.client.put(id, buf));
        assertEquals(10, buf.position());
        assertEquals(60, buf.limit());
        assertEquals(50, await(node.client.head(id)).size());

        PieceId empty = randomId(2);
        assertEquals(0, await(node.client.put(empty, ByteBuffer.allocate(0))).size());
        assertEquals(0, await(node.client.get(empty, 0, 100)).remaining());
    }

    @Test
    void rawGetCarriesThePieceHeaders() throws Exception {
        PieceId id = randomId(3);
        byte[] data = randomBytes(1000);
        await(node.client.put(id, ByteBuffer.wrap(data)));
        HttpResponse<byte[]> r = signed("GET", "/v1/pieces/" + id + "?offset=100&length=50", null, AUTH);
        assertEquals(200, r.statusCode());
        assertEquals("1000", r.headers().firstValue(NodeServer.PIECE_SIZE_HEADER).orElseThrow());
        assertEquals(Long.toString(Integer.toUnsignedLong(crc(data))),
                r.headers().firstValue(NodeServer.PIECE_CRC32C_HEADER).orElseThrow());
        assertArrayEquals(slice(data, 100, 50), r.body());
    }

    @Test
    void missingPieces() {
        PieceId id = randomId(0);
        assertInstanceOf(PieceException.NotFound.class, failure(node.client.get(id, 0, 10)));
        assertInstanceOf(PieceException.NotFound.class, failure(node.client.head(id)));
    }

    @Test
    void corruptPieceIsReportedAsCorrupt() throws Exception {
        PieceId id = randomId(4);
        byte[] data = randomBytes(150_000);
        await(node.client.put(id, ByteBuffer.wrap(data)));
        Path file = node.fileOf(id);
        flipByte(file, 32 + 70_000); // in the second block's data
        double before = node.registry.get("cairn.node.checksum.failures").counter().count();

        PieceException e = assertInstanceOf(PieceException.Corrupt.class, failure(node.client.get(id, 0, data.length)));
        assertTrue(e.getMessage().contains(id.toString()), e.getMessage());
        assertInstanceOf(PieceException.Corrupt.class, failure(node.client.get(id, 70_000, 10)));
        assertArrayEquals(slice(data, 0, 1000), bytes(await(node.client.get(id, 0, 1000))), "other blocks still read");
        assertEquals(before + 2, node.registry.get("cairn.node.checksum.failures").counter().count());

        flipByte(file, 13); // the header's length field
        assertInstanceOf(PieceException.Corrupt.class, failure(node.client.head(id)));
    }

    @Test
    void capacityExceeded(@TempDir Path dir) throws Exception {
        try (NodeFixture small = new NodeFixture(vertx, worker, dir, 100_000, NodeServer.DEFAULT_MAX_PIECE_BYTES)) {
            await(small.client.put(randomId(0), ByteBuffer.wrap(randomBytes(60_000))));
            PieceId second = randomId(1);
            PieceException.CapacityExceeded e = assertInstanceOf(PieceException.CapacityExceeded.class,
                    failure(small.client.put(second, ByteBuffer.wrap(randomBytes(60_000)))));
            assertTrue(e.getMessage().contains("node-test"), e.getMessage());
            assertInstanceOf(PieceException.NotFound.class, failure(small.client.head(second)));

            HttpResponse<byte[]> r = signed("PUT", "/v1/pieces/" + second, randomBytes(60_000), AUTH, small.port);
            assertEquals(507, r.statusCode());
            assertEquals("capacity", json(r).getString("error"));
            assertNotNull(json(r).getString("message"));
        }
    }

    @Test
    void tooLargeIs413(@TempDir Path dir) throws Exception {
        try (NodeFixture tiny = new NodeFixture(vertx, worker, dir, 0, 1024)) {
            await(tiny.client.put(randomId(0), ByteBuffer.wrap(randomBytes(1024))));
            HttpResponse<byte[]> r = signed("PUT", "/v1/pieces/" + randomId(1), randomBytes(4096), AUTH, tiny.port);
            assertEquals(413, r.statusCode());
            assertEquals("too_large", json(r).getString("error"));
            assertInstanceOf(PieceException.Unavailable.class,
                    failure(tiny.client.put(randomId(2), ByteBuffer.wrap(randomBytes(2000)))));
            assertEquals(1, tiny.store.pieceCount());
        }
    }

    @Test
    void uploadsBeyondTheBufferBudgetAre503(@TempDir Path dir) throws Exception {
        try (NodeFixture tight = new NodeFixture(vertx, worker, dir, 0, 1000, 1500)) {
            PieceId slow = randomId(0);
            byte[] data = randomBytes(1000);
            String target = "/v1/pieces/" + slow;
            StringBuilder head = new StringBuilder("PUT " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n");
            AUTH.sign("PUT", target, ClusterAuth.sha256Hex(data)).headers()
                    .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", tight.port)) {
                socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(data, 0, 10); // the upload is now in flight, holding 1000 bytes
                socket.getOutputStream().flush();
                Thread.sleep(100);
                HttpResponse<byte[]> busy = signed("PUT", "/v1/pieces/" + randomId(1), randomBytes(1000), AUTH, tight.port);
                assertEquals(503, busy.statusCode());
                assertEquals("unavailable", json(busy).getString("error"));
                assertEquals(201, signed("PUT", "/v1/pieces/" + randomId(2), randomBytes(400), AUTH, tight.port)
                        .statusCode(), "what fits in the budget still goes");

                socket.getOutputStream().write(data, 10, 990);
                socket.getOutputStream().flush();
                byte[] answer = new byte[12];
                int n = socket.getInputStream().readNBytes(answer, 0, 12);
                assertEquals("HTTP/1.1 201", new String(answer, 0, n, StandardCharsets.US_ASCII));
            }
            assertArrayEquals(data, bytes(await(tight.client.get(slow, 0, 1000))));
            assertEquals(201, signed("PUT", "/v1/pieces/" + randomId(1), randomBytes(1000), AUTH, tight.port).statusCode(),
                    "the budget is released");
        }
    }

    @Test
    void listPagesInPieceOrder(@TempDir Path dir) throws Exception {
        try (NodeFixture fresh = new NodeFixture(vertx, worker, dir, 0, NodeServer.DEFAULT_MAX_PIECE_BYTES)) {
            List<PieceId> ids = new ArrayList<>();
            PieceId base = randomId(0);
            for (int index : new int[] {0, 2, 10, 11}) { // numeric, not text, order within a chunk
                ids.add(new PieceId(base.chunkId(), index));
            }
            for (int i = 0; i < 21; i++) {
                ids.add(randomId(i % 3));
            }
            List<CompletableFuture<PieceInfo>> puts = new ArrayList<>();
            for (PieceId id : ids) {
                puts.add(fresh.client.put(id, ByteBuffer.wrap(randomBytes(100 + ids.indexOf(id)))));
            }
            for (CompletableFuture<PieceInfo> f : puts) {
                await(f);
            }
            ids.sort(PieceOrder.COMPARATOR);

            List<PieceInfo> listed = new ArrayList<>();
            PieceId after = null;
            int pages = 0;
            while (true) {
                PiecePage page = await(fresh.client.list(after, 10));
                pages++;
                listed.addAll(page.pieces());
                if (!page.truncated()) {
                    break;
                }
                after = page.nextAfter().orElseThrow();
            }
            assertEquals(3, pages);
            assertEquals(ids, listed.stream().map(PieceInfo::id).toList());
            for (PieceInfo info : listed) {
                assertEquals(await(fresh.client.head(info.id())), info);
            }
            assertTrue(await(fresh.client.list(ids.get(ids.size() - 1), 10)).pieces().isEmpty());

            HttpResponse<byte[]> r = signed("GET", "/v1/pieces?limit=2", null, AUTH, fresh.port);
            assertEquals(NodeServer.NDJSON, r.headers().firstValue("Content-Type").orElseThrow());
            String[] lines = new String(r.body(), StandardCharsets.UTF_8).split("\n");
            assertEquals(2, lines.length);
            assertEquals(ids.get(0).toString(), new JsonObject(lines[0]).getString("id"));
            assertEquals("true", r.headers().firstValue(NodeServer.TRUNCATED_HEADER).orElseThrow());
        }
    }

    @Test
    void info() throws Exception {
        NodeInfo info = await(node.client.info());
        assertEquals("node-test", info.nodeId());
        assertEquals("zone-a", info.zone());
        assertEquals(0, info.capacity());
        assertEquals(node.store.pieceCount(), info.pieces());
    }

    @Test
    void callableFromAnEventLoopAndCompletesOffIt() throws Exception {
        PieceId id = randomId(5);
        byte[] data = randomBytes(70_000);
        CompletableFuture<Boolean> offLoop = new CompletableFuture<>();
        vertx.runOnContext(v -> node.client.put(id, ByteBuffer.wrap(data))
                .thenCompose(info -> node.client.get(id, 0, data.length))
                .whenComplete((b, t) -> {
                    if (t != null) {
                        offLoop.completeExceptionally(t);
                    } else {
                        offLoop.complete(!io.vertx.core.Context.isOnEventLoopThread() && bytes(b).length == data.length);
                    }
                }));
        assertTrue(await(offLoop));
    }

    @Test
    void concurrentPuts() throws Exception {
        List<CompletableFuture<PieceInfo>> puts = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            byte[] d = randomBytes(300_000);
            datas.add(d);
            puts.add(node.client.put(randomId(i), ByteBuffer.wrap(d)));
        }
        for (int i = 0; i < puts.size(); i++) {
            PieceInfo info = await(puts.get(i));
            assertArrayEquals(datas.get(i), bytes(await(node.client.get(info.id(), 0, 1 << 20))));
        }
    }

    // ---- authentication ----

    @Test
    void unsignedRequestsAre401() throws Exception {
        PieceId id = randomId(0);
        await(node.client.put(id, ByteBuffer.wrap(randomBytes(100))));
        for (String[] req : new String[][] {{"GET", "/v1/pieces/" + id}, {"HEAD", "/v1/pieces/" + id},
                {"DELETE", "/v1/pieces/" + id}, {"GET", "/v1/pieces"}, {"GET", "/v1/info"}, {"GET", "/nothing"},
                {"GET", "/v1/pieces/..%2F..%2Fetc"}}) {
            HttpResponse<byte[]> r = send(req[0], req[1], null, Map.of(), node.port);
            assertEquals(401, r.statusCode(), req[0] + " " + req[1]);
            assertEquals("unauthenticated", r.headers().firstValue(NodeError.HEADER).orElseThrow());
            if (!req[0].equals("HEAD")) {
                assertEquals("unauthenticated", json(r).getString("error"));
            }
        }
        HttpResponse<byte[]> put = send("PUT", "/v1/pieces/" + randomId(0), randomBytes(10), Map.of(), node.port);
        assertEquals(401, put.statusCode());
        assertTrue(await(node.client.head(id)).size() == 100, "the piece is untouched");
    }

    @Test
    void wrongSecretIs403() throws Exception {
        ClusterAuth wrong = new ClusterAuth("not-the-cluster-secret", Clock.systemUTC());
        PieceId id = randomId(0);
        HttpResponse<byte[]> r = signed("PUT", "/v1/pieces/" + id, randomBytes(10), wrong);
        assertEquals(403, r.statusCode());
        assertEquals("bad_signature", json(r).getString("error"));
        assertEquals(403, signed("GET", "/v1/info", null, wrong).statusCode());
        assertInstanceOf(PieceException.NotFound.class, failure(node.client.head(id)));

        RemoteChunkStoreClient client = RemoteChunkStoreClient.create(vertx, "node-test", node.baseUri(), wrong, worker);
        try {
            PieceException e = assertInstanceOf(PieceException.Unavailable.class, failure(client.head(id)));
            assertTrue(e.getMessage().contains("403"), e.getMessage());
        } finally {
            client.close();
        }
    }

    @Test
    void oldTimestampIs403() throws Exception {
        ClusterAuth past = new ClusterAuth(SECRET, Clock.fixed(Instant.now().minus(Duration.ofMinutes(6)), ZoneOffset.UTC));
        HttpResponse<byte[]> r = signed("GET", "/v1/info", null, past);
        assertEquals(403, r.statusCode());
        assertEquals("expired", json(r).getString("error"));
    }

    @Test
    void tamperedBodyIs403AndNothingIsStored() throws Exception {
        PieceId id = randomId(0);
        byte[] signedBody = randomBytes(5000);
        byte[] sent = signedBody.clone();
        sent[4000] ^= 0x40;
        String target = "/v1/pieces/" + id;
        ClusterAuth.Signature sig = AUTH.sign("PUT", target, ClusterAuth.sha256Hex(signedBody));
        long pieces = node.store.pieceCount();
        HttpResponse<byte[]> r = send("PUT", target, sent, sig.headers(), node.port);
        assertEquals(403, r.statusCode());
        assertEquals("digest_mismatch", json(r).getString("error"));
        assertInstanceOf(PieceException.NotFound.class, failure(node.client.head(id)));
        assertEquals(pieces, node.store.pieceCount());

        // a body on a request that declares none
        ClusterAuth.Signature getSig = AUTH.sign("GET", "/v1/info", ClusterAuth.sha256Hex(sent));
        assertEquals(403, send("GET", "/v1/info", null, getSig.headers(), node.port).statusCode());
    }

    @Test
    void badPieceIdsAre400() throws Exception {
        for (String path : new String[] {"/v1/pieces/..%2F..%2Fetc", "/v1/pieces/..%2F..%2Fetc%2Fpasswd",
                "/v1/pieces/0123456789abcdef0123456789abcdef.1%2F..", "/v1/pieces/x", "/v1/pieces/"}) {
            HttpResponse<byte[]> r = signed("GET", path, null, AUTH);
            assertEquals(400, r.statusCode(), path + " " + new String(r.body()));
            assertEquals("bad_request", json(r).getString("error"));
            assertEquals(400, signed("PUT", path, randomBytes(10), AUTH).statusCode(), path);
        }
        assertEquals(404, signed("GET", "/v1/nothing", null, AUTH).statusCode());
        assertEquals(405, signed("POST", "/v1/info", null, AUTH).statusCode());
    }

    // ---- anonymous endpoints ----

    @Test
    void healthIsAnonymous() throws Exception {
        HttpResponse<byte[]> r = send("GET", "/health", null, Map.of(), node.port);
        assertEquals(200, r.statusCode());
        assertEquals("ok", json(r).getString("status"));
    }

    @Test
    void metricsAreAnonymousPrometheusTextAndCount(@TempDir Path dir) throws Exception {
        try (NodeFixture fresh = new NodeFixture(vertx, worker, dir, 0, NodeServer.DEFAULT_MAX_PIECE_BYTES)) {
            PieceId id = randomId(0);
            await(fresh.client.put(id, ByteBuffer.wrap(randomBytes(1234))));
            await(fresh.client.get(id, 0, 1000));
            HttpResponse<byte[]> r = send("GET", "/metrics", null, Map.of(), fresh.port);
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
            String text = new String(r.body(), StandardCharsets.UTF_8);
            assertValidPrometheusText(text);
            assertSample(text, "cairn_node_piece_writes_total", 1);
            assertSample(text, "cairn_node_piece_reads_total", 1);
            assertSample(text, "cairn_node_written_bytes_total", 1234);
            assertSample(text, "cairn_node_read_bytes_total", 1000);
            assertSample(text, "cairn_node_pieces", 1);
            assertSample(text, "cairn_node_checksum_failures_total", 0);
            assertTrue(text.contains("cairn_node_used_bytes "), text);
            assertTrue(text.contains("cairn_node_capacity_bytes "), text);
            assertTrue(Pattern.compile("cairn_node_requests_seconds_count\\{[^}]*op=\"put\"[^}]*status=\"201\"[^}]*} 1")
                    .matcher(text).find(), text);
            for (String name : new String[] {"cairn_node_piece_writes", "cairn_node_piece_reads",
                    "cairn_node_piece_deletes", "cairn_node_read_bytes", "cairn_node_written_bytes",
                    "cairn_node_checksum_failures", "cairn_node_used_bytes", "cairn_node_capacity_bytes",
                    "cairn_node_pieces", "cairn_node_requests_seconds"}) {
                assertTrue(Pattern.compile("(?m)^# HELP " + name + "(_total)? \\S").matcher(text).find(),
                        "described: " + name);
            }
        }
    }

    // ---- transport failures ----

    @Test
    void silentNodeTimesOutAsUnavailable() throws Exception {
        HttpServer silent = vertx.createHttpServer().requestHandler(req -> { }).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        RemoteChunkStoreClient client = new RemoteChunkStoreClient(vertx, RemoteChunkStoreClient.newHttpClient(vertx),
                "silent", URI.create("http://127.0.0.1:" + silent.actualPort()), AUTH, worker,
                new RemoteChunkStoreClient.Timeouts(Duration.ofMillis(300), Duration.ofMillis(300)));
        try {
            long start = System.nanoTime();
            PieceException e = assertInstanceOf(PieceException.Unavailable.class, failure(client.get(randomId(0), 0, 10)));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3));
            assertInstanceOf(PieceException.Unavailable.class,
                    failure(client.put(randomId(0), ByteBuffer.wrap(randomBytes(10)))));
        } finally {
            client.close();
            silent.close();
        }
    }

    @Test
    void unreachableNodeIsUnavailable() throws Exception {
        HttpServer gone = vertx.createHttpServer().requestHandler(req -> { }).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        int port = gone.actualPort();
        gone.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        RemoteChunkStoreClient client = RemoteChunkStoreClient.create(vertx, "gone",
                URI.create("http://127.0.0.1:" + port), AUTH, worker);
        try {
            assertInstanceOf(PieceException.Unavailable.class, failure(client.head(randomId(0))));
            assertEquals("gone", client.nodeId());
        } finally {
            client.close();
        }
        assertInstanceOf(PieceException.Unavailable.class, failure(client.head(randomId(0))), "closed client");
    }

    /**
     * Issue 10, behaviour 10 (chunkstore part): a captured signed DELETE replayed later (within the
     * signature's clock window) deleted a piece that had been written again in between. A piece
     * carries the signed time of the PUT that wrote it; a DELETE signed before that is refused.
     */
    @Test
    void aReplayedDeleteCannotRemoveAPieceWrittenAfterItWasSigned() throws Exception {
        PieceId id = randomId(77);
        String target = "/v1/pieces/" + id;
        byte[] data = randomBytes(1000);
        assertEquals(201, signed("PUT", target, data, AUTH).statusCode());
        ClusterAuth.Signature captured = AUTH.sign("DELETE", target);
        assertEquals(204, send("DELETE", target, null, captured.headers(), node.port).statusCode(),
                "the first delete goes through");
        Thread.sleep(20);
        assertEquals(201, signed("PUT", target, data, AUTH).statusCode(), "the piece is written again");

        HttpResponse<byte[]> replay = send("DELETE", target, null, captured.headers(), node.port);
        assertEquals(409, replay.statusCode(), new String(replay.body(), StandardCharsets.UTF_8));
        assertEquals("stale", json(replay).getString("error"));
        assertEquals(data.length, await(node.client.head(id)).size(), "the piece written again is still there");
        assertTrue(await(node.client.delete(id)), "a delete signed now still works");
    }

    // ---- helpers ----

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static HttpResponse<byte[]> signed(String method, String target, byte[] body, ClusterAuth auth)
            throws IOException, InterruptedException {
        return signed(method, target, body, auth, node.port);
    }

    static HttpResponse<byte[]> signed(String method, String target, byte[] body, ClusterAuth auth, int port)
            throws IOException, InterruptedException {
        String sha = body == null ? ClusterAuth.EMPTY_SHA256 : ClusterAuth.sha256Hex(body);
        return send(method, target, body, auth.sign(method, target, sha).headers(), port);
    }

    static HttpResponse<byte[]> send(String method, String target, byte[] body, Map<String, String> headers, int port)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return RAW.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonObject json(HttpResponse<byte[]> r) {
        return new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
    }

    static int crc(byte[] data) {
        CRC32C c = new CRC32C();
        c.update(data);
        return (int) c.getValue();
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static byte[] slice(byte[] data, int from, int len) {
        byte[] out = new byte[len];
        System.arraycopy(data, from, out, 0, len);
        return out;
    }

    static void flipByte(Path file, long position) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
            ch.write(one, position);
        }
    }

    /** Every line is blank, a HELP/TYPE comment, or "name{labels} value". */
    static void assertValidPrometheusText(String text) {
        Pattern sample = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*})?"
                + " (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
        Pattern comment = Pattern.compile("# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* "
                + "(counter|gauge|histogram|summary|untyped)|EOF)");
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                assertTrue(sample.matcher(line).matches() || comment.matcher(line).matches(), "not Prometheus text: " + line);
            }
        }
    }

    static void assertSample(String text, String name, double value) {
        java.util.regex.Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
        assertTrue(m.find(), "no sample " + name + " in\n" + text);
        assertEquals(value, Double.parseDouble(m.group(2)), 0.0001, name);
    }
}
