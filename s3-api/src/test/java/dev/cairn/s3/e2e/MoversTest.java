package dev.cairn.s3.e2e;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.MoveIntent;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.placement.mover.MoverSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The movers in process, over five in-process chunkstores under RS 2+1 with 64 KiB chunks: a drain
 * empties a chunkstore (and remove is refused until it is empty), and the scrubber finds a piece
 * corrupted on disk, which the repair mover rebuilds.
 */
class MoversTest {
    private static final int CHUNK = 64 * 1024;
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        MoverSettings fast = new MoverSettings(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(1),
                Duration.ofSeconds(2), 256L << 20, 2, 4, false);
        server = TestServer.start(c -> c.withChunkSize(CHUNK).withChunkstores(5, List.of()).withProtection("rs2+1")
                .withMovers(fast));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<Path> pieceFiles(int store) throws IOException {
        Path dir = server.dataDir().resolve("chunks").resolve(Integer.toString(store)).resolve("pieces");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static List<ChunkRecord> allChunks() {
        MetadataStore m = server.server().metadata();
        List<ChunkRecord> out = new ArrayList<>();
        ChunkId after = null;
        List<ChunkRecord> page;
        while (!(page = m.scanChunks(after, 100)).isEmpty()) {
            out.addAll(page);
            after = page.get(page.size() - 1).id();
        }
        return out;
    }

    private static JsonObject rebalances() throws Exception {
        return new JsonObject(AdminHttp.root(server, "GET", "/admin/rebalances", null).body());
    }

    private static void await(String what, Predicate<JsonObject> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            last = rebalances();
            if (done.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not " + what + " within 60 s: " + (last == null ? null : last.encodePrettily()));
    }

    /** CPU time of every movers thread in this JVM (the planning loop of each server). */
    private static long moverThreadsCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("cairn-movers")) {
                total += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    /** The movers have planned against the current map and found nothing left to do. */
    private static boolean settled(JsonObject r) {
        return r.getLong("settledMapVersion") >= r.getLong("mapVersion") && r.getLong("chunksToMove") == 0;
    }

    @Test
    void anInProcessChunkstoreThatFailedOneCallTakesPiecesAgainWhileTheMoversArePaused() throws Exception {
        var nodes = server.server().nodes();
        var paused = AdminHttp.root(server, "POST", "/admin/rebalances/pause", null);
        assertEquals(200, paused.statusCode(), paused.body());
        try {
            // as a write that failed once would: the node is left out of new placements at once
            nodes.reachability().failed("local-3", System.currentTimeMillis());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (nodes.writable().stream().noneMatch(n -> n.id().equals("local-3"))) {
                assertTrue(System.nanoTime() < deadline,
                        "local-3 answers again but takes no piece while the movers are paused: " + nodes.failing());
                Thread.sleep(50);
            }
            assertTrue(nodes.failing().isEmpty(), "back in the writable set and no longer failing: " + nodes.failing());
        } finally {
            var resumed = AdminHttp.root(server, "POST", "/admin/rebalances/resume", null);
            assertEquals(200, resumed.statusCode(), resumed.body());
        }
    }

    @Test
    void drainingAChunkstoreWaitsWhilePausedThenMovesEveryPieceOffAndRemoveSucceeds() throws Exception {
        String bucket = TestServer.uniqueBucket("drain");
        s3.createBucket(b -> b.bucket(bucket));
        List<byte[]> objects = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] data = random(3 * CHUNK + 1000 * i, i);
            objects.add(data);
            int n = i;
            s3.putObject(b -> b.bucket(bucket).key("o" + n), RequestBody.fromBytes(data));
        }
        assertTrue(allChunks().stream().anyMatch(c -> c.pieces().stream().anyMatch(l -> l.nodeId().equals("local-4"))));
        var refused = AdminHttp.root(server, "POST", "/admin/nodes/local-4/remove", null);
        assertEquals(409, refused.statusCode(), refused.body());

        var paused = AdminHttp.root(server, "POST", "/admin/rebalances/pause", null);
        assertEquals(200, paused.statusCode(), paused.body());
        long drainedBefore = rebalances().getJsonObject("movers").getJsonObject("drain").getLong("piecesMoved");
        var drain = AdminHttp.root(server, "POST", "/admin/nodes/local-4/drain", null);
        assertEquals(200, drain.statusCode(), drain.body());
        assertEquals("DRAINING", new JsonObject(drain.body()).getString("state"));
        long cpuBefore = moverThreadsCpuNanos();
        Thread.sleep(2500); // more than two pass intervals
        long pausedCpu = moverThreadsCpuNanos() - cpuBefore;
        assertTrue(pausedCpu < 500_000_000L, "paused movers wait instead of spinning: their thread used "
                + pausedCpu / 1_000_000 + " ms of CPU in 2.5 s");
        JsonObject whilePaused = rebalances();
        assertEquals("paused", whilePaused.getString("state"), whilePaused.encode());
        assertTrue(whilePaused.getBoolean("paused"));
        assertEquals(drainedBefore, whilePaused.getJsonObject("movers").getJsonObject("drain").getLong("piecesMoved"),
                "nothing moves while paused");
        assertTrue(allChunks().stream().anyMatch(c -> c.pieces().stream().anyMatch(l -> l.nodeId().equals("local-4"))));
        var resumed = AdminHttp.root(server, "POST", "/admin/rebalances/resume", null);
        assertEquals(200, resumed.statusCode(), resumed.body());
        assertEquals(false, new JsonObject(resumed.body()).getBoolean("paused"));
        await("drained", r -> settled(r) && r.getJsonObject("movers").getJsonObject("drain").getLong("piecesMoved") > 0);

        for (ChunkRecord c : allChunks()) {
            assertEquals(3, c.pieces().size(), "full protection: " + c);
            assertTrue(c.pieces().stream().noneMatch(l -> l.nodeId().equals("local-4")), "still on local-4: " + c);
            assertEquals(3, c.pieces().stream().map(l -> l.nodeId()).distinct().count(), "one piece per node: " + c);
        }
        for (int i = 0; i < objects.size(); i++) {
            int n = i;
            assertArrayEquals(objects.get(i), s3.getObjectAsBytes(b -> b.bucket(bucket).key("o" + n)).asByteArray());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!pieceFiles(4).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), pieceFiles(4), "the old copies are deleted once the moves commit");
        var removed = AdminHttp.root(server, "POST", "/admin/nodes/local-4/remove", null);
        assertEquals(200, removed.statusCode(), removed.body());
        assertEquals("REMOVED", new JsonObject(removed.body()).getString("state"));
    }

    @Test
    void scrubFindsAPieceCorruptedOnDiskAndRepairRebuildsIt() throws Exception {
        String bucket = TestServer.uniqueBucket("scrub");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] data = random(2 * CHUNK, 99);
        s3.putObject(b -> b.bucket(bucket).key("victim"), RequestBody.fromBytes(data));
        long corruptBefore = rebalances().getJsonObject("scrub").getLong("corruptFound");
        Path victim = pieceFiles(0).isEmpty() ? pieceFiles(1).get(0) : pieceFiles(0).get(0);
        byte[] before = Files.readAllBytes(victim);
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0xFF);
        }
        await("corruption found", r -> r.getJsonObject("scrub").getLong("corruptFound") > corruptBefore);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!java.util.Arrays.equals(before, Files.exists(victim) ? Files.readAllBytes(victim) : null)
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        boolean rebuiltInPlace = java.util.Arrays.equals(before, Files.exists(victim) ? Files.readAllBytes(victim) : null);
        assertTrue(rebuiltInPlace || !Files.exists(victim), "the corrupt piece is rewritten or moved away");
        await("repaired", r -> settled(r) && r.getJsonObject("movers").getJsonObject("repair").getLong("piecesMoved") > 0);
        assertEquals(0, server.server().metadata().listRepairs(10).size(), "the repair row is cleared");
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("victim")).asByteArray());
    }

    @Test
    void moverMetricsAreRegisteredForEveryMoverWithTheirDashboardNames() throws Exception {
        String text = AdminHttp.send(server, "GET", "/metrics", null, null, null).body();
        for (String mover : List.of("repair", "rebalance", "drain", "scrub")) {
            for (String name : List.of("cairn_mover_pending_chunks", "cairn_mover_pending_bytes",
                    "cairn_mover_moved_pieces_total", "cairn_mover_moved_bytes_total", "cairn_mover_errors_total")) {
                assertTrue(text.contains(name + "{mover=\"" + mover + "\"}"), name + " for " + mover + " in\n" + text);
            }
        }
        for (String result : List.of("ok", "corrupt", "missing")) {
            assertTrue(text.contains("cairn_scrub_pieces_total{result=\"" + result + "\"}"), result);
        }
        assertTrue(text.contains("# HELP cairn_mover_pending_bytes "), "described");
    }

    @Test
    void aRestartDeletesUncommittedCopiesAndOrphansButKeepsEveryPlacedPiece() throws Exception {
        String bucket = TestServer.uniqueBucket("leftover");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] data = random(CHUNK + 5, 7);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data));
        MetadataStore m = server.server().metadata();
        ChunkId id = m.getObject(bucket, "k").orElseThrow().chunks().get(0).id();
        ChunkRecord chunk = m.getChunks(List.of(id)).get(0).orElseThrow();
        List<String> free = new ArrayList<>(List.of("local-0", "local-1", "local-2", "local-3"));
        chunk.pieces().forEach(l -> free.remove(l.nodeId()));
        String copyNode = free.get(0);
        PieceId copy = new PieceId(id.bytes(), 1);
        PieceId orphan = new PieceId(ChunkId.random().bytes(), 0);
        var copyClient = server.server().nodes().client(copyNode).orElseThrow();
        copyClient.put(copy, ByteBuffer.wrap(random(100, 1))).join();
        copyClient.put(orphan, ByteBuffer.wrap(random(100, 2))).join();
        m.recordMoves(List.of(new MoveIntent(id, 1, chunk.pieces().get(1).nodeId(), copyNode, 1)));

        server.restart(); // the movers find the intent: a copy that never committed
        s3.close();
        s3 = server.client(); // new ports
        var client = server.server().nodes().client(copyNode).orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && (exists(client, copy) || exists(client, orphan))) {
            Thread.sleep(100);
        }
        assertTrue(!exists(client, copy), "the uncommitted copy is deleted");
        assertTrue(!exists(client, orphan), "the orphan scan after the restart deletes a piece no record places");
        assertEquals(List.of(), server.server().metadata().listMoves(10));
        ChunkRecord after = server.server().metadata().getChunks(List.of(id)).get(0).orElseThrow();
        for (PieceLocation l : after.pieces()) {
            assertTrue(exists(server.server().nodes().client(l.nodeId()).orElseThrow(),
                    new PieceId(id.bytes(), l.index())), "placed piece kept: " + l);
        }
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());
    }

    private static boolean exists(ChunkStoreClient client, PieceId id) {
        try {
            client.head(id).join();
            return true;
        } catch (java.util.concurrent.CompletionException e) {
            return false;
        }
    }

    @Test
    void theAdminApiChangesThrottlesAtRunTimeAndRefusesBadRequests() throws Exception {
        var bad = AdminHttp.root(server, "PUT", "/admin/rebalances/throttle", "{\"bytesPerSecond\": -1}");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals(400, AdminHttp.root(server, "PUT", "/admin/rebalances/throttle", "not json").statusCode());
        var ok = AdminHttp.root(server, "PUT", "/admin/rebalances/throttle",
                "{\"bytesPerSecond\": 536870912, \"movesPerNode\": 3}");
        assertEquals(200, ok.statusCode(), ok.body());
        JsonObject throttle = rebalances().getJsonObject("throttle");
        assertEquals(536870912L, throttle.getLong("bytesPerSecond"));
        assertEquals(3, throttle.getInteger("movesPerNode"));
        assertEquals(404, AdminHttp.root(server, "POST", "/admin/nodes/no-such-node/drain", null).statusCode());
        assertEquals(404, AdminHttp.root(server, "POST", "/admin/nodes/no-such-node/remove", null).statusCode());
        assertEquals(401, AdminHttp.send(server, "GET", "/admin/rebalances", null, null, null).statusCode());
    }
}
