package dev.cairn.placement.storage;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.node.ClusterAuth;
import dev.cairn.chunkstore.node.RemoteChunkStoreClient;
import dev.cairn.metadata.NodeRecord;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.Executor;

/** Creates the HTTP clients of remote chunkstore nodes, sharing one signed HTTP client pool. */
public final class RemoteChunkStores implements AutoCloseable {
    private final Vertx vertx;
    private final ClusterAuth auth;
    private final Executor pool;
    private final HttpClient http;

    public RemoteChunkStores(Vertx vertx, String clusterSecret, Executor pool) {
        this.vertx = vertx;
        this.auth = new ClusterAuth(clusterSecret, Clock.systemUTC());
        this.pool = pool;
        this.http = RemoteChunkStoreClient.newHttpClient(vertx);
    }

    public ChunkStoreClient client(NodeRecord node) {
        return new RemoteChunkStoreClient(vertx, http, node.id(), URI.create(node.address()), auth, pool,
                RemoteChunkStoreClient.Timeouts.DEFAULTS);
    }

    @Override
    public void close() {
        http.close();
    }
}
