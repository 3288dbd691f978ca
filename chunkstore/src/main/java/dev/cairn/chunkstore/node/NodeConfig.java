package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.tls.TlsFiles;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to run one chunkstore node ({@code cairn chunkstore}).
 *
 * @param dataDir           where the node keeps its id and its pieces
 * @param host              the interface to listen on
 * @param port              the port to listen on; 0 picks a free one ({@link ChunkstoreNode#port()})
 * @param advertiseHost     the host the gateway should use to reach this node, in heartbeats;
 *                          null means 127.0.0.1
 * @param joinUrl           the server's cluster URL ({@code http://server:9001}), or a comma-separated
 *                          list of them (every server of a replicated cluster; each gets the
 *                          heartbeats); null runs without heartbeats
 * @param capacityBytes     the most bytes of piece files to hold; 0 means unlimited
 * @param zone              the failure domain, or null
 * @param nodeId            the id to use; null keeps the stored one or generates one
 * @param clusterSecret     the shared cluster secret (CAIRN_CLUSTER_SECRET); required
 * @param heartbeatInterval time between heartbeats; null means {@link #DEFAULT_HEARTBEAT_INTERVAL}
 * @param joinCaCert        PEM CA certificate(s) trusted for an {@code https} join URL; null trusts
 *                          the JVM's default CAs
 * @param tls               the certificate and key the piece port serves HTTPS with ({@code --tls-cert},
 *                          {@code --tls-key}; re-read when they change); null serves plain HTTP
 */
public record NodeConfig(Path dataDir, String host, int port, String advertiseHost, String joinUrl,
                         long capacityBytes, String zone, String nodeId, String clusterSecret,
                         Duration heartbeatInterval, Path joinCaCert, TlsFiles tls) {
    public static final int DEFAULT_PORT = 9100;
    public static final String DEFAULT_ADVERTISE_HOST = "127.0.0.1";
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

    public NodeConfig {
        if (dataDir == null) {
            throw new IllegalArgumentException("a data dir is required");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a listen host is required");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        advertiseHost = advertiseHost == null || advertiseHost.isBlank() ? DEFAULT_ADVERTISE_HOST : advertiseHost;
        joinUrl = joinUrl == null || joinUrl.isBlank() ? null : joinUrl;
        if (joinUrl != null) {
            joinUrls(joinUrl).forEach(NodeConfig::checkJoinUrl);
        }
        if (capacityBytes < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        zone = zone == null || zone.isBlank() ? null : zone;
        nodeId = nodeId == null || nodeId.isBlank() ? null : nodeId;
        if (nodeId != null && !NodeIdentity.isValid(nodeId)) {
            throw new IllegalArgumentException("invalid node id '" + nodeId
                    + "': use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)");
        }
        if (clusterSecret == null || clusterSecret.isEmpty()) {
            throw new IllegalArgumentException("a cluster secret is required (CAIRN_CLUSTER_SECRET)");
        }
        heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT_INTERVAL : heartbeatInterval;
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive");
        }
    }

    /** A node on {@code dataDir} listening on 0.0.0.0:9100, no heartbeats, unlimited capacity. */
    public static NodeConfig of(Path dataDir, String clusterSecret) {
        return new NodeConfig(dataDir, "0.0.0.0", DEFAULT_PORT, null, null, 0, null, null, clusterSecret, null, null,
                null);
    }

    public NodeConfig withListen(String host, int port) {
        return new NodeConfig(dataDir, host, port, advertiseHost, joinUrl, capacityBytes, zone, nodeId, clusterSecret,
                heartbeatInterval, joinCaCert, tls);
    }

    public NodeConfig withJoin(String joinUrl, String advertiseHost, Duration heartbeatInterval) {
        return new NodeConfig(dataDir, host, port, advertiseHost, joinUrl, capacityBytes, zone, nodeId, clusterSecret,
                heartbeatInterval, joinCaCert, tls);
    }

    public NodeConfig withCapacity(long capacityBytes) {
        return new NodeConfig(dataDir, host, port, advertiseHost, joinUrl, capacityBytes, zone, nodeId, clusterSecret,
                heartbeatInterval, joinCaCert, tls);
    }

    /** Trusts the CA certificate(s) in {@code pemFile} for an {@code https} join URL. */
    public NodeConfig withJoinCaCert(Path pemFile) {
        return new NodeConfig(dataDir, host, port, advertiseHost, joinUrl, capacityBytes, zone, nodeId, clusterSecret,
                heartbeatInterval, pemFile, tls);
    }

    /** Serves the piece port over HTTPS with the pair in {@code tls} (null: plain HTTP). */
    public NodeConfig withTls(TlsFiles tls) {
        return new NodeConfig(dataDir, host, port, advertiseHost, joinUrl, capacityBytes, zone, nodeId, clusterSecret,
                heartbeatInterval, joinCaCert, tls);
    }

    public NodeConfig withIdentity(String nodeId, String zone) {
        return new NodeConfig(dataDir, host, port, advertiseHost, joinUrl, capacityBytes, zone, nodeId, clusterSecret,
                heartbeatInterval, joinCaCert, tls);
    }

    /** The secret is never printed. */
    @Override
    public String toString() {
        return "NodeConfig[dataDir=" + dataDir + ", listen=" + host + ":" + port + ", advertise=" + advertiseHost
                + ", join=" + joinUrl + ", capacity=" + capacityBytes + ", zone=" + zone + ", nodeId=" + nodeId
                + ", heartbeat=" + heartbeatInterval + (joinCaCert == null ? "" : ", joinCaCert=" + joinCaCert)
                + (tls == null ? "" : ", tls=" + tls.certFile()) + "]";
    }

    /** The server URLs of a join list ({@code joinUrl} split at commas). */
    public static java.util.List<String> joinUrls(String joinUrl) {
        if (joinUrl == null) {
            return java.util.List.of();
        }
        return java.util.Arrays.stream(joinUrl.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
    }

    private static void checkJoinUrl(String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("the join URL must be http(s)://host:port, not " + url);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad join URL " + url + ": " + e.getMessage(), e);
        }
    }
}
