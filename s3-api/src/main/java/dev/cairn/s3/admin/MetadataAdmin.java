package dev.cairn.s3.admin;

import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.RocksMetadataStore;
import dev.cairn.metadata.ratis.MetadataMembership;
import dev.cairn.metadata.ratis.MetadataPeers;
import dev.cairn.metadata.ratis.ReplicatedMetadata;
import dev.cairn.metadata.ratis.SnapshotFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The admin API of the metadata: {@code GET /admin/metadata} (replication status: leader, term,
 * each peer's role, commit index, lag and whether it is caught up, as the leader sees them),
 * {@code POST /admin/metadata/transfer-leader} (JSON {@code to}, optional),
 * {@code POST /admin/metadata/peers} (JSON {@code id} and {@code address} host:port: add a peer,
 * answered once it is a voting member), {@code DELETE /admin/metadata/peers/:id} (remove one;
 * 409 when the group left would be unsafe) and {@code GET /admin/metadata/snapshot} (a
 * consistent RocksDB checkpoint, packed as one stream; {@code cairn admin metadata snapshot DIR}
 * unpacks it into a directory a server can start from).
 */
final class MetadataAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataAdmin.class);

    private final MetadataStore metadata;
    private final ReplicatedMetadata replicated;
    private final ExecutorService pool;

    MetadataAdmin(MetadataStore metadata, ReplicatedMetadata replicated, ExecutorService pool) {
        this.metadata = metadata;
        this.replicated = replicated;
        this.pool = pool;
    }

    void status(RoutingContext ctx) {
        if (replicated == null) {
            AdminJson.send(ctx, 200, new JsonObject().put("replicated", false));
            return;
        }
        CompletableFuture.supplyAsync(() -> {
            try {
                return json(replicated.status(true));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, pool).whenComplete((json, e) -> answer(ctx, json, e));
    }

    static JsonObject json(ReplicatedMetadata.Status s) {
        JsonArray peers = new JsonArray();
        s.peers().forEach(p -> peers.add(json(p)));
        return new JsonObject().put("replicated", true).put("self", s.self()).put("role", s.role())
                .put("member", s.member())
                .put("leader", s.leader().isEmpty() ? null : s.leader()).put("term", s.term())
                .put("lastIndex", s.lastIndex()).put("commitIndex", s.commitIndex())
                .put("appliedIndex", s.appliedIndex()).put("snapshotIndex", s.snapshotIndex())
                .put("snapshotAgeSeconds", s.snapshotAgeMillis() < 0 ? null : s.snapshotAgeMillis() / 1000)
                .put("logStartIndex", s.logStartIndex()).put("logBytes", s.logBytes())
                .put("leaderChanges", s.leaderChanges()).put("peers", peers);
    }

    static JsonObject json(ReplicatedMetadata.PeerStatus p) {
        return new JsonObject().put("id", p.id()).put("address", p.address()).put("role", p.role())
                .put("leader", p.leader()).put("commitIndex", p.commitIndex()).put("lag", p.lag())
                .put("lastContactMillis", p.lastContactMillis() < 0 ? null : p.lastContactMillis())
                .put("caughtUp", p.caughtUp());
    }

    private boolean refuseUnreplicated(RoutingContext ctx, String what) {
        if (replicated != null) {
            return false;
        }
        AdminJson.error(ctx, 409, "not_replicated", "this server's metadata is not replicated: there is no " + what
                + " (start the servers with --metadata-peers)");
        return true;
    }

    /** Adds a peer: JSON {@code {"id": "d", "address": "host:9400"}}; answers once it votes. */
    void addPeer(RoutingContext ctx) {
        if (refuseUnreplicated(ctx, "group to add a peer to")) {
            return;
        }
        MetadataPeers.Peer peer;
        String usage = "the body must be JSON like {\"id\": \"d\", \"address\": \"host:9400\"}";
        try {
            JsonObject body = ctx.body().asJsonObject();
            String id = body == null ? null : body.getString("id");
            String address = body == null ? null : body.getString("address");
            if (id == null || address == null) {
                throw new IllegalArgumentException(usage);
            }
            peer = MetadataPeers.parsePeer(id + "=" + address);
        } catch (RuntimeException e) {
            AdminJson.error(ctx, 400, "bad_request", e instanceof IllegalArgumentException ? e.getMessage() : usage);
            return;
        }
        membership(ctx, () -> replicated.addPeer(peer.id(), peer.host(), peer.port()));
    }

    /** Removes peer {@code :id}; 409 when the group left would be unsafe, 404 for an unknown peer. */
    void removePeer(RoutingContext ctx) {
        if (refuseUnreplicated(ctx, "group to remove a peer from")) {
            return;
        }
        String id = ctx.pathParam("id");
        membership(ctx, () -> replicated.removePeer(id));
    }

    private interface Change {
        List<ReplicatedMetadata.PeerStatus> run() throws Exception;
    }

    private void membership(RoutingContext ctx, Change change) {
        CompletableFuture.supplyAsync(() -> {
            try {
                JsonArray peers = new JsonArray();
                change.run().forEach(p -> peers.add(json(p)));
                return new JsonObject().put("peers", peers);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, pool).whenComplete((json, e) -> {
            Throwable c = e == null ? null : unwrap(e);
            if (c instanceof IllegalArgumentException bad) {
                AdminJson.error(ctx, 400, "bad_request", bad.getMessage());
            } else if (c instanceof MetadataMembership.NoSuchPeer missing) {
                AdminJson.error(ctx, 404, "no_such_peer", missing.getMessage());
            } else if (c instanceof MetadataMembership.Refused refused) {
                AdminJson.error(ctx, 409, "refused", refused.getMessage());
            } else {
                answer(ctx, json, e);
            }
        });
    }

    void transferLeader(RoutingContext ctx) {
        if (refuseUnreplicated(ctx, "leader to transfer")) {
            return;
        }
        String to;
        try {
            JsonObject body = ctx.body().buffer() == null || ctx.body().buffer().length() == 0 ? new JsonObject()
                    : ctx.body().asJsonObject();
            to = body.getString("to");
        } catch (RuntimeException e) {
            AdminJson.error(ctx, 400, "bad_request", "the body must be JSON like {\"to\": \"b\"}");
            return;
        }
        CompletableFuture.supplyAsync(() -> {
            try {
                String chosen = replicated.transferLeadership(to);
                return new JsonObject().put("leader", chosen);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, pool).whenComplete((json, e) -> {
            if (e != null && unwrap(e) instanceof IllegalArgumentException bad) {
                AdminJson.error(ctx, 400, "bad_request", bad.getMessage());
                return;
            }
            answer(ctx, json, e);
        });
    }

    /** Writes a checkpoint (every write acknowledged before the request is in it) and streams it packed. */
    void snapshot(RoutingContext ctx) {
        CompletableFuture.supplyAsync(() -> {
            try {
                Path dir = Files.createTempDirectory("cairn-meta-snapshot");
                Path checkpoint = dir.resolve("checkpoint");
                if (replicated != null) {
                    replicated.snapshot(checkpoint);
                } else if (metadata instanceof RocksMetadataStore rocks) {
                    rocks.checkpoint(checkpoint);
                } else {
                    throw new IllegalStateException("this metadata store cannot write checkpoints");
                }
                Path packed = dir.resolve("snapshot");
                SnapshotFile.pack(checkpoint, packed);
                deleteTree(checkpoint);
                return packed;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, pool).whenComplete((packed, e) -> {
            if (e != null) {
                answer(ctx, null, e);
                return;
            }
            ctx.response().putHeader("Content-Type", "application/octet-stream")
                    .sendFile(packed.toString())
                    .onComplete(ar -> pool.execute(() -> {
                        try {
                            deleteTree(packed.getParent());
                        } catch (IOException x) {
                            LOG.warn("removing snapshot temp files failed: {}", x.toString());
                        }
                    }));
        });
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static void answer(RoutingContext ctx, JsonObject json, Throwable e) {
        if (e == null) {
            AdminJson.send(ctx, 200, json);
            return;
        }
        Throwable c = unwrap(e);
        LOG.warn("metadata admin request failed: {}", c.toString());
        AdminJson.error(ctx, 503, "metadata_unavailable", String.valueOf(c.getMessage()));
    }
}
