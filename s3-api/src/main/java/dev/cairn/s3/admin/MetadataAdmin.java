package dev.cairn.s3.admin;

import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.RocksMetadataStore;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The admin API of the metadata: {@code GET /admin/metadata} (replication status: leader, term,
 * each peer's commit index and lag), {@code POST /admin/metadata/transfer-leader} (JSON {@code to},
 * optional) and {@code GET /admin/metadata/snapshot} (a consistent RocksDB checkpoint, packed as
 * one stream; {@code cairn admin metadata snapshot DIR} unpacks it into a directory a server can
 * start from).
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
                return json(replicated.status());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, pool).whenComplete((json, e) -> answer(ctx, json, e));
    }

    static JsonObject json(ReplicatedMetadata.Status s) {
        JsonArray peers = new JsonArray();
        for (ReplicatedMetadata.PeerStatus p : s.peers()) {
            peers.add(new JsonObject().put("id", p.id()).put("address", p.address()).put("leader", p.leader())
                    .put("commitIndex", p.commitIndex()).put("lag", p.lag()));
        }
        return new JsonObject().put("replicated", true).put("self", s.self()).put("role", s.role())
                .put("leader", s.leader().isEmpty() ? null : s.leader()).put("term", s.term())
                .put("lastIndex", s.lastIndex()).put("commitIndex", s.commitIndex())
                .put("appliedIndex", s.appliedIndex()).put("snapshotIndex", s.snapshotIndex())
                .put("snapshotAgeSeconds", s.snapshotAgeMillis() < 0 ? null : s.snapshotAgeMillis() / 1000)
                .put("logStartIndex", s.logStartIndex()).put("logBytes", s.logBytes())
                .put("leaderChanges", s.leaderChanges()).put("peers", peers);
    }

    void transferLeader(RoutingContext ctx) {
        if (replicated == null) {
            AdminJson.error(ctx, 409, "not_replicated", "this server's metadata is not replicated: there is no leader "
                    + "to transfer (start the servers with --metadata-peers)");
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
