package dev.cairn.s3.data;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.metadata.NodeRecord;
import io.vertx.core.Vertx;

import java.util.concurrent.Executor;

/** Creates the HTTP client of a remote chunkstore node. */
public final class RemoteChunkStores {
    private RemoteChunkStores() {
    }

    public static ChunkStoreClient client(Vertx vertx, NodeRecord node, String clusterSecret, Executor pool) {
        throw new UnsupportedOperationException("remote chunkstores are wired in next");
    }
}
