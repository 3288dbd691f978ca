package dev.cairn.chunkstore.node;

import static dev.cairn.chunkstore.node.NodeFixture.randomBytes;
import static dev.cairn.chunkstore.node.NodeFixture.randomId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.ReadFence;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A piece read straight into the caller's buffer ({@link RemoteChunkStoreClient#readInto}): the
 * bytes land where asked and nowhere else, errors map as for a GET, and once the caller shuts the
 * read's fence nothing more is written into its buffer even though the answer keeps arriving.
 */
class RemoteReadIntoTest {
    private static Vertx vertx;
    private static ExecutorService worker;
    private static NodeFixture node;

    @BeforeAll
    static void start(@TempDir Path dir) {
        vertx = Vertx.vertx();
        worker = Executors.newFixedThreadPool(2);
        node = new NodeFixture(vertx, worker, dir.resolve("store"), 0, NodeServer.DEFAULT_MAX_PIECE_BYTES);
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
        worker.shutdownNow();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void readsARangeIntoItsPlaceInADirectBufferAndNothingAroundIt() throws Exception {
        PieceId id = randomId(1);
        byte[] data = randomBytes(1_500_000);
        node.client.put(id, ByteBuffer.wrap(data)).get(20, TimeUnit.SECONDS);
        ByteBuffer dst = ByteBuffer.allocateDirect(1_200_000);
        dst.position(100).limit(100 + 1_000_000);
        int n = node.client.readInto(id, 300_000, dst).get(20, TimeUnit.SECONDS);
        assertEquals(1_000_000, n);
        assertEquals(100, dst.position(), "the position does not move");
        byte[] got = new byte[1_200_000];
        dst.clear().get(got);
        assertArrayEquals(new byte[100], Arrays.copyOfRange(got, 0, 100));
        assertArrayEquals(Arrays.copyOfRange(data, 300_000, 1_300_000), Arrays.copyOfRange(got, 100, 1_000_100));
        assertArrayEquals(new byte[199_900], Arrays.copyOfRange(got, 1_000_100, 1_200_000));

        ByteBuffer tail = ByteBuffer.allocateDirect(500_000);
        assertEquals(200_000, node.client.readInto(id, 1_300_000, tail).get(20, TimeUnit.SECONDS),
                "fewer bytes at the piece's end");
        assertInstanceOf(PieceException.NotFound.class,
                failure(node.client.readInto(randomId(2), 0, ByteBuffer.allocateDirect(10))));
    }

    @Test
    void aShutFenceStopsWritesWhileTheAnswerIsStillArriving() throws Exception {
        int size = 256 * 1024;
        byte[] body = randomBytes(size);
        CompletableFuture<HttpServerResponse> halfSent = new CompletableFuture<>();
        HttpServer slow = vertx.createHttpServer().requestHandler(req -> {
            HttpServerResponse resp = req.response().putHeader("Content-Length", Integer.toString(size));
            resp.write(Buffer.buffer(Arrays.copyOfRange(body, 0, size / 4)));
            halfSent.complete(resp);
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        RemoteChunkStoreClient client = new RemoteChunkStoreClient(vertx, RemoteChunkStoreClient.newHttpClient(vertx),
                "slow", URI.create("http://127.0.0.1:" + slow.actualPort()),
                new ClusterAuth(NodeFixture.SECRET, Clock.systemUTC()), worker,
                new RemoteChunkStoreClient.Timeouts(Duration.ofSeconds(20), Duration.ofSeconds(20)));
        try {
            ByteBuffer dst = ByteBuffer.allocateDirect(size);
            ReadFence fence = new ReadFence();
            CompletableFuture<Integer> read = client.readInto(randomId(0), 0, dst, fence);
            HttpServerResponse resp = halfSent.get(20, TimeUnit.SECONDS);
            byte[] firstQuarter = Arrays.copyOfRange(body, 0, size / 4);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Arrays.equals(firstQuarter, bytes(dst, 0, size / 4))) { // the first quarter lands
                assertTrue(System.nanoTime() < deadline, "the first quarter never arrived");
                Thread.sleep(5);
            }
            fence.shut(); // the caller gives the read up (a hedged read rebuilt the range elsewhere)
            ByteBuffer reused = dst.duplicate();
            byte[] other = new byte[size];
            Arrays.fill(other, (byte) 0x5A);
            reused.put(other); // ... and reuses the buffer for another segment
            vertx.runOnContext(v -> resp.end(Buffer.buffer(Arrays.copyOfRange(body, size / 4, size))));
            assertInstanceOf(ReadFence.GivenUp.class, failure(read), "the read ends as given up");
            assertArrayEquals(other, bytes(dst, 0, size), "nothing was written after the fence was shut");
        } finally {
            client.close();
            slow.close();
        }
    }

    private static byte[] bytes(ByteBuffer b, int from, int length) {
        byte[] out = new byte[length];
        b.duplicate().clear().position(from).get(out);
        return out;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }
}
