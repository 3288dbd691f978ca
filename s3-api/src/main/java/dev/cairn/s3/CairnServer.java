package dev.cairn.s3;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.FilePieceStore;
import dev.cairn.chunkstore.LocalChunkStoreClient;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.RocksMetadataStore;
import dev.cairn.metadata.ratis.ReplicatedMetadata;
import dev.cairn.s3.admin.ReplicationMetrics;
import dev.cairn.s3.admin.AdminServer;
import dev.cairn.s3.admin.NodeAdmission;
import dev.cairn.s3.admin.MoverMetrics;
import dev.cairn.s3.admin.LifecycleAdmin;
import dev.cairn.s3.admin.ObjectAdmin;
import dev.cairn.s3.lifecycle.ExpirationRules;
import dev.cairn.s3.lifecycle.LifecycleWorker;
import dev.cairn.placement.mover.MoverThrottle;
import dev.cairn.placement.storage.ChunkReprotector;
import dev.cairn.s3.admin.QuotaMetrics;
import dev.cairn.s3.console.Console;
import dev.cairn.placement.mover.Movers;
import dev.cairn.s3.access.BucketAccessStore;
import dev.cairn.s3.access.PolicyAuthorizer;
import dev.cairn.s3.auth.SigV4Verifier;
import dev.cairn.placement.storage.ChunkReader;
import dev.cairn.placement.storage.ChunkWriter;
import dev.cairn.placement.storage.GarbageCollector;
import dev.cairn.placement.storage.ProtectionPolicy;
import dev.cairn.placement.storage.RemoteChunkStores;
import dev.cairn.placement.storage.RepairReporter;
import dev.cairn.placement.storage.StorageNodes;
import dev.cairn.chunkstore.node.ClusterAuth;
import dev.cairn.chunkstore.node.PromtoolClean;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.placement.ClusterMap;
import dev.cairn.placement.MembershipSettings;
import dev.cairn.s3.data.IngestBudget;
import dev.cairn.s3.data.ObjectCopier;
import dev.cairn.s3.data.ObjectStreamer;
import dev.cairn.placement.storage.ReadLeases;
import dev.cairn.s3.handler.MultipartHandler;
import dev.cairn.s3.handler.Quotas;
import dev.cairn.s3.handler.S3Dispatcher;
import dev.cairn.s3.handler.S3Services;
import dev.cairn.s3.http.Authorizer;
import dev.cairn.s3.iam.IamService;
import dev.cairn.s3.iam.Identities;
import dev.cairn.s3.http.RequestTracker;
import dev.cairn.s3.http.S3Metrics;
import dev.cairn.s3.http.S3Router;
import dev.cairn.s3.http.StoreMetrics;
import dev.cairn.chunkstore.tls.CertificateReloader;
import dev.cairn.chunkstore.tls.TlsMaterial;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A running Cairn server: metadata, the local chunkstore, the S3 listener and the admin listener,
 * wired together. {@link #start} opens everything; {@link #close} drains in-flight requests and
 * closes RocksDB cleanly.
 */
public final class CairnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CairnServer.class);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** How often per-bucket and RocksDB gauges are re-read (a scrape reads the last values). */
    private static final int STORE_METRICS_PERIOD_SECONDS = 5;
    /** The largest piece of a request body handed to a handler at once (Vert.x's default is 8 KiB). */
    private static final int MAX_BODY_PIECE = 64 * 1024;

    private final ServerConfig config;
    private final RootCredentials credentials;
    private final Vertx vertx;
    private final ExecutorService pool;
    private final ScheduledExecutorService housekeeping;
    /** The membership tick alone: garbage collection on housekeeping must never hold up marking a node DOWN. */
    private final ScheduledExecutorService membership;
    private final MetadataStore metadata;
    /** Replicated metadata (this server's Raft peer); null for a single server. */
    private final ReplicatedMetadata replicated;
    /**
     * {@link #metadata} without read barriers: for startup (before the group has a leader), gauges
     * and cache refreshes on applied commands; the same store for a single server.
     */
    private final MetadataStore localMetadata;
    private final String clusterSecret;
    private final ClusterMap clusterMap;
    private final StorageNodes nodes;
    private final List<FilePieceStore> localStores = new ArrayList<>();
    private final RemoteChunkStores remotes;
    private final RequestTracker tracker = new RequestTracker();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Movers movers;
    private LifecycleWorker lifecycle;
    private ChunkWriter writer;
    private dev.cairn.s3.crypto.DataProtection protection;
    private HttpServer s3;
    private HttpServer admin;
    /** The pair both listeners started with; null for plain HTTP. */
    private final TlsMaterial tls;
    private CertificateReloader reloader;
    private volatile boolean ready;
    private volatile boolean closed;

    private CairnServer(ServerConfig config, VertxOptions vertxOptions, UnaryOperator<ChunkStoreClient> decorate)
            throws IOException {
        this.config = config;
        // first: a certificate that cannot be served stops the start before anything is opened
        this.tls = config.tls() == null ? null : TlsMaterial.load(config.tls());
        Files.createDirectories(config.dataDir());
        this.credentials = RootCredentials.resolve(config.dataDir(), config.rootAccessKey(), config.rootSecretKey());
        this.pool = Executors.newFixedThreadPool(Math.max(16, 4 * Runtime.getRuntime().availableProcessors()),
                named("cairn-worker"));
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(named("cairn-housekeeping"));
        this.membership = Executors.newSingleThreadScheduledExecutor(named("cairn-membership"));
        this.clusterSecret = ClusterSecret.resolve(config.dataDir(), config.clusterSecret());
        if (config.replication() != null && (config.rootAccessKey() == null || config.clusterSecret() == null)) {
            // generated per data directory, they would differ from gateway to gateway
            throw new IllegalArgumentException("replicated metadata needs the same root credentials and cluster secret "
                    + "on every server: set CAIRN_ROOT_ACCESS_KEY, CAIRN_ROOT_SECRET_KEY and CAIRN_CLUSTER_SECRET");
        }
        if (config.replication() == null) {
            this.replicated = null;
            this.metadata = RocksMetadataStore.open(config.dataDir().resolve("meta"), Clock.systemUTC(),
                    config.gcGrace(), config.limits().metadataReserveBytes());
            this.localMetadata = metadata;
        } else {
            ServerConfig.Replication r = config.replication();
            this.replicated = ReplicatedMetadata.start(ReplicatedMetadata.Settings.of(r.peers(), r.selfId(),
                    config.dataDir(), Clock.systemUTC(), config.gcGrace(), config.limits().metadataReserveBytes())
                    .withSnapshotEvery(r.snapshotEvery(), r.segmentBytes()).joining(r.join()));
            this.metadata = replicated.store();
            this.localMetadata = replicated.localStore();
        }
        this.vertx = Vertx.vertx(vertxOptions);
        this.remotes = new RemoteChunkStores(vertx, clusterSecret, pool, config.clusterTls().caFile());
        this.clusterMap = new ClusterMap(localMetadata, Clock.systemUTC(),
                MembershipSettings.of(config.heartbeatInterval(), config.downAfter()));
        Map<String, ChunkStoreClient> locals = new LinkedHashMap<>();
        for (int i = 0; i < config.chunkstores(); i++) {
            FilePieceStore store = FilePieceStore.open(config.chunkstoreDir(i), 0);
            localStores.add(store);
            String id = "local-" + i;
            locals.put(id, decorate.apply(new LocalChunkStoreClient(store, id, pool)));
        }
        this.nodes = new StorageNodes(clusterMap, locals, node -> decorate.apply(remotes.client(node)),
                ProtectionPolicy.parse(config.protection()).withClasses(config.storageClasses()));
        registerLocalStores();
        clusterMap.localsRunning(locals.keySet());
    }

    /** Opens the stores and starts both listeners; completes when they are bound. */
    public static CairnServer start(ServerConfig config) throws IOException {
        return start(config, new VertxOptions());
    }

    public static CairnServer start(ServerConfig config, VertxOptions vertxOptions) throws IOException {
        return start(config, vertxOptions, UnaryOperator.identity());
    }

    /**
     * As {@link #start(ServerConfig, VertxOptions)}, with every chunkstore client (in-process and
     * remote) wrapped by {@code decorate}: how fault drills put a
     * {@link dev.cairn.chunkstore.FaultInjectingChunkStoreClient} between the server and its nodes.
     */
    public static CairnServer start(ServerConfig config, VertxOptions vertxOptions,
                                    UnaryOperator<ChunkStoreClient> decorate) throws IOException {
        CairnServer server = new CairnServer(config, vertxOptions, decorate);
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
        PromtoolClean.apply(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        BuildInfo.current().bindTo(registry);
        ReadLeases leases = new ReadLeases();
        protection = dev.cairn.s3.crypto.DataProtection.of(config, metadata);
        RepairReporter repairs = new RepairReporter(metadata, pool, Clock.systemUTC(), registry);
        writer = new ChunkWriter(nodes, metadata, pool, repairs);
        ChunkReader reader = new ChunkReader(nodes, repairs, pool);
        ObjectStreamer streamer = new ObjectStreamer(metadata, reader, pool, leases);
        ObjectCopier copier = new ObjectCopier(metadata, reader, writer, pool, leases);
        Identities identities = new Identities(credentials.accessKey(), credentials.secretKey());
        identities.reload(localMetadata);
        IamService iam = new IamService(metadata, identities, Clock.systemUTC());
        BucketAccessStore bucketAccess = new BucketAccessStore(metadata);
        Authorizer authorizer = new PolicyAuthorizer(bucketAccess, identities, metadata, pool, Clock.systemUTC());
        Quotas quotas = new Quotas(metadata, identities);
        if (replicated == null) {
            bucketAccess.loadQuotas();
        } else {
            followOtherGateways(identities, bucketAccess);
        }
        QuotaMetrics quotaMetrics = new QuotaMetrics(registry, localMetadata, identities, bucketAccess, quotas,
                config.metricsMaxBuckets());
        quotaMetrics.refresh();
        ExpirationRules expirations = new ExpirationRules(metadata, config.lifecycle().days());
        bucketAccess.onInvalidate(expirations::invalidate);
        S3Services services = new S3Services(metadata, pool, writer, streamer, copier, config, Clock.systemUTC(),
                identities, bucketAccess, quotas, authorizer, protection, expirations);
        S3Metrics metrics = new S3Metrics(registry);
        io.micrometer.core.instrument.Gauge.builder("cairn.ingest.buffered", IngestBudget.shared(), IngestBudget::reserved)
                .description("Bytes of upload bodies held in chunk buffers (bounded by a quarter of the heap)")
                .baseUnit("bytes").register(registry);
        metrics.bindStorage(metadata, nodes);
        streamer.bindMetrics(registry);
        StoreMetrics storeMetrics = new StoreMetrics(registry, localMetadata, config.metricsMaxBuckets());
        if (replicated != null) {
            ReplicationMetrics.bind(registry, replicated);
        }
        storeMetrics.refresh();
        SigV4Verifier verifier = new SigV4Verifier(identities, Clock.systemUTC(), config.region(), "s3",
                config.domains());
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
                .setTcpNoDelay(true)
                // body bytes come to the handler as the socket reads them (up to 64 KiB), not in
                // Vert.x's default 8 KiB pieces: an upload costs an eighth of the per-piece work
                .setMaxChunkSize(MAX_BODY_PIECE)
                // HTTP/1.1 only: the handlers (100-continue, streamed bodies, resets) are HTTP/1's,
                // and an h2c upgrade (the JDK's HttpClient asks for one) garbled large answers
                .setHttp2ClearTextEnabled(false);
        if (tls != null) {
            // HTTPS only, HTTP/1.1 (no ALPN, so no HTTP/2); the reloader swaps the pair later
            s3Options.setSsl(true);
            s3Options.setKeyCertOptions(tls.keyCertOptions());
            s3Options.setEnabledSecureTransportProtocols(TlsMaterial.PROTOCOLS);
            s3Options.setUseAlpn(false);
        }
        S3Dispatcher dispatcher = new S3Dispatcher(services, verifier);
        s3 = await(vertx.createHttpServer(s3Options)
                .requestHandler(new S3Router(vertx, verifier, authorizer, dispatcher, config.domains(), tracker, metrics))
                .listen());
        movers = new Movers(metadata, nodes, reader, leases, this::workersBacklogged, config.movers(),
                Clock.systemUTC());
        MoverMetrics.bind(registry, movers.progress());
        if (replicated != null) {
            movers.leadership(replicated::isLeader);
        }
        lifecycle = new LifecycleWorker(metadata, config.lifecycle(), Clock.systemUTC(), this::workersBacklogged,
                registry);
        if (replicated != null) {
            lifecycle.leadership(replicated::isLeader);
        }
        MoverThrottle moverBytes = movers.throttle();
        lifecycle.transitions(new ChunkReprotector(nodes, reader, writer, metadata),
                nodes.policy().classes()::containsKey, moverBytes::takeBytes);
        AdminServer.Deps adminDeps = new AdminServer.Deps(this::notReady, registry, nodes, metadata,
                new ClusterAuth(clusterSecret, Clock.systemUTC()), verifier, credentials.accessKey(), pool, movers, iam,
                bucketAccess, quotas, replicated, protection,
                new NodeAdmission(config.clusterTls().required(), remotes::probe, Clock.systemUTC()));
        // the admin port also serves the web console, whose page reaches S3 through /s3 on it
        S3Router consoleS3 = new S3Router(vertx, verifier, authorizer, dispatcher, config.domains(), tracker,
                metrics, Console.S3_MOUNT);
        HttpServerOptions adminOptions = new HttpServerOptions(s3Options).setPort(config.adminPort());
        io.vertx.ext.web.Router adminRouter = AdminServer.router(vertx, adminDeps);
        LifecycleAdmin.mount(adminRouter, lifecycle);
        ObjectAdmin.mount(adminRouter, metadata, pool);
        admin = await(vertx.createHttpServer(adminOptions)
                .requestHandler(Console.adminPort(adminRouter, consoleS3,
                        new Console.Settings(config.region(), s3.actualPort()), pool))
                .listen());
        if (tls != null) {
            reloader = CertificateReloader.start(config.tls(), tls, List.of(s3, admin));
            LOG.info("TLS on both listeners ({}); {} and {} are re-read every {} s", tls.describe(),
                    config.tls().certFile(), config.tls().keyFile(), config.tls().reloadInterval().toSeconds());
        }
        if (config.clusterTls().required() || config.clusterTls().caFile() != null) {
            LOG.info("TLS to chunkstore nodes: {}; node certificates must chain to {}",
                    config.clusterTls().required() ? "required (plain HTTP nodes are refused)" : "for nodes serving HTTPS",
                    config.clusterTls().caFile() == null ? "the JVM's CAs" : config.clusterTls().caFile());
        }
        GarbageCollector collector = new GarbageCollector(metadata, nodes, leases, Clock.systemUTC(), epochStart);
        long period = Math.max(1, Math.min(10, config.gcGrace().toSeconds()));
        housekeeping.scheduleWithFixedDelay(() -> {
            if (!leads()) {
                return; // the metadata leader collects for the cluster
            }
            try {
                while (!closed && collector.collectOnce() > 0) {
                    // keep going while there is garbage
                }
            } catch (RuntimeException e) {
                LOG.warn("garbage collection pass failed: {}", e.toString());
            }
        }, period, period, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(this::forgetOldCompletions, 1, 60, TimeUnit.SECONDS);
        lifecycle.start();
        membership.scheduleWithFixedDelay(this::membershipTick, 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(() -> refreshMetrics(storeMetrics, quotaMetrics),
                STORE_METRICS_PERIOD_SECONDS, STORE_METRICS_PERIOD_SECONDS, TimeUnit.SECONDS);
        movers.start();
        ready = true;
        LOG.info("protection for new chunks: {} ({} storage node(s), policy {})", nodes.protection().describe(),
                nodes.memberCount(), nodes.policy().isAutomatic() ? "auto" : config.protection());
        LOG.info("Cairn {}: S3 endpoint on {}://{}:{}, admin on {}:{}, data in {}", BuildInfo.current().describe(),
                scheme(), config.host(), s3.actualPort(), config.host(), admin.actualPort(),
                config.dataDir().toAbsolutePath());
    }

    /** Completions are remembered (for retried CompleteMultipartUpload) for a bounded time only. */
    private void forgetOldCompletions() {
        if (!leads()) {
            return;
        }
        try {
            long before = System.currentTimeMillis() - MultipartHandler.COMPLETION_MEMORY.toMillis();
            while (!closed && metadata.forgetCompletedUploads(before, 1000) == 1000) {
                // keep going while there are old ones
            }
        } catch (RuntimeException e) {
            LOG.warn("forgetting old multipart completions failed: {}", e.toString());
        }
    }

    /**
     * Why the server cannot serve S3 writes now, or null when it can: starting, stopping, or fewer
     * writable nodes than the default protection's write quorum - exactly when a PUT would answer 503.
     */
    private String notReady() {
        if (!ready || closed) {
            return closed ? "stopping" : "starting";
        }
        String metadataNotReady = replicated == null ? null : replicated.notReadyReason();
        if (metadataNotReady != null) {
            return metadataNotReady;
        }
        try {
            writer.checkWritable(null);
            return null;
        } catch (dev.cairn.chunkstore.PieceException.Unavailable e) {
            return e.getMessage();
        }
    }

    private static void refreshMetrics(StoreMetrics storeMetrics, QuotaMetrics quotaMetrics) {
        try {
            storeMetrics.refresh();
            quotaMetrics.refresh();
        } catch (RuntimeException e) {
            LOG.warn("store metrics refresh failed: {}", e.toString());
        }
    }

    /** Whether the worker pool has a queue: client requests saturate it, so the movers hold back. */
    private boolean workersBacklogged() {
        return pool instanceof java.util.concurrent.ThreadPoolExecutor t && !t.getQueue().isEmpty();
    }

    private void registerLocalStores() {
        for (int i = 0; i < localStores.size(); i++) {
            FilePieceStore s = localStores.get(i);
            NodeRecord known = clusterMap.node("local-" + i);
            if (known != null && known.state() == dev.cairn.metadata.NodeState.REMOVED) {
                continue; // drained and removed by the operator: it stays out of the cluster
            }
            clusterMap.registerLocal("local-" + i, s.capacityBytes(), s.usedBytes(), s.pieceCount());
        }
    }

    private long lastLocalReport;

    /** Whether this server runs the once-per-cluster work: always alone, the metadata leader when replicated. */
    private boolean leads() {
        return replicated == null || replicated.isLeader();
    }

    /**
     * Replicated metadata: drops what this gateway cached of bucket access settings, identities
     * and the keyring when any gateway's change to them is applied here, and reads the quotas once
     * the group answers.
     */
    private void followOtherGateways(Identities identities, BucketAccessStore bucketAccess) {
        replicated.onApplied(commands -> {
            boolean identitiesChanged = false;
            for (MetaCommand<?> c : commands) {
                if (c instanceof MetaCommand.CreateBucket cb) {
                    bucketAccess.invalidate(cb.bucket().name());
                } else if (c instanceof MetaCommand.DeleteBucket db) {
                    bucketAccess.invalidate(db.bucket());
                } else if (c instanceof MetaCommand.PutBucketConfig pc) {
                    bucketAccess.invalidate(pc.bucket());
                } else if (c instanceof MetaCommand.WriteIdentities) {
                    identitiesChanged = true;
                } else if (c instanceof MetaCommand.AddKeyringKey || c instanceof MetaCommand.RewrapKeyring) {
                    protection.keys().keyring().invalidate();
                }
            }
            if (identitiesChanged) {
                identities.reload(localMetadata);
            }
        });
        // a snapshot from the leader replaced the replica (this server joined, or fell far behind)
        replicated.onSnapshotInstalled(() -> housekeeping.execute(() -> {
            LOG.info("metadata snapshot installed: reloading identities, bucket settings and quotas");
            identities.reload(localMetadata);
            bucketAccess.invalidateAll();
            loadQuotasOnceLed(bucketAccess);
        }));
        loadQuotasOnceLed(bucketAccess);
    }

    /** Reads the bucket quotas once the group has a leader (a barrier needs one), retrying until then. */
    private void loadQuotasOnceLed(BucketAccessStore bucketAccess) {
        housekeeping.schedule(() -> {
            if (closed) {
                return;
            }
            if (!replicated.ready()) {
                loadQuotasOnceLed(bucketAccess);
                return;
            }
            try {
                bucketAccess.loadQuotas();
            } catch (RuntimeException e) {
                LOG.warn("reading bucket quotas failed (retrying): {}", e.toString());
                loadQuotasOnceLed(bucketAccess);
            }
        }, 1, TimeUnit.SECONDS);
    }

    private void membershipTick() {
        try {
            if (replicated != null) {
                clusterMap.adopt(localMetadata.listNodes(), localMetadata.clusterMapVersion());
                if (!replicated.isLeader()) {
                    return; // the leader marks silent nodes DOWN
                }
            }
            clusterMap.tick(replicated != null);
            if (System.nanoTime() - lastLocalReport > TimeUnit.SECONDS.toNanos(10)) {
                lastLocalReport = System.nanoTime();
                registerLocalStores();
            }
        } catch (RuntimeException e) {
            LOG.warn("membership tick failed: {}", e.toString());
        }
    }

    public ClusterMap clusterMap() {
        return clusterMap;
    }

    public StorageNodes nodes() {
        return nodes;
    }

    public String clusterSecret() {
        return clusterSecret;
    }

    public int s3Port() {
        return s3.actualPort();
    }

    /** Encryption keys (master keys, keyring) and compression of this server. */
    public dev.cairn.s3.crypto.DataProtection protection() {
        return protection;
    }

    public int adminPort() {
        return admin.actualPort();
    }

    /** {@code https} when both listeners serve TLS, else {@code http}. */
    public String scheme() {
        return tls == null ? "http" : "https";
    }

    /** The certificate new TLS connections get (it changes when the files are rotated); null without TLS. */
    public java.security.cert.X509Certificate servedCertificate() {
        return reloader == null ? null : reloader.current().certificate();
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

    /** This server's metadata peer; null for a single server. */
    public ReplicatedMetadata replicated() {
        return replicated;
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
            // both listeners drain at once: console uploads come in on the admin port
            io.vertx.core.Future<Void> s3Down = s3 == null ? io.vertx.core.Future.succeededFuture()
                    : s3.shutdown(DRAIN_TIMEOUT);
            io.vertx.core.Future<Void> adminDown = admin == null ? io.vertx.core.Future.succeededFuture()
                    : admin.shutdown(DRAIN_TIMEOUT);
            await(s3Down);
            await(adminDown);
        } catch (IOException | RuntimeException e) {
            LOG.warn("listener shutdown: {}", e.toString());
        }
        if (reloader != null) {
            reloader.close();
        }
        housekeeping.shutdownNow();
        membership.shutdownNow();
        if (movers != null) {
            movers.close();
        }
        if (lifecycle != null) {
            lifecycle.close();
        }
        try {
            housekeeping.awaitTermination(10, TimeUnit.SECONDS);
            membership.awaitTermination(10, TimeUnit.SECONDS);
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
        if (nodes != null) {
            nodes.close();
        }
        if (replicated != null) {
            replicated.close();
        } else {
            metadata.close();
        }
        registry.close();
        LOG.info("Cairn stopped cleanly");
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
