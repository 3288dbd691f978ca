package dev.cairn.s3.admin;

import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.placement.ClusterMap;
import dev.cairn.placement.mover.ChunkPlan;
import dev.cairn.placement.mover.MoverProgress;
import dev.cairn.placement.mover.Movers;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The admin API of the data movers: {@code GET /admin/rebalances} (progress),
 * {@code PUT /admin/rebalances/throttle} (JSON {@code bytesPerSecond}, {@code movesPerNode}),
 * {@code POST /admin/orphans/scan}, {@code POST /admin/nodes/:id/drain} and
 * {@code POST /admin/nodes/:id/remove} (409 while a chunk still places a piece on the node).
 */
final class MoverAdmin {
    private static final int SCAN_PAGE = 1000;

    private final Movers movers;
    private final ClusterMap map;
    private final MetadataStore metadata;
    private final ExecutorService pool;

    MoverAdmin(Movers movers, ClusterMap map, MetadataStore metadata, ExecutorService pool) {
        this.movers = movers;
        this.map = map;
        this.metadata = metadata;
        this.pool = pool;
    }

    void status(RoutingContext ctx) {
        AdminJson.send(ctx, 200, status(movers, map));
    }

    static JsonObject status(Movers movers, ClusterMap map) {
        MoverProgress p = movers.progress();
        JsonObject per = new JsonObject();
        for (ChunkPlan.Mover m : ChunkPlan.Mover.values()) {
            MoverProgress.Counters c = p.of(m);
            per.put(m.label(), new JsonObject()
                    .put("chunksToMove", c.pendingChunks.get())
                    .put("bytesToMove", c.pendingBytes.get())
                    .put("chunksMoved", c.chunksMoved.get())
                    .put("piecesMoved", c.movedPieces.get())
                    .put("bytesMoved", c.movedBytes.get())
                    .put("errors", c.errors.get())
                    .put("blockedChunks", c.blockedChunks.get()));
        }
        MoverProgress.Facts facts = p.facts();
        MoverProgress.Scrub s = p.scrub();
        return new JsonObject()
                .put("state", p.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("chunksToMove", total(p, m -> m.pendingChunks.get()))
                .put("bytesToMove", total(p, m -> m.pendingBytes.get()))
                .put("chunksMoved", total(p, m -> m.chunksMoved.get()))
                .put("bytesMoved", total(p, m -> m.movedBytes.get()))
                .put("bytesPerSecond", p.bytesPerSecond())
                .put("etaSeconds", p.etaSeconds())
                .put("errors", total(p, m -> m.errors.get()))
                .put("lastError", p.lastError())
                .put("blocked", facts.blocked() == 0 ? null : new JsonObject().put("chunks", facts.blocked())
                        .put("reason", facts.blockedReason()))
                .put("reason", facts.blocked() == 0 ? null : facts.blockedReason())
                .put("paused", movers.paused())
                .put("passes", movers.passes())
                .put("mapVersion", map.version())
                .put("settledMapVersion", movers.settledMapVersion())
                .put("throttle", new JsonObject().put("bytesPerSecond", movers.throttle().bytesPerSecond())
                        .put("movesPerNode", movers.throttle().movesPerNode()))
                .put("movers", per)
                .put("scrub", new JsonObject()
                        .put("lastPassStarted", time(s.lastPassStarted.get()))
                        .put("lastPassFinished", time(s.lastPassFinished.get()))
                        .put("piecesChecked", s.piecesOk.get() + s.piecesCorrupt.get() + s.piecesMissing.get())
                        .put("corruptFound", s.piecesCorrupt.get())
                        .put("missingFound", s.piecesMissing.get()));
    }

    /** Scrub and the others: what the per-mover counters of movers other than scrub add up to. */
    private static long total(MoverProgress p, java.util.function.ToLongFunction<MoverProgress.Counters> f) {
        long sum = 0;
        for (ChunkPlan.Mover m : ChunkPlan.Mover.values()) {
            if (m != ChunkPlan.Mover.SCRUB) {
                sum += f.applyAsLong(p.of(m));
            }
        }
        return sum;
    }

    private static String time(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis).toString();
    }

