package dev.cairn.s3;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.FilePieceStore;
import dev.cairn.chunkstore.LocalChunkStoreClient;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.Protection;
import dev.cairn.metadata.RocksMetadataStore;
import dev.cairn.s3.admin.AdminServer;
import dev.cairn.s3.auth.SigV4Verifier;
import dev.cairn.s3.data.ChunkReader;
import dev.cairn.s3.data.ChunkWriter;
import dev.cairn.s3.data.GarbageCollector;
import dev.cairn.s3.data.NodeSet;
import dev.cairn.s3.data.ObjectStreamer;
import dev.cairn.s3.data.ReadLeases;
import dev.cairn.s3.handler.S3Services;
import dev.cairn.s3.http.RequestTracker;
import dev.cairn.s3.http.S3Router;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running Cairn server: metadata, the local chunkstore, the S3 listener and the admin listener,
 * wired together. {@link #start} opens everything; {@link #close} drains in-flight requests and
 * closes RocksDB cleanly.
 */
public final class CairnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CairnServer.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final ServerConfig config;
    private final RootCredentials credentials;
    private final Vertx vertx;
    private final ExecutorService pool;
    private final ScheduledExecutorService housekeeping;
    private final MetadataStore metadata;
    private final NodeSet nodes;
    private final RequestTracker tracker = new RequestTracker();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HttpServer s3;
    private HttpServer admin;
    private volatile boolean ready;
    private volatile boolean closed;

    private CairnServer(ServerConfig config, VertxOptions vertxOptions) throws IOException {
        this.config = config;
        Files.createDirectories(config.dataDir());
        this.credentials = RootCredentials.resolve(config.dataDir(), config.rootAccessKey(), config.rootSecretKey());
        this.pool = Executors.newFixedThreadPool(Math.max(16, 4 * Runtime.getRuntime().availableProcessors()),
                named("cairn-worker"));
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(named("cairn-housekeeping"));
        this.metadata = RocksMetadataStore.open(config.dataDir().resolve("meta"), Clock.systemUTC(),
                config.gcGrace());
        ChunkStoreClient local = new LocalChunkStoreClient(
                FilePieceStore.open(config.dataDir().resolve("chunks").resolve("0"), 0), "local-0", pool);
        this.nodes = new NodeSet(List.of(local), Protection.replicas(1));
        this.vertx = Vertx.vertx(vertxOptions);
    }

    /** Opens the stores and starts both listeners; completes when they are bound. */
    public static CairnServer start(ServerConfig config) throws IOException {
        return start(config, new VertxOptions());
    }

    public static CairnServer start(ServerConfig config, VertxOptions vertxOptions) throws IOException {
        CairnServer server = new CairnServer(config, vertxOptions);
        try {
            server.listen();
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void listen() throws IOException {
        long epochStart = System.currentTimeMillis();
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        ReadLeases leases = new ReadLeases();
        ChunkWriter writer = new ChunkWriter(nodes, metadata, pool);
        ObjectStreamer streamer = new ObjectStreamer(metadata, new ChunkReader(nodes), pool, leases);
        S3Services services = new S3Services(metadata, pool, writer, streamer, config, Clock.systemUTC(),
                owner(credentials.accessKey()));
        SigV4Verifier verifier = new SigV4Verifier(
                accessKey -> accessKey.equals(credentials.accessKey()) ? Optional.of(credentials.secretKey())
                        : Optional.empty(),
                Clock.systemUTC());
        HttpServerOptions s3Options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.s3Port())
                .setHandle100ContinueAutomatically(false)
                .setMaxHeaderSize(64 * 1024)
                .setMaxInitialLineLength(32 * 1024)
                .setDecompressionSupported(false)
                .setCompressionSupported(false)
                .setIdleTimeout(300)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setTcpNoDelay(true);
        s3 = await(vertx.createHttpServer(s3Options)
                .requestHandler(new S3Router(vertx, verifier, services, tracker))
                .listen());
        admin = await(vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.adminPort()))
                .requestHandler(AdminServer.router(vertx, () -> ready && !closed, registry))
                .listen());
        GarbageCollector collector = new GarbageCollector(metadata, nodes, leases, Clock.systemUTC(), epochStart);
        long period = Math.max(1, Math.min(10, config.gcGrace().toSeconds()));
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                while (!closed && collector.collectOnce() > 0) {
                    // keep going while there is garbage
                }
            } catch (RuntimeException e) {
                LOG.warn("garbage collection pass failed: {}", e.toString());
            }
        }, period, period, TimeUnit.SECONDS);
        ready = true;
        LOG.info("S3 endpoint on {}:{}, admin on {}:{}, data in {}", config.host(), s3.actualPort(), config.host(),
                admin.actualPort(), config.dataDir().toAbsolutePath());
    }

    public int s3Port() {
        return s3.actualPort();
    }

    public int adminPort() {
        return admin.actualPort();
    }

    public RootCredentials credentials() {
        return credentials;
    }

    public ServerConfig config() {
        return config;
    }

    public MetadataStore metadata() {
        return metadata;
    }

    /** Stops accepting requests, lets in-flight ones finish (up to 30 s), then closes the stores. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        try {
            if (s3 != null) {
                await(s3.shutdown(DRAIN_TIMEOUT));
            }
            if (admin != null) {
                await(admin.close());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("listener shutdown: {}", e.toString());
        }
        housekeeping.shutdownNow();
        try {
            housekeeping.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (vertx != null) {
            try {
                await(vertx.close());
            } catch (IOException | RuntimeException e) {
                LOG.warn("vert.x shutdown: {}", e.toString());
            }
        }
        pool.shutdown();
        try {
            pool.awaitTermination(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        nodes.close();
        metadata.close();
        registry.close();
        LOG.info("Cairn stopped cleanly");
    }

    static S3Services.Owner owner(String accessKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(("cairn:" + accessKey).getBytes(StandardCharsets.UTF_8));
            return new S3Services.Owner(HexFormat.of().formatHex(h), "cairn-root");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws IOException {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(c.getMessage(), c);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("timed out", e);
        }
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
