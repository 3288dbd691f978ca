package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.FilePieceStore;
import dev.cairn.chunkstore.PieceId;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A NodeServer on a FilePieceStore in a temp dir, on a free port, with a client for it. */
final class NodeFixture implements AutoCloseable {
    static final String SECRET = "test-cluster-secret-0123456789";

    final Vertx vertx;
    final Path storeDir;
    final FilePieceStore store;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final NodeServer server;
    final int port;
    final RemoteChunkStoreClient client;

    NodeFixture(Vertx vertx, ExecutorService worker, Path storeDir, long capacity, int maxPieceBytes) {
        this(vertx, worker, storeDir, capacity, maxPieceBytes, 4L * maxPieceBytes);
    }

    NodeFixture(Vertx vertx, ExecutorService worker, Path storeDir, long capacity, int maxPieceBytes,
                long maxBufferedBytes) {
        this.vertx = vertx;
        this.storeDir = storeDir;
        try {
            this.store = FilePieceStore.open(storeDir, capacity);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ClusterAuth auth = new ClusterAuth(SECRET, Clock.systemUTC());
        this.server = new NodeServer(vertx, worker, store, new DirectoryPieceLister(storeDir, store), auth, registry,
                new NodeServer.Settings("node-test", "zone-a", maxPieceBytes, maxBufferedBytes));
        this.port = server.listen("127.0.0.1", 0).join();
        this.client = RemoteChunkStoreClient.create(vertx, "node-test", baseUri(), auth, worker);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    static PieceId randomId(int index) {
        byte[] chunk = new byte[PieceId.CHUNK_ID_LENGTH];
        ThreadLocalRandom.current().nextBytes(chunk);
        return new PieceId(chunk, index);
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** The file holding a piece, found by walking the store directory. */
    Path fileOf(PieceId id) throws IOException {
        try (Stream<Path> files = Files.walk(storeDir)) {
            return files.filter(p -> p.getFileName().toString().equals(id.toString())).findFirst()
                    .orElseThrow(() -> new AssertionError("no file for " + id));
        }
    }

    @Override
    public void close() {
        client.close();
        server.shutdown(Duration.ofSeconds(5)).orTimeout(10, TimeUnit.SECONDS).join();
        store.close();
        registry.close();
    }
}
