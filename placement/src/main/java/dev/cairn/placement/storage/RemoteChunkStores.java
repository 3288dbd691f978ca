package dev.cairn.placement.storage;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.node.ClusterAuth;
import dev.cairn.chunkstore.node.RemoteChunkStoreClient;
import dev.cairn.metadata.NodeRecord;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.PemTrustOptions;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Creates the HTTP clients of remote chunkstore nodes, sharing one signed HTTP client pool. A node
 * with an {@code https://} address is reached over TLS: its certificate must chain to the CA
 * certificates given ({@code --cluster-ca}; the JVM's CAs when none) and name the host it
 * advertises.
 */
public final class RemoteChunkStores implements AutoCloseable {
    private final Vertx vertx;
    private final ClusterAuth auth;
    private final Executor pool;
    private final HttpClient http;

    public RemoteChunkStores(Vertx vertx, String clusterSecret, Executor pool) {
        this(vertx, clusterSecret, pool, null);
    }

    /** @param clusterCa PEM CA certificate(s) node certificates must chain to; null trusts the JVM's CAs */
    public RemoteChunkStores(Vertx vertx, String clusterSecret, Executor pool, Path clusterCa) {
        this.vertx = vertx;
        this.auth = new ClusterAuth(clusterSecret, Clock.systemUTC());
        this.pool = pool;
        this.http = clusterCa == null ? RemoteChunkStoreClient.newHttpClient(vertx)
                : RemoteChunkStoreClient.newHttpClient(vertx, new PemTrustOptions().addCertPath(clusterCa.toString()));
    }

    public ChunkStoreClient client(NodeRecord node) {
        return client(node.id(), node.address());
    }

    private RemoteChunkStoreClient client(String nodeId, String address) {
        return new RemoteChunkStoreClient(vertx, http, nodeId, URI.create(address), auth, pool,
                RemoteChunkStoreClient.Timeouts.DEFAULTS);
    }

    /** A signed one-piece listing of the node at {@code address}: fails when it cannot be reached (TLS included). */
    public CompletableFuture<?> probe(String nodeId, String address) {
        try {
            return client(nodeId, address).list(null, 1);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
