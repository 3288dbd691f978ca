package dev.cairn.s3.admin;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.BucketUsage;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.StoreStats;
import dev.cairn.placement.mover.MoverProgress;
import dev.cairn.placement.mover.Movers;
import dev.cairn.s3.BuildInfo;
import dev.cairn.s3.S3Exception;
import dev.cairn.chunkstore.node.ClusterAuth;
import dev.cairn.s3.auth.AuthResult;
import dev.cairn.s3.auth.PayloadMode;
import dev.cairn.s3.auth.SigV4Verifier;
import dev.cairn.placement.storage.StorageNodes;
import dev.cairn.s3.handler.ObjectHeaders;
import dev.cairn.s3.http.VertxRequestView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * The admin JSON API, for the root credentials only (SigV4, as an S3 request): {@code GET
 * /admin/nodes}, {@code GET /admin/summary}, {@code GET /admin/buckets} (usage per bucket) and
 * {@code GET|PUT /admin/buckets/:bucket/storage-class}.
 */
final class AdminApi {
    private static final int REPAIR_SCAN_LIMIT = 100_000;

    private final SigV4Verifier verifier;
    private final String rootAccessKey;
    private final StorageNodes nodes;
    private final MetadataStore metadata;
    private final ExecutorService pool;
    private final Movers movers;

    AdminApi(SigV4Verifier verifier, String rootAccessKey, StorageNodes nodes, MetadataStore metadata,
             ExecutorService pool, Movers movers) {
        this.verifier = verifier;
        this.rootAccessKey = rootAccessKey;
        this.nodes = nodes;
        this.metadata = metadata;
        this.pool = pool;
        this.movers = movers;
    }

    /** Lets only root through; answers 401/403 JSON otherwise. */
    void authenticate(RoutingContext ctx) {
        try {
            AuthResult auth = verifier.verify(new VertxRequestView(ctx.request()));
            if (auth == null) {
                AdminJson.error(ctx, 401, "unauthorized", "sign admin requests with the root credentials (SigV4)");
                return;
            }
            if (!auth.accessKeyId().equals(rootAccessKey)) {
                AdminJson.error(ctx, 403, "forbidden", "the admin API is for the root credentials");
                return;
            }
            byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
            if (auth.payloadMode() != PayloadMode.SIGNED) {
                if (body.length > 0) {
                    AdminJson.error(ctx, 400, "InvalidRequest", "sign the body of an admin request: x-amz-content-sha256 "
                            + "must be its hex SHA-256, not " + ctx.request().getHeader("x-amz-content-sha256"));
                    return;
                }
            } else if (!ClusterAuth.sha256Hex(body).equals(auth.payloadSha256Hex())) {
                AdminJson.error(ctx, 400, "XAmzContentSHA256Mismatch",
                        "the body does not match the x-amz-content-sha256 it was signed with");
                return;
            }
            ctx.next();
        } catch (S3Exception e) {
            AdminJson.error(ctx, e.error().status(), e.error().code(), e.getMessage());
        }
    }

    void nodes(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        for (NodeRecord n : nodes.map().nodes()) {
            out.add(node(n));
        }
        AdminJson.send(ctx, 200, new JsonObject().put("mapVersion", nodes.map().version()).put("nodes", out));
    }

    void summary(RoutingContext ctx) {
        CompletableFuture.supplyAsync(() -> {
            StoreStats stats = metadata.stats();
            long repairs = metadata.listRepairs(REPAIR_SCAN_LIMIT).size();
            var protection = nodes.protection();
            java.util.List<String> full = nodes.fullNodes();
            ClusterHealth health = ClusterHealth.of(nodes.map().nodes(), nodes.writable().size(), protection,
                    movers.progress().facts(), nodes.map().version(), full);
            JsonObject states = new JsonObject();
            for (NodeRecord n : nodes.map().nodes()) {
                states.put(n.state().name(), states.getInteger(n.state().name(), 0) + 1);
            }
            return new JsonObject()
                    .put("health", health.status())
                    .put("reason", health.reason())
                    .put("buckets", stats.buckets())
                    .put("objects", stats.objects())
                    .put("bytes", stats.bytes())
                    .put("storedBytes", metadata.bucketUsage().stream().mapToLong(BucketUsage::storedBytes).sum())
                    .put("largestBuckets", largestBuckets(SUMMARY_BUCKETS))
                    .put("protection", protection.describe())
                    .put("protectionPolicy", nodes.policy().isAutomatic() ? "auto" : "fixed")
                    .put("nodes", states)
                    .put("writableNodes", nodes.writable().size())
                    .put("fullNodes", new JsonArray(full))
                    .put("repairsPending", repairs)
                    .put("movers", moverSummary(movers))
                    .put("mapVersion", nodes.map().version())
                    .put("build", BuildInfo.current().toJson());
        }, pool).whenComplete((json, e) -> ctx.vertx().runOnContext(v -> {
            if (e != null) {
                AdminJson.error(ctx, 500, "internal", e.toString());
            } else {
                AdminJson.send(ctx, 200, json);
            }
        }));
    }

