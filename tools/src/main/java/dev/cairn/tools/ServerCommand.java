package dev.cairn.tools;

import dev.cairn.placement.mover.MoverSettings;
import dev.cairn.s3.BuildInfo;
import dev.cairn.s3.CairnServer;
import dev.cairn.s3.RootCredentials;
import dev.cairn.s3.ServerConfig;
import dev.cairn.s3.crypto.GcmCiphers;
import dev.cairn.s3.data.PieceRegionWriter;
import dev.cairn.s3.lifecycle.LifecycleSettings;
import dev.cairn.s3.request.VirtualHost;
import dev.cairn.chunkstore.tls.TlsFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code cairn server}: the gateway with its embedded chunkstore. */
@Command(name = "server", sortOptions = false,
        description = "Run the S3 gateway (S3 on --s3-port, admin API, health and /metrics on --admin-port), "
                + "with --chunkstores storage nodes in its own process.",
        footerHeading = "%n",
        footer = {"Every flag can also be set as CAIRN_<FLAG> (CAIRN_S3_PORT=9000); the flag wins.",
                "Root credentials: CAIRN_ROOT_ACCESS_KEY and CAIRN_ROOT_SECRET_KEY (generated on first start and kept "
                        + "in <data-dir>/root-credentials when unset).",
                "Secret shared with chunkstore nodes: CAIRN_CLUSTER_SECRET (generated into <data-dir>/cluster-secret "
                        + "when unset)."})
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Metadata, credentials and chunkstores (./data).")
    Path dataDir;
    @Option(names = "--host", paramLabel = "ADDR", description = "Address both listeners bind (0.0.0.0).")
    String host;
    @Option(names = "--s3-port", paramLabel = "N", description = "S3 port (9000; 0 = a free port).")
    Integer s3Port;
    @Option(names = "--admin-port", paramLabel = "N", description = "Admin, health and metrics port (9001).")
    Integer adminPort;
    @Option(names = "--region", paramLabel = "NAME", description = "Region the server answers as (us-east-1).")
    String region;
    @Option(names = "--chunk-size", paramLabel = "SIZE", converter = Units.Size.class,
            description = "Size objects are cut into (4MiB).")
    Long chunkSize;
    @Option(names = "--inline-threshold", paramLabel = "SIZE", converter = Units.Size.class,
            description = "Objects up to this size live in the metadata (16KiB).")
    Long inlineThreshold;
    @Option(names = "--gc-grace-seconds", paramLabel = "N", description = "Seconds before deleted chunks go (300).")
    Integer gcGraceSeconds;
    @Option(names = "--chunkstores", paramLabel = "N", description = "Chunkstores in this process (1; 0 when nodes hold the data).")
    Integer chunkstores;
    @Option(names = "--chunkstore-dirs", paramLabel = "a,b,c", description = "Directories of the in-process chunkstores.")
    String chunkstoreDirs;
    @Option(names = "--protection", paramLabel = "auto|rsK+M|Ncopies", description = "Protection of new chunks (auto).")
    String protection;
    @Option(names = "--storage-classes", paramLabel = "CLASS=prot,...",
            description = "Storage classes with their own protection (e.g. REDUCED_REDUNDANCY=2copies).")
    String storageClasses;
    @Option(names = "--heartbeat-seconds", paramLabel = "N", description = "Heartbeat period nodes are told (5).")
    Integer heartbeatSeconds;
    @Option(names = "--down-after-seconds", paramLabel = "N", description = "Silence before a node is DOWN (15).")
    Integer downAfterSeconds;
    @Option(names = "--domain", paramLabel = "example.com[,other]",
            description = "Domains of virtual-hosted-style requests (BUCKET.DOMAIN), besides path style.")
    String domain;
    @Option(names = "--metrics-max-buckets", paramLabel = "N",
            description = "Buckets named in /metrics, the rest as \"_other\" (100).")
    Integer metricsMaxBuckets;
    @Option(names = "--repair-grace", paramLabel = "DUR", converter = Units.Time.class,
            description = "Time a DOWN node gets before its pieces are rebuilt (10m).")
    Duration repairGrace;
    @Option(names = "--scrub-interval", paramLabel = "DUR", converter = Units.Time.class,
            description = "Every piece is re-read and verified once per interval (7d, at most 30d).")
    Duration scrubInterval;
    @Option(names = "--mover-bytes-per-second", paramLabel = "SIZE", converter = Units.Size.class,
            description = "Byte rate of repair, rebalance and drain together (64MiB).")
    Long moverBytesPerSecond;
    @Option(names = "--mover-moves-per-node", paramLabel = "N", description = "Moves at once per node (2).")
    Integer moverMovesPerNode;
    @Option(names = "--mover-pass-interval", paramLabel = "DUR", converter = Units.Time.class,
            description = "Time between the movers' planning passes (30s).")
    Duration moverPassInterval;
    @Option(names = "--movers-paused", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Start with the movers paused (false).")
    Boolean moversPaused;
    @Option(names = "--lifecycle-day-seconds", paramLabel = "N",
            description = "Length of a lifecycle day in seconds, for tests that watch lifecycle rules fire (86400).")
    Long lifecycleDaySeconds;
    @Option(names = "--lifecycle-actions-per-second", paramLabel = "N",
            description = "Lifecycle expirations and aborts per second at most (200).")
    Integer lifecycleActionsPerSecond;
    @Option(names = "--metadata-reserve", paramLabel = "SIZE", converter = Units.Size.class,
            description = "Free space kept on the metadata disk: below it writes that grow the metadata answer 503 "
                    + "and deletes still work (256MiB).")
    Long metadataReserve;
    @Option(names = "--request-body-timeout", paramLabel = "DUR", converter = Units.Time.class,
            description = "A request body idle this long answers 400 RequestTimeout (20s).")
    Duration requestBodyTimeout;
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate (the chain after it): both ports serve HTTPS only, TLS 1.2+; "
                    + "re-read when it changes. Needs --tls-key.")
    Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
    Path tlsKey;
    @Option(names = "--cluster-tls", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Require TLS to chunkstore nodes: a node serving plain HTTP is refused at its heartbeat "
                    + "(false: nodes started with --tls-cert are reached over TLS, others over HTTP).")
    Boolean clusterTls;
    @Option(names = "--cluster-ca", paramLabel = "FILE",
            description = "PEM CA certificate(s) chunkstore node certificates must chain to (the JVM's CAs otherwise).")
    Path clusterCa;
    @Option(names = "--metadata-peers", paramLabel = "id=host:port,...",
            description = "Replicate metadata over Raft with these servers (3 or 5, this one included); "
                    + "every one is an S3 gateway. Unset: a single server with local metadata.")
    String metadataPeers;
    @Option(names = "--metadata-id", paramLabel = "ID", description = "This server's id in --metadata-peers.")
    String metadataId;
    @Option(names = "--metadata-join", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "This server is a new peer of a running group (its own entry is in --metadata-peers with "
                    + "the peers to reach): it never forms a group or campaigns, and serves once an operator ran "
                    + "cairn admin metadata add-peer ID=HOST:PORT and it caught up (false).")
    Boolean metadataJoin;
    @Option(names = "--metadata-snapshot-every", paramLabel = "N",
            description = "Raft log entries between metadata snapshots; the log behind a snapshot is purged (10000).")
    Long metadataSnapshotEvery;
    @Option(names = "--metadata-log-segment", paramLabel = "SIZE", converter = Units.Size.class,
            description = "Size of a Raft log segment, the unit the log is purged by (8MiB).")
    Long metadataLogSegment;

    @Option(names = "--master-key-file", paramLabel = "FILE",
            description = "Master keys for SSE-S3 and the SSE-KMS keyring: base64 256-bit keys, one per line, the "
                    + "last one active. Keep it off the data disks. Without it, CAIRN_MASTER_KEY (same format, "
                    + "comma-separated) is used; with neither, SSE-S3 and SSE-KMS are refused.")
    Path masterKeyFile;
    @Option(names = "--compression", paramLabel = "on|off",
            description = "zstd-compress new chunks that shrink by at least 10%% (on).")
    String compression;
    @Option(names = "--get-sendfile", paramLabel = "on|off",
            description = "Send verified segments of raw, local chunks from the piece files with sendfile on plain "
                    + "HTTP (on): less server CPU per GiB; off writes every segment from a buffer in 1 MiB writes.")
    String getSendfile;
    @Option(names = "--aes-gcm", paramLabel = "auto|jdk",
            description = "Who runs AES-GCM for encrypted data: auto (AWS-LC through ACCP where its native library "
                    + "loads, else the JDK) or jdk (auto).")
    String aesGcm;
    @Option(names = "--allow-insecure-sse-c", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Accept SSE-C customer keys over plain HTTP (false: refused without TLS, as AWS does).")
    Boolean allowInsecureSseC;

    /** The configuration {@code cairn server ARGS} runs with under {@code env} (for tests). */
    static ServerConfig config(List<String> args, Map<String, String> env) {
        CommandLine cl = Cairn.commandLine(env);
        List<String> all = new ArrayList<>(List.of("server"));
        all.addAll(args);
        CommandLine.ParseResult parsed = cl.parseArgs(all.toArray(String[]::new));
        return ((ServerCommand) parsed.subcommand().commandSpec().userObject()).config();
    }

    ServerConfig config() {
        Map<String, String> env = Cairn.env(spec);
        ServerConfig d = ServerConfig.defaults();
        long chunk = or(chunkSize, (long) d.chunkSize());
        if (chunk > Integer.MAX_VALUE || chunk <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--chunk-size must be between 1 B and 2 GiB");
        }
        long inline = or(inlineThreshold, (long) Math.min(d.inlineThreshold(), chunk));
        List<Path> dirs = new ArrayList<>();
        for (String dir : or(chunkstoreDirs, "").split(",")) {
            if (!dir.isBlank()) {
                dirs.add(Path.of(dir.trim()));
            }
        }
        return new ServerConfig(
                or(dataDir, d.dataDir()),
                or(host, d.host()),
                or(s3Port, d.s3Port()),
                or(adminPort, d.adminPort()),
                (int) chunk,
                (int) inline,
                Duration.ofSeconds(or(gcGraceSeconds, (int) d.gcGrace().toSeconds())),
                env.get("CAIRN_ROOT_ACCESS_KEY"),
                env.get("CAIRN_ROOT_SECRET_KEY"),
                or(region, d.region()),
                or(chunkstores, dirs.isEmpty() ? (replicated() ? 0 : d.chunkstores()) : dirs.size()),
                dirs,
                or(protection, d.protection()),
                or(storageClasses, d.storageClasses()),
                env.get("CAIRN_CLUSTER_SECRET"),
                Duration.ofSeconds(or(heartbeatSeconds, (int) d.heartbeatInterval().toSeconds())),
                Duration.ofSeconds(or(downAfterSeconds, (int) d.downAfter().toSeconds())),
                VirtualHost.parseDomains(or(domain, "")),
                or(metricsMaxBuckets, d.metricsMaxBuckets()),
                movers(d.movers()),
                new ServerConfig.Limits(or(metadataReserve, d.limits().metadataReserveBytes()),
                        or(requestBodyTimeout, d.limits().requestBodyTimeout())),
                tls(),
                replication(),
                new ServerConfig.Encryption(masterKeyFile, env.get("CAIRN_MASTER_KEY"), compressionOn(),
                        or(allowInsecureSseC, false)),
                lifecycle(), clusterTls());
    }

    /** Replicated servers run no chunkstore in process unless asked (and then refuse to start). */
    private boolean replicated() {
        return metadataPeers != null && !metadataPeers.isBlank();
    }

    /** --metadata-peers with --metadata-id, or neither; a bad list or id is a usage error naming it. */
    private ServerConfig.Replication replication() {
        if (metadataPeers == null || metadataPeers.isBlank()) {
            if (metadataId != null && !metadataId.isBlank()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--metadata-id needs --metadata-peers (CAIRN_METADATA_PEERS): the servers to replicate with");
            }
            if (Boolean.TRUE.equals(metadataJoin)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--metadata-join needs --metadata-peers (CAIRN_METADATA_PEERS) and --metadata-id: the group to "
                                + "join and this server's entry in it");
            }
            return null;
        }
        if (metadataId == null || metadataId.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--metadata-peers needs --metadata-id (CAIRN_METADATA_ID): which of the peers this server is");
        }
        try {
            return new ServerConfig.Replication(dev.cairn.metadata.ratis.MetadataPeers.parse(metadataPeers), metadataId,
                    or(metadataSnapshotEvery, ServerConfig.Replication.DEFAULT_SNAPSHOT_EVERY),
                    or(metadataLogSegment, ServerConfig.Replication.DEFAULT_SEGMENT_BYTES), or(metadataJoin, false));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private boolean compressionOn() {
        String v = or(compression, "on").trim().toLowerCase(java.util.Locale.ROOT);
        if (!v.equals("on") && !v.equals("off")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--compression must be on or off, not "
                    + compression);
        }
        return v.equals("on");
    }

    /** --cluster-tls and --cluster-ca; a CA file that does not parse is a usage error now, not at the first node. */
    private ServerConfig.ClusterTls clusterTls() {
        if (clusterCa != null) {
            try {
                dev.cairn.chunkstore.tls.TrustedCertificates.trustManagers(clusterCa);
            } catch (RuntimeException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--cluster-ca: " + e.getMessage());
            }
        }
        return new ServerConfig.ClusterTls(or(clusterTls, false), clusterCa);
    }

    /** Both TLS files or neither: one alone is a usage error naming the missing flag. */
    private TlsFiles tls() {
        if (tlsCert == null && tlsKey == null) {
            return null;
        }
        if (tlsKey == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--tls-cert needs --tls-key (CAIRN_TLS_KEY): the private key of the certificate");
        }
        if (tlsCert == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--tls-key needs --tls-cert (CAIRN_TLS_CERT): the certificate of the key");
        }
        return TlsFiles.of(tlsCert, tlsKey);
    }

    /** --lifecycle-day-seconds (1 to 86400) and --lifecycle-actions-per-second (at least 1). */
    private LifecycleSettings lifecycle() {
        try {
            return LifecycleSettings.of(or(lifecycleDaySeconds, 86_400L),
                    or(lifecycleActionsPerSecond, LifecycleSettings.DEFAULT_ACTIONS_PER_SECOND));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--lifecycle-day-seconds and "
                    + "--lifecycle-actions-per-second: " + e.getMessage());
        }
    }

    private MoverSettings movers(MoverSettings d) {
        return new MoverSettings(or(repairGrace, d.repairGrace()), d.deleteDelay(),
                or(moverPassInterval, d.passInterval()), or(scrubInterval, d.scrubInterval()),
                or(moverBytesPerSecond, d.bytesPerSecond()), or(moverMovesPerNode, d.movesPerNode()),
                d.parallelism(), or(moversPaused, d.paused()));
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = config();
        Map<String, String> env = Cairn.env(spec);
        PrintWriter out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        try {
            GcmCiphers.select(or(aesGcm, "auto").trim());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String sendfile = or(getSendfile, "on").trim().toLowerCase(java.util.Locale.ROOT);
        if (!sendfile.equals("on") && !sendfile.equals("off")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--get-sendfile must be on or off, not "
                    + getSendfile);
        }
        PieceRegionWriter.enable(sendfile.equals("on"));
        CairnServer server = CairnServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "cairn-shutdown"));
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        String scheme = server.scheme();
        RootCredentials c = server.credentials();
        String envSecret = env.get("CAIRN_ROOT_SECRET_KEY");
        boolean fromEnv = envSecret != null && !envSecret.isEmpty();
        BuildInfo build = BuildInfo.current();
        out.printf("Cairn %s is ready in %d ms%n", build.version(), (System.nanoTime() - t0) / 1_000_000);
        out.printf("  build:        commit %s, built %s%n", build.revision(), build.built());
        out.printf("  S3 endpoint:  %s://%s:%d%n", scheme, host, server.s3Port());
        out.printf("  admin:        %s://%s:%d  (/health/ready, /metrics)%n", scheme, host, server.adminPort());
        if (config.tls() != null) {
            out.printf("  TLS:          %s (from %s, re-read every %d s)%n", server.servedCertificate()
                    .getSubjectX500Principal().getName(), config.tls().certFile(),
                    config.tls().reloadInterval().toSeconds());
        }
        out.printf("  region:       %s%n", config.region());
        if (!config.domains().isEmpty()) {
            out.printf("  domains:      %s (virtual-hosted style: BUCKET.DOMAIN)%n", String.join(", ", config.domains()));
        }
        out.printf("  protection:   %s for new chunks (%s; %d storage node(s))%n",
                server.nodes().protection().describe(), config.protection(), server.nodes().memberCount());
        out.printf("  chunkstores:  %d in this process; nodes join with --join %s://%s:%d%n",
                config.chunkstores(), scheme, host, server.adminPort());
        if (config.replication() != null) {
            out.printf("  metadata:     replicated: peer %s of %s%n", config.replication().selfId(),
                    config.replication().peers().peers().stream().map(p -> p.id() + "=" + p.address())
                            .collect(java.util.stream.Collectors.joining(",")));
        }
        out.printf("  AES-GCM:      %s%n", GcmCiphers.describe());
        out.printf("  access key:   %s%n", c.accessKey());
        if (c.generated()) {
            out.printf("  secret key:   %s%n", c.secretKey());
            out.printf("  (generated on first start; kept in %s)%n",
                    config.dataDir().resolve(RootCredentials.FILE).toAbsolutePath());
        } else if (!fromEnv) {
            out.printf("  secret key:   %s%n", c.secretKey());
            out.printf("  (from %s)%n", config.dataDir().resolve(RootCredentials.FILE).toAbsolutePath());
        } else {
            out.println("  secret key:   (from CAIRN_ROOT_SECRET_KEY)");
        }
        out.printf("  data:         %s%n", config.dataDir().toAbsolutePath());
        if (!fromEnv) {
            out.printf("  admin CLI:    cairn admin summary --endpoint %s://%s:%d --data-dir %s%n", scheme, host,
                    server.adminPort(), config.dataDir());
        }
        out.flush();
        stopped.await();
        return Cairn.OK;
    }
}
