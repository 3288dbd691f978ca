package dev.cairn.s3;

import dev.cairn.placement.mover.MoverSettings;
import dev.cairn.s3.lifecycle.LifecycleSettings;
import dev.cairn.s3.request.VirtualHost;
import dev.cairn.chunkstore.tls.TlsFiles;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a Cairn server needs to start. Built by the {@code cairn server} command from flags
 * and {@code CAIRN_*} variables; tests build it from {@link #defaults()} with the {@code with*}
 * methods, each of which copies the record through one {@link Builder}.
 *
 * @param host              address the S3 and admin listeners bind to
 * @param s3Port            S3 port; 0 picks a free port
 * @param adminPort         admin/health/metrics/cluster port; 0 picks a free port
 * @param chunkSize         bytes per chunk (the unit of placement and protection)
 * @param inlineThreshold   objects up to this size are kept in metadata instead of chunks
 * @param gcGrace           how long replaced or deleted chunks are kept before collection
 * @param rootAccessKey     root access key; null to generate one (kept in the data dir)
 * @param rootSecretKey     root secret key; null to generate one
 * @param region            the region the server answers as (GetBucketLocation default)
 * @param chunkstores       chunkstores inside the server process (0 for a gateway that only
 *                          uses remote nodes)
 * @param chunkstoreDirs    one folder per in-process chunkstore; empty = data-dir/chunks/N
 * @param protection        "auto" (by node count), "rsK+M" or "Ncopies"
 * @param storageClasses    S3 storage classes with their own protection, "CLASS=rsK+M,CLASS=Ncopies"
 * @param clusterSecret     secret shared with chunkstore nodes; null to generate one (kept in
 *                          the data dir)
 * @param heartbeatInterval how often nodes are expected to report
 * @param downAfter         silence after which a node is DOWN
 * @param domains           domains for virtual-hosted-style requests ({@code bucket.domain}),
 *                          lower-case; empty = path style only
 * @param metricsMaxBuckets buckets reported by name in the per-bucket metrics (the largest by
 *                          bytes); the rest are summed under bucket="_other"
 * @param movers            repair grace, scrub interval and throttles of the data movers
 * @param limits            resource limits: the metadata disk's reserve, the request body idle timeout
 * @param tls               certificate and key both listeners serve HTTPS with; null for plain HTTP
 * @param replication       the metadata peers this server replicates metadata with (Raft); null
 *                          for a single server whose metadata is local
 * @param encryption        master key source, compression, and whether SSE-C is allowed over plain HTTP
 * @param lifecycle         the lifecycle worker's day length and pace
 * @param clusterTls        TLS to chunkstore nodes: whether it is required, and the CA their
 *                          certificates chain to
 */
public record ServerConfig(
        Path dataDir,
        String host,
        int s3Port,
        int adminPort,
        int chunkSize,
        int inlineThreshold,
        Duration gcGrace,
        String rootAccessKey,
        String rootSecretKey,
        String region,
        int chunkstores,
        List<Path> chunkstoreDirs,
        String protection,
        String storageClasses,
        String clusterSecret,
        Duration heartbeatInterval,
        Duration downAfter,
        List<String> domains,
        int metricsMaxBuckets,
        MoverSettings movers,
        Limits limits,
        TlsFiles tls,
        Replication replication,
        Encryption encryption,
        LifecycleSettings lifecycle,
        ClusterTls clusterTls) {

    public static final int DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
    public static final int MIN_CHUNK_SIZE = 64 * 1024;
    public static final int MAX_CHUNK_SIZE = 64 * 1024 * 1024;
    public static final int DEFAULT_METRICS_MAX_BUCKETS = 100;

    public ServerConfig {
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be between " + MIN_CHUNK_SIZE + " and "
                    + MAX_CHUNK_SIZE + " bytes, got " + chunkSize);
        }
        if (inlineThreshold < 0 || inlineThreshold > chunkSize) {
            throw new IllegalArgumentException("inline threshold must be between 0 and the chunk size");
        }
        if (replication != null && chunkstores > 0) {
            throw new IllegalArgumentException("replicated metadata needs --chunkstores 0: every gateway must reach "
                    + "every node, so run chunkstore nodes that --join all the servers");
        }
        if (s3Port < 0 || s3Port > 65535 || adminPort < 0 || adminPort > 65535) {
            throw new IllegalArgumentException("ports must be between 0 and 65535");
        }
        chunkstoreDirs = List.copyOf(chunkstoreDirs);
        domains = List.copyOf(domains);
        if (!chunkstoreDirs.isEmpty() && chunkstoreDirs.size() != chunkstores) {
            throw new IllegalArgumentException("give one chunkstore dir per chunkstore: " + chunkstores
                    + " chunkstores, " + chunkstoreDirs.size() + " dirs");
        }
        if (metricsMaxBuckets < 0) {
            throw new IllegalArgumentException("metrics max buckets must not be negative");
        }
        if (chunkstores < 0 || chunkstores > 64) {
            throw new IllegalArgumentException("chunkstores must be between 0 and 64");
        }
        if (movers == null) {
            throw new IllegalArgumentException("mover settings are required");
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
        if (encryption == null) {
            throw new IllegalArgumentException("encryption settings are required");
        }
        if (lifecycle == null) {
            throw new IllegalArgumentException("lifecycle settings are required");
        }
        clusterTls = clusterTls == null ? ClusterTls.NONE : clusterTls;
    }

    /**
     * TLS between this server and chunkstore nodes ({@code --cluster-tls}, {@code --cluster-ca}). A
     * node serving HTTPS ({@code cairn chunkstore --tls-cert/--tls-key}) is always reached over TLS;
     * {@code required} refuses nodes that do not.
     *
     * @param required refuse the heartbeats of nodes that serve plain HTTP
     * @param caFile   PEM CA certificate(s) node certificates must chain to; null trusts the JVM's CAs
     */
    public record ClusterTls(boolean required, Path caFile) {
        public static final ClusterTls NONE = new ClusterTls(false, null);
    }

    /** TLS to chunkstore nodes. */
    public ServerConfig withClusterTls(ClusterTls c) {
        return copy(b -> b.clusterTls = c);
    }

    /** A single server's configuration without encryption settings (no master key, compression on). */
    public ServerConfig(Path dataDir, String host, int s3Port, int adminPort, int chunkSize, int inlineThreshold,
                        Duration gcGrace, String rootAccessKey, String rootSecretKey, String region, int chunkstores,
                        List<Path> chunkstoreDirs, String protection, String storageClasses, String clusterSecret,
                        Duration heartbeatInterval, Duration downAfter, List<String> domains, int metricsMaxBuckets,
                        MoverSettings movers, Limits limits, TlsFiles tls) {
        this(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, rootAccessKey, rootSecretKey,
                region, chunkstores, chunkstoreDirs, protection, storageClasses, clusterSecret, heartbeatInterval,
                downAfter, domains, metricsMaxBuckets, movers, limits, tls, null, Encryption.defaults(),
                LifecycleSettings.defaults(), ClusterTls.NONE);
    }

    /**
     * Encryption at rest and compression.
     *
     * @param masterKeyFile     file holding the master keys (base64, one per line, the last active), or null
     * @param masterKey         the master keys themselves (CAIRN_MASTER_KEY), used when there is no file; or null
     * @param compression       whether new chunks are zstd-compressed when that pays (buckets can opt out)
     * @param allowInsecureSseC whether SSE-C keys are accepted over plain HTTP (AWS refuses them)
     */
    public record Encryption(Path masterKeyFile, String masterKey, boolean compression, boolean allowInsecureSseC) {
        /** No master key, compression on, SSE-C over HTTPS only. */
        public static Encryption defaults() {
            return new Encryption(null, null, true, false);
        }
    }

    /**
     * Resource limits.
     *
     * @param metadataReserveBytes free space kept on the metadata disk: below it, writes other than
     *                             deletes are refused (503), so deletes can still free space
     * @param requestBodyTimeout   how long an upload's body may send nothing before it fails with
     *                             RequestTimeout (400)
     */
    public record Limits(long metadataReserveBytes, Duration requestBodyTimeout) {
        public Limits {
            if (metadataReserveBytes < 0) {
                throw new IllegalArgumentException("the metadata reserve must not be negative");
            }
            if (requestBodyTimeout.isNegative() || requestBodyTimeout.isZero()) {
                throw new IllegalArgumentException("the request body timeout must be positive");
            }
        }

        /** 256 MiB kept free for metadata, 20 s of body silence. */
        public static Limits defaults() {
            return new Limits(256L << 20, Duration.ofSeconds(20));
        }
    }

    /** The embedded defaults: ./data, S3 on 9000, admin on 9001, 4 MiB chunks, one chunkstore. */
    public static ServerConfig defaults() {
        return new ServerConfig(Path.of("data"), "0.0.0.0", 9000, 9001, DEFAULT_CHUNK_SIZE, 16 * 1024,
                Duration.ofMinutes(5), null, null, "us-east-1", 1, List.of(), "auto", "", null, Duration.ofSeconds(5),
                Duration.ofSeconds(15), List.of(), DEFAULT_METRICS_MAX_BUCKETS, MoverSettings.defaults(), Limits.defaults(), null,
                null, Encryption.defaults(), LifecycleSettings.defaults(), ClusterTls.NONE);
    }

    /** The folder of in-process chunkstore {@code i}. */
    public Path chunkstoreDir(int i) {
        return chunkstoreDirs.isEmpty() ? dataDir.resolve("chunks").resolve(Integer.toString(i)) : chunkstoreDirs.get(i);
    }

    public ServerConfig withDataDir(Path dir) {
        return copy(b -> b.dataDir = dir);
    }

    public ServerConfig withPorts(String host, int s3Port, int adminPort) {
        return copy(b -> {
            b.host = host;
            b.s3Port = s3Port;
            b.adminPort = adminPort;
        });
    }

    public ServerConfig withChunkSize(int size) {
        return copy(b -> {
            b.chunkSize = size;
            b.inlineThreshold = Math.min(inlineThreshold, size);
        });
    }

    public ServerConfig withCredentials(String accessKey, String secretKey) {
        return copy(b -> {
            b.rootAccessKey = accessKey;
            b.rootSecretKey = secretKey;
        });
    }

    public ServerConfig withGcGrace(Duration grace) {
        return copy(b -> b.gcGrace = grace);
    }

    public ServerConfig withChunkstores(int count, List<Path> dirs) {
        return copy(b -> {
            b.chunkstores = count;
            b.chunkstoreDirs = dirs;
        });
    }

    public ServerConfig withProtection(String p) {
        return copy(b -> b.protection = p);
    }

    public ServerConfig withStorageClasses(String mapping) {
        return copy(b -> b.storageClasses = mapping);
    }

    public ServerConfig withCluster(String secret, Duration heartbeat, Duration down) {
        return copy(b -> {
            b.clusterSecret = secret;
            b.heartbeatInterval = heartbeat;
            b.downAfter = down;
        });
    }

    /** Serves virtual-hosted-style requests for these domains (comma-separated allowed), beside path style. */
    public ServerConfig withDomain(String commaSeparated) {
        return copy(b -> b.domains = VirtualHost.parseDomains(commaSeparated));
    }

    public ServerConfig withMetricsMaxBuckets(int max) {
        return copy(b -> b.metricsMaxBuckets = max);
    }

    public ServerConfig withMovers(MoverSettings m) {
        return copy(b -> b.movers = m);
    }

    public ServerConfig withLimits(Limits l) {
        return copy(b -> b.limits = l);
    }

    /**
     * Replicated metadata: this server is peer {@code selfId} of {@code peers}.
     *
     * @param snapshotEvery log entries between two snapshots (after which the log behind is purged)
     * @param segmentBytes  size of a Raft log segment (the log is purged by whole segments)
     * @param join          this server joins a running group (it waits to be added) instead of forming one
     */
    public record Replication(dev.cairn.metadata.ratis.MetadataPeers peers, String selfId, long snapshotEvery,
                              long segmentBytes, boolean join) {
        public static final long DEFAULT_SNAPSHOT_EVERY = 10_000;
        public static final long DEFAULT_SEGMENT_BYTES =
                dev.cairn.metadata.ratis.ReplicatedMetadata.Settings.DEFAULT_SEGMENT_BYTES;

        public Replication {
            peers.self(selfId);
            if (snapshotEvery < 1) {
                throw new IllegalArgumentException("the snapshot interval must be at least one log entry");
            }
            if (segmentBytes < 8 << 10) {
                throw new IllegalArgumentException("a Raft log segment must be at least 8KiB");
            }
        }
    }

    /** Replicates metadata with these peers (null: a single server). */
    public ServerConfig withReplication(Replication r) {
        return copy(b -> b.replication = r);
    }

    public ServerConfig withLifecycle(LifecycleSettings l) {
        return copy(b -> b.lifecycle = l);
    }

    public ServerConfig withEncryption(Encryption e) {
        return copy(b -> b.encryption = e);
    }

    /** Serves both listeners over HTTPS with this pair (null: plain HTTP). */
    public ServerConfig withTls(TlsFiles files) {
        return copy(b -> b.tls = files);
    }

    private ServerConfig copy(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** A mutable copy of every field, so each {@code with*} method names only what it changes. */
    private static final class Builder {
        Path dataDir;
        String host;
        int s3Port;
        int adminPort;
        int chunkSize;
        int inlineThreshold;
        Duration gcGrace;
        String rootAccessKey;
        String rootSecretKey;
        String region;
        int chunkstores;
        List<Path> chunkstoreDirs;
        String protection;
        String storageClasses;
        String clusterSecret;
        Duration heartbeatInterval;
        Duration downAfter;
        List<String> domains;
        int metricsMaxBuckets;
        MoverSettings movers;
        Limits limits;
        TlsFiles tls;
        Replication replication;
        Encryption encryption;
        LifecycleSettings lifecycle;
        ClusterTls clusterTls;

        Builder(ServerConfig c) {
            dataDir = c.dataDir;
            host = c.host;
            s3Port = c.s3Port;
            adminPort = c.adminPort;
            chunkSize = c.chunkSize;
            inlineThreshold = c.inlineThreshold;
            gcGrace = c.gcGrace;
            rootAccessKey = c.rootAccessKey;
            rootSecretKey = c.rootSecretKey;
            region = c.region;
            chunkstores = c.chunkstores;
            chunkstoreDirs = c.chunkstoreDirs;
            protection = c.protection;
            storageClasses = c.storageClasses;
            clusterSecret = c.clusterSecret;
            heartbeatInterval = c.heartbeatInterval;
            downAfter = c.downAfter;
            domains = c.domains;
            metricsMaxBuckets = c.metricsMaxBuckets;
            movers = c.movers;
            limits = c.limits;
            tls = c.tls;
            replication = c.replication;
            encryption = c.encryption;
            lifecycle = c.lifecycle;
            clusterTls = c.clusterTls;
        }

        ServerConfig build() {
            return new ServerConfig(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, rootAccessKey,
                    rootSecretKey, region, chunkstores, chunkstoreDirs, protection, storageClasses, clusterSecret,
                    heartbeatInterval, downAfter, domains, metricsMaxBuckets, movers, limits, tls, replication,
                    encryption, lifecycle, clusterTls);
        }
    }
}