    /**
     * {@code GET /admin/buckets}: every bucket with its object count and bytes (exact: the
     * metadata's per-bucket stats, kept in the same batches as the objects), largest first.
     */
    void buckets(RoutingContext ctx) {
        CompletableFuture.supplyAsync(() -> {
            Map<String, BucketUsage> usage = new HashMap<>();
            metadata.bucketUsage().forEach(u -> usage.put(u.bucket(), u));
            List<JsonObject> rows = new ArrayList<>();
            for (BucketRecord b : metadata.listBuckets()) {
                BucketUsage u = usage.get(b.name());
                rows.add(usageJson(b.name(), u));
            }
            rows.sort(Comparator.<JsonObject>comparingLong(o -> -o.getLong("bytes"))
                    .thenComparing(o -> o.getString("bucket")));
            return new JsonObject().put("buckets", new JsonArray(rows));
        }, pool).whenComplete((json, e) -> ctx.vertx().runOnContext(v -> {
            if (e != null) {
                AdminJson.error(ctx, 500, "internal", e.toString());
            } else {
                AdminJson.send(ctx, 200, json);
            }
        }));
    }

    /** How many buckets the summary lists, largest (logical bytes) first. */
    static final int SUMMARY_BUCKETS = 10;

    /** The largest buckets by logical bytes with their stored bytes (from the exact per-bucket counters). */
    private JsonArray largestBuckets(int limit) {
        List<BucketUsage> all = new ArrayList<>(metadata.bucketUsage());
        all.sort(Comparator.comparingLong(BucketUsage::bytes).reversed().thenComparing(BucketUsage::bucket));
        JsonArray out = new JsonArray();
        all.stream().limit(limit).forEach(u -> out.add(usageJson(u.bucket(), u)));
        return out;
    }

    /** A bucket's objects, logical bytes ({@code bytes}) and stored bytes (after compression and encryption). */
    static JsonObject usageJson(String bucket, BucketUsage u) {
        return new JsonObject().put("bucket", bucket).put("objects", u == null ? 0 : u.objects())
                .put("bytes", u == null ? 0 : u.bytes()).put("storedBytes", u == null ? 0 : u.storedBytes());
    }

    /** The movers' state in the summary: a word, and why when they are blocked. */
    static JsonObject moverSummary(Movers movers) {
        MoverProgress p = movers.progress();
        MoverProgress.Facts f = p.facts();
        return new JsonObject()
                .put("state", p.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("blockedChunks", f.blocked())
                .put("reason", f.blocked() == 0 ? null : f.blockedReason());
    }

    /** {@code GET|PUT /admin/buckets/:bucket/storage-class}: the class objects get when a PUT names none. */
    void bucketStorageClass(RoutingContext ctx) {
        String bucket = ctx.pathParam("bucket");
        String wanted;
        boolean put = ctx.request().method().name().equals("PUT");
        if (put) {
            JsonObject body;
            try {
                body = ctx.body().asJsonObject();
            } catch (RuntimeException e) {
                AdminJson.error(ctx, 400, "bad_request", "the body must be {\"storageClass\": \"CLASS\"} or null");
                return;
            }
            wanted = body == null ? null : body.getString("storageClass");
            if (wanted != null && !ObjectHeaders.isStorageClass(wanted)) {
                AdminJson.error(ctx, 400, "InvalidStorageClass", "unknown storage class " + wanted);
                return;
            }
        } else {
            wanted = null;
        }
        CompletableFuture.supplyAsync(() -> put ? metadata.setDefaultStorageClass(bucket, wanted)
                : metadata.getBucket(bucket).orElseThrow(() -> new MetadataException.NoSuchBucket(bucket)), pool)
                .whenComplete((b, e) -> ctx.vertx().runOnContext(v -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    if (cause instanceof MetadataException.NoSuchBucket) {
                        AdminJson.error(ctx, 404, "NoSuchBucket", "no such bucket: " + bucket);
                    } else if (cause != null) {
                        AdminJson.error(ctx, 500, "internal", cause.toString());
                    } else {
                        String sc = b.defaultStorageClass() == null ? "STANDARD" : b.defaultStorageClass();
                        AdminJson.send(ctx, 200, new JsonObject().put("bucket", b.name()).put("storageClass", sc)
                                .put("protection", nodes.protection(sc).describe()));
                    }
                }));
    }

    static JsonObject node(NodeRecord n) {
        return new JsonObject()
                .put("id", n.id())
                .put("address", n.address())
                .put("zone", n.zone())
                .put("state", n.state().name())
                .put("capacity", n.capacity())
                .put("used", n.used())
                .put("pieces", n.pieces())
                .put("lastHeartbeat", Instant.ofEpochMilli(n.lastHeartbeatMillis()).toString())
                .put("joined", Instant.ofEpochMilli(n.joinedMillis()).toString());
    }
}