    void throttle(RoutingContext ctx) {
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        Long bytes = body == null ? null : number(body, "bytesPerSecond");
        Long moves = body == null ? null : number(body, "movesPerNode");
        if (body == null || (bytes == null && moves == null) || (bytes != null && bytes <= 0)
                || (moves != null && (moves <= 0 || moves > 1000))) {
            AdminJson.error(ctx, 400, "bad_request",
                    "the body must be {\"bytesPerSecond\": N, \"movesPerNode\": N} with positive numbers");
            return;
        }
        movers.throttle().set(bytes == null ? 0 : bytes, moves == null ? 0 : moves.intValue());
        movers.wake();
        AdminJson.send(ctx, 200, new JsonObject().put("bytesPerSecond", movers.throttle().bytesPerSecond())
                .put("movesPerNode", movers.throttle().movesPerNode()));
    }

    private static Long number(JsonObject body, String field) {
        Object v = body.getValue(field);
        return v instanceof Number n && n.doubleValue() == n.longValue() ? n.longValue() : null;
    }

    /** POST /admin/rebalances/pause and /resume: stops or restarts planning and new moves. */
    void pause(RoutingContext ctx, boolean pause) {
        movers.paused(pause);
        AdminJson.send(ctx, 200, new JsonObject().put("paused", movers.paused()));
    }

    void orphanScan(RoutingContext ctx) {
        movers.requestOrphanScan();
        AdminJson.send(ctx, 202, new JsonObject().put("orphanScan", "requested"));
    }

    void drain(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        onWorker(ctx, () -> {
            NodeRecord n = requireNode(id);
            if (n.state() == NodeState.REMOVED) {
                throw new Refused(409, "node_removed", "node " + id + " was removed");
            }
            return AdminApi.node(map.setState(id, NodeState.DRAINING));
        });
    }

    void remove(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        onWorker(ctx, () -> {
            requireNode(id);
            long held = piecesPlacedOn(id);
            if (held > 0) {
                MoverProgress.Facts facts = movers.progress().facts();
                long blocked = movers.progress().of(ChunkPlan.Mover.DRAIN).blockedChunks.get();
                throw new Refused(409, "node_holds_pieces", "node " + id + " still holds " + held
                        + " pieces that chunk records place there; "
                        + (blocked > 0 && facts.blockedReason() != null
                        ? "the drain is blocked for " + blocked + " chunks: " + facts.blockedReason()
                        : "drain it and wait for the movers first"));
            }
            return AdminApi.node(map.setState(id, NodeState.REMOVED));
        });
    }

    private NodeRecord requireNode(String id) {
        NodeRecord n = map.node(id);
        if (n == null) {
            throw new Refused(404, "no_such_node", "no such node: " + id);
        }
        return n;
    }

    /** Pieces that live chunk records (and chunks waiting for collection) place on the node. */
    private long piecesPlacedOn(String node) {
        long n = 0;
        ChunkId after = null;
        while (true) {
            List<ChunkRecord> page = metadata.scanChunks(after, SCAN_PAGE);
            if (page.isEmpty()) {
                return n;
            }
            for (ChunkRecord c : page) {
                n += c.pieces().stream().filter(l -> l.nodeId().equals(node)).count();
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private static final class Refused extends RuntimeException {
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private void onWorker(RoutingContext ctx, Supplier<JsonObject> work) {
        CompletableFuture.supplyAsync(work, pool).whenComplete((json, e) -> ctx.vertx().runOnContext(v -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof Refused r) {
                AdminJson.error(ctx, r.status, r.code, r.getMessage());
            } else if (cause != null) {
                AdminJson.error(ctx, 500, "internal", cause.toString());
            } else {
                AdminJson.send(ctx, 200, json);
            }
        }));
    }
}
