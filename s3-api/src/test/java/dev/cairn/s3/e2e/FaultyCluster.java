package dev.cairn.s3.e2e;

import dev.cairn.chunkstore.FaultInjectingChunkStoreClient;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.placement.mover.MoverSettings;
import dev.cairn.s3.ServerConfig;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A test server whose in-process chunkstores sit behind {@link FaultInjectingChunkStoreClient}s
 * (so a test can take a node down, slow it or fail its operations), with the movers on short
 * timings, and helpers to read the chunk records, corrupt piece files on disk and wait for the
 * movers the way an operator would (through the admin API).
 */
final class FaultyCluster implements AutoCloseable {
    static final int CHUNK = 64 * 1024;

    private final TestServer server;
    private final Map<String, FaultInjectingChunkStoreClient> faults;
    final S3Client s3;

    private FaultyCluster(TestServer server, Map<String, FaultInjectingChunkStoreClient> faults) {
        this.server = server;
        this.faults = faults;
        this.s3 = server.client();
    }

    /** Movers: the given repair grace, 200 ms delete delay, a pass every second, no scrub during the test. */
    static MoverSettings movers(Duration repairGrace, boolean paused) {
        return new MoverSettings(repairGrace, Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofDays(30),
                256L << 20, 4, 4, paused);
    }

    static FaultyCluster start(int chunkstores, String protection, MoverSettings movers) {
        return start(chunkstores, c -> c.withProtection(protection).withMovers(movers));
    }

    static FaultyCluster start(int chunkstores, UnaryOperator<ServerConfig> more) {
        Map<String, FaultInjectingChunkStoreClient> faults = new ConcurrentHashMap<>();
        TestServer server = TestServer.start(c -> more.apply(c.withChunkSize(CHUNK).withChunkstores(chunkstores, List.of())),
                client -> faults.computeIfAbsent(client.nodeId(), id -> new FaultInjectingChunkStoreClient(client)));
        return new FaultyCluster(server, faults);
    }

    TestServer server() {
        return server;
    }

    MetadataStore metadata() {
        return server.server().metadata();
    }

    /** The fault injector in front of node {@code nodeId}. */
    FaultInjectingChunkStoreClient node(String nodeId) {
        FaultInjectingChunkStoreClient f = faults.get(nodeId);
        if (f == null) {
            throw new AssertionError("no client for " + nodeId + " yet; known: " + faults.keySet());
        }
        return f;
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** PUTs {@code count} objects of {@code chunks} chunks (and a bit) into a new bucket; returns key -> bytes. */
    Map<String, byte[]> putObjects(String bucket, int count, int chunks) {
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] data = random(chunks * CHUNK + 100 * i + 1, bucket.hashCode() + i);
            String key = "o" + i;
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
            out.put(key, data);
        }
        return out;
    }

    byte[] get(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    List<ChunkRecord> chunksOf(String bucket, String key) {
        List<ChunkId> ids = metadata().getObject(bucket, key).orElseThrow().chunks().stream().map(c -> c.id()).toList();
        return metadata().getChunks(ids).stream().map(o -> o.orElseThrow()).toList();
    }

    List<ChunkRecord> allChunks() {
        List<ChunkRecord> out = new ArrayList<>();
        ChunkId after = null;
        List<ChunkRecord> page;
        while (!(page = metadata().scanChunks(after, 100)).isEmpty()) {
            out.addAll(page);
            after = page.get(page.size() - 1).id();
        }
        return out;
    }

    /** Chunks that do not have exactly {@code total} pieces, indexes 0..total-1, on distinct nodes. */
    List<String> notFullyProtected(int total) {
        List<String> bad = new ArrayList<>();
        for (ChunkRecord c : allChunks()) {
            long nodes = c.pieces().stream().map(PieceLocation::nodeId).distinct().count();
            long indexes = c.pieces().stream().mapToInt(PieceLocation::index).distinct().count();
            if (c.pieces().size() != total || nodes != total || indexes != total) {
                bad.add(c.toString());
            }
        }
        return bad;
    }

    /** The piece file of an in-process chunkstore ({@code local-N}). */
    Path pieceFile(String nodeId, ChunkId chunk, int index) {
        String hex = chunk.toString();
        return server.dataDir().resolve("chunks").resolve(nodeId.substring("local-".length())).resolve("pieces")
                .resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex + "." + index);
    }

    /** Flips a byte in the middle of a piece file on disk (its block checksum then fails). */
    void corruptOnDisk(PieceLocation piece, ChunkId chunk) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(pieceFile(piece.nodeId(), chunk, piece.index()).toFile(), "rw")) {
            long at = 100;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xFF);
        }
    }

    JsonObject admin(String method, String path) throws Exception {
        var r = AdminHttp.root(server, method, path, null);
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return new JsonObject(r.body());
    }

    JsonObject rebalances() throws Exception {
        return admin("GET", "/admin/rebalances");
    }

    JsonObject summary() throws Exception {
        return admin("GET", "/admin/summary");
    }

    String metrics() throws Exception {
        return AdminHttp.send(server, "GET", "/metrics", null, null, null).body();
    }

    /** Polls the movers' status until {@code done} holds (at most {@code limit}). */
    JsonObject awaitMovers(String what, Predicate<JsonObject> done, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            last = rebalances();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not " + what + " within " + limit + ": " + (last == null ? null : last.encodePrettily()));
    }

    /** Waits for {@code n} more planning passes than now: the movers saw everything done before this call. */
    JsonObject awaitPasses(int n) throws Exception {
        long from = rebalances().getLong("passes");
        return awaitMovers(n + " more passes", r -> r.getLong("passes") >= from + n, Duration.ofSeconds(60));
    }

    /** Waits until two passes that started after this call found nothing left to move. */
    JsonObject awaitSettled(Duration limit) throws Exception {
        long from = rebalances().getLong("passes");
        return awaitMovers("settled", r -> r.getLong("passes") >= from + 2
                && r.getLong("settledMapVersion") >= r.getLong("mapVersion") && r.getLong("chunksToMove") == 0, limit);
    }

    @Override
    public void close() {
        s3.close();
        server.close();
    }
}
