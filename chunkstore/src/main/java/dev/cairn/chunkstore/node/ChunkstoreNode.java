package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.FilePieceStore;
import dev.cairn.chunkstore.PieceStore;
import dev.cairn.chunkstore.tls.CertificateReloader;
import dev.cairn.chunkstore.tls.TlsMaterial;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running storage node: its piece store, identity, worker pool, Vert.x, the {@link NodeServer}
 * and, with a join URL, the {@link Heartbeater}.
 *
 * <pre>
 * dataDir/node-id          the node's id ({@link NodeIdentity})
 * dataDir/pieces-store/    the {@link FilePieceStore} (LOCK, tmp/, pieces/ab/cd/{piece id})
 * </pre>
 *
 * The store is opened first, so its directory lock also guards the identity file against a second
 * process on the same data dir. {@link #close()} stops heartbeats, lets in-flight requests finish
 * (up to 30 s), then closes the store.
 */
public final class ChunkstoreNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChunkstoreNode.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final String STORE_DIR = "pieces-store";

    private final NodeConfig config;
    private final FilePieceStore store;
    private final String nodeId;
    private final ExecutorService pool;
    private final Vertx vertx;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private NodeServer server;
    private HttpClientAgent heartbeatHttp;
    private final java.util.List<Heartbeater> heartbeaters = new java.util.ArrayList<>();
    private int port = -1;
    private volatile boolean closed;
    private CertificateReloader reloader;

    private ChunkstoreNode(NodeConfig config, FilePieceStore store, String nodeId, VertxOptions vertxOptions) {
        this.config = config;
        this.store = store;
        this.nodeId = nodeId;
        int threads = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
        this.pool = Executors.newFixedThreadPool(threads, named("cairn-node-worker"));
        this.vertx = Vertx.vertx(vertxOptions);
    }

    /** Starts a node; returns once it listens. The first heartbeat, if it joins, goes out at once. */
    public static ChunkstoreNode start(NodeConfig config) throws IOException {
        return start(config, new VertxOptions());
    }

    public static ChunkstoreNode start(NodeConfig config, VertxOptions vertxOptions) throws IOException {
        Files.createDirectories(config.dataDir());
        FilePieceStore store = FilePieceStore.open(config.dataDir().resolve(STORE_DIR), config.capacityBytes());
        String nodeId;
        try {
            nodeId = NodeIdentity.loadOrCreate(config.dataDir(), config.nodeId());
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        if (config.clusterSecret().length() < 16) {
            LOG.warn("the cluster secret is shorter than 16 characters: use a long random one");
        }
        ChunkstoreNode node = new ChunkstoreNode(config, store, nodeId, vertxOptions);
        try {
            node.listen();
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void listen() throws IOException {
        PromtoolClean.apply(registry);
        gcMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        ClusterAuth auth = new ClusterAuth(config.clusterSecret(), Clock.systemUTC());
        Path storeDir = config.dataDir().resolve(STORE_DIR);
        server = new NodeServer(vertx, pool, store, new DirectoryPieceLister(storeDir, store), auth, registry,
                NodeServer.Settings.of(nodeId, config.zone()));
        TlsMaterial tls = config.tls() == null ? null : TlsMaterial.load(config.tls());
        port = await(server.listen(config.host(), config.port(), tls));
        if (tls != null) {
            reloader = CertificateReloader.start(config.tls(), tls, List.of(server.httpServer()));
            LOG.info("piece port serves HTTPS only ({}); {} and {} are re-read every {} s", tls.describe(),
                    config.tls().certFile(), config.tls().keyFile(), config.tls().reloadInterval().toSeconds());
        }
        LOG.info("chunkstore node {} on {}:{} (advertised as {}), zone {}, capacity {}, data in {}", nodeId,
                config.host(), port, address(), config.zone() == null ? "-" : config.zone(),
                config.capacityBytes() > 0 ? config.capacityBytes() + " bytes" : "unlimited",
                config.dataDir().toAbsolutePath());
        if (config.joinUrl() != null) {
            heartbeatHttp = config.joinCaCert() == null ? RemoteChunkStoreClient.newHttpClient(vertx)
                    : RemoteChunkStoreClient.newHttpClient(vertx,
                    new io.vertx.core.net.PemTrustOptions().addCertPath(config.joinCaCert().toString()));
            // a replicated cluster: every server gets the heartbeats, so each knows which nodes are alive
            for (String url : NodeConfig.joinUrls(config.joinUrl())) {
                Heartbeater h = new Heartbeater(vertx, heartbeatHttp, url, auth, this::heartbeat,
                        config.heartbeatInterval());
                heartbeaters.add(h);
                h.start();
            }
        } else {
            LOG.info("no --join URL: this node sends no heartbeats");
        }
    }

    private HeartbeatMessage heartbeat() {
        return new HeartbeatMessage(nodeId, address(), config.zone(), store.capacityBytes(), store.usedBytes(),
                store.pieceCount(), HeartbeatMessage.VERSION);
    }

    public String nodeId() {
        return nodeId;
    }

    /** The port the node listens on (the actual one when configured as 0). */
    public int port() {
        return port;
    }

    /** How the gateway reaches this node: {@code http(s)://<advertise host>:<port>} (https with --tls-cert). */
    public String address() {
        String h = config.advertiseHost();
        return (config.tls() == null ? "http://" : "https://") + (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h)
                + ":" + port;
    }

    public NodeConfig config() {
        return config;
    }

    public PieceStore store() {
        return store;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Heartbeats the servers accepted since start (0 without a join URL). */
    public long heartbeatsAccepted() {
        return heartbeaters.stream().mapToLong(Heartbeater::accepted).sum();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (reloader != null) {
            reloader.close();
        }
        heartbeaters.forEach(Heartbeater::close);
        if (server != null) {
            try {
                await(server.shutdown(DRAIN_TIMEOUT));
            } catch (IOException e) {
                LOG.warn("listener shutdown: {}", e.toString());
            }
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(DRAIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("worker pool did not drain in {} s", DRAIN_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (heartbeatHttp != null) {
            heartbeatHttp.close();
        }
        try {
            await(vertx.close().toCompletionStage().toCompletableFuture());
        } catch (IOException e) {
            LOG.warn("vert.x shutdown: {}", e.toString());
        }
        store.close();
        gcMetrics.close();
        registry.close();
        LOG.info("chunkstore node {} stopped", nodeId);
    }

    private static <T> T await(CompletableFuture<T> f) throws IOException {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(String.valueOf(c.getMessage()), c);
        } catch (TimeoutException e) {
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
