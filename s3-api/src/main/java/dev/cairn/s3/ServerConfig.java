package dev.cairn.s3;

import dev.cairn.placement.mover.MoverSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a Cairn server needs to start. Built by the {@code cairn server} command from flags
 * and {@code CAIRN_*} variables; tests build it from {@link #defaults()} with the {@code with*}
 * methods.
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
 * @param movers            repair grace, scrub interval and throttles of the data movers
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
        MoverSettings movers) {

    public static final int DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;
    public static final int MIN_CHUNK_SIZE = 64 * 1024;
    public static final int MAX_CHUNK_SIZE = 64 * 1024 * 1024;

    public ServerConfig {
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be between " + MIN_CHUNK_SIZE + " and "
                    + MAX_CHUNK_SIZE + " bytes, got " + chunkSize);
        }
        if (inlineThreshold < 0 || inlineThreshold > chunkSize) {
            throw new IllegalArgumentException("inline threshold must be between 0 and the chunk size");
        }
        if (s3Port < 0 || s3Port > 65535 || adminPort < 0 || adminPort > 65535) {
            throw new IllegalArgumentException("ports must be between 0 and 65535");
        }
        chunkstoreDirs = List.copyOf(chunkstoreDirs);
        if (!chunkstoreDirs.isEmpty() && chunkstoreDirs.size() != chunkstores) {
            throw new IllegalArgumentException("give one chunkstore dir per chunkstore: " + chunkstores
                    + " chunkstores, " + chunkstoreDirs.size() + " dirs");
        }
        if (chunkstores < 0 || chunkstores > 64) {
            throw new IllegalArgumentException("chunkstores must be between 0 and 64");
        }
    }

    /** The embedded defaults: ./data, S3 on 9000, admin on 9001, 4 MiB chunks, one chunkstore. */
    public static ServerConfig defaults() {
        return new ServerConfig(Path.of("data"), "0.0.0.0", 9000, 9001, DEFAULT_CHUNK_SIZE, 16 * 1024,
                Duration.ofMinutes(5), null, null, "us-east-1", 1, List.of(), "auto", "", null, Duration.ofSeconds(5),
                Duration.ofSeconds(15), MoverSettings.defaults());
    }

    /** The folder of in-process chunkstore {@code i}. */
    public Path chunkstoreDir(int i) {
        return chunkstoreDirs.isEmpty() ? dataDir.resolve("chunks").resolve(Integer.toString(i)) : chunkstoreDirs.get(i);
    }

    public ServerConfig withDataDir(Path dir) {
        return new ServerConfig(dir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, rootAccessKey,
                rootSecretKey, region, chunkstores, chunkstoreDirs, protection, storageClasses, clusterSecret, heartbeatInterval,
                downAfter, movers);
    }

    public ServerConfig withPorts(String host, int s3Port, int adminPort) {
        return new ServerConfig(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, rootAccessKey,
                rootSecretKey, region, chunkstores, chunkstoreDirs, protection, storageClasses, clusterSecret, heartbeatInterval,
                downAfter, movers);
    }

    public ServerConfig withChunkSize(int size) {
        return new ServerConfig(dataDir, host, s3Port, adminPort, size, Math.min(inlineThreshold, size), gcGrace,
                rootAccessKey, rootSecretKey, region, chunkstores, chunkstoreDirs, protection, storageClasses, clusterSecret,
                heartbeatInterval, downAfter, movers);
    }

    public ServerConfig withCredentials(String accessKey, String secretKey) {
        return new ServerConfig(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, accessKey,
                secretKey, region, chunkstores, chunkstoreDirs, protection, storageClasses, clusterSecret, heartbeatInterval,
                downAfter, movers);
    }

    public ServerConfig withGcGrace(Duration grace) {
        return new ServerConfig(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, grace, rootAccessKey,
                rootSecretKey, region, chunkstores, chunkstoreDirs, protection, storageClasses, clusterSecret, heartbeatInterval,
                downAfter, movers);
    }

    public ServerConfig withChunkstores(int count, List<Path> dirs) {
        return new ServerConfig(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, rootAccessKey,
                rootSecretKey, region, count, dirs, protection, storageClasses, clusterSecret, heartbeatInterval, downAfter, movers);
    }

    public ServerConfig withProtection(String p) {
        return new ServerConfig(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, rootAccessKey,
                rootSecretKey, region, chunkstores, chunkstoreDirs, p, storageClasses, clusterSecret, heartbeatInterval, downAfter, movers);
    }

    public ServerConfig withStorageClasses(String mapping) {
        return new ServerConfig(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, rootAccessKey,
                rootSecretKey, region, chunkstores, chunkstoreDirs, protection, mapping, clusterSecret,
                heartbeatInterval, downAfter, movers);
    }

    public ServerConfig withMovers(MoverSettings m) {
        return new ServerConfig(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, rootAccessKey,
                rootSecretKey, region, chunkstores, chunkstoreDirs, protection, storageClasses, clusterSecret,
                heartbeatInterval, downAfter, m);
    }

    public ServerConfig withCluster(String secret, Duration heartbeat, Duration down) {
        return new ServerConfig(dataDir, host, s3Port, adminPort, chunkSize, inlineThreshold, gcGrace, rootAccessKey,
                rootSecretKey, region, chunkstores, chunkstoreDirs, protection, storageClasses, secret, heartbeat, down, movers);
    }
}
