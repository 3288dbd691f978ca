package dev.cairn.s3.admin;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ChunkRef;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PieceLocation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/object?bucket=B&key=K[&versionId=V]} (root only, behind the admin router's
 * authentication): where one version's data is and how it is protected - its storage class, and
 * per chunk the stored size, the protection and the node of each piece. What an operator looks at
 * to see a lifecycle transition or a repair land; {@code cairn admin object BUCKET KEY} prints it.
 */
public final class ObjectAdmin {
    private final MetadataStore metadata;
    private final Executor pool;

    private ObjectAdmin(MetadataStore metadata, Executor pool) {
        this.metadata = metadata;
        this.pool = pool;
    }

    public static void mount(Router router, MetadataStore metadata, Executor pool) {
        router.get("/admin/object").handler(new ObjectAdmin(metadata, pool)::info);
    }

    private void info(RoutingContext ctx) {
        String bucket = ctx.queryParams().get("bucket");
        String key = ctx.queryParams().get("key");
        String versionId = ctx.queryParams().get("versionId");
        if (bucket == null || key == null || bucket.isEmpty() || key.isEmpty()) {
            AdminJson.error(ctx, 400, "bad_request", "name the object: ?bucket=B&key=K (and &versionId=V for a version)");
            return;
        }
        CompletableFuture.supplyAsync(() -> {
            if (metadata.getBucket(bucket).isEmpty()) {
                return null;
            }
            Optional<ObjectRecord> o = versionId == null ? metadata.getObject(bucket, key)
                    : metadata.getObjectVersion(bucket, key, versionId);
            return o.map(this::json).orElse(new JsonObject());
        }, pool).whenComplete((json, e) -> ctx.vertx().runOnContext(v -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause != null) {
                AdminJson.error(ctx, 500, "internal", cause.toString());
            } else if (json == null) {
                AdminJson.error(ctx, 404, "NoSuchBucket", "no such bucket: " + bucket);
            } else if (json.isEmpty()) {
                AdminJson.error(ctx, 404, versionId == null ? "NoSuchKey" : "NoSuchVersion",
                        "no such object: " + bucket + "/" + key + (versionId == null ? "" : " version " + versionId));
            } else {
                AdminJson.send(ctx, 200, json.put("bucket", bucket).put("key", key));
            }
        }));
    }

    private JsonObject json(ObjectRecord o) {
        JsonObject out = new JsonObject()
                .put("versionId", o.versionId())
                .put("storageClass", o.storageClass() == null ? "STANDARD" : o.storageClass())
                .put("size", o.size())
                .put("etag", o.etag())
                .put("deleteMarker", o.isDeleteMarker())
                .put("inline", o.isInline());
        List<ChunkRef> refs = o.chunks();
        List<Optional<ChunkRecord>> records = metadata.getChunks(refs.stream().map(ChunkRef::id).toList());
        JsonArray chunks = new JsonArray();
        for (int i = 0; i < refs.size(); i++) {
            JsonObject c = new JsonObject().put("id", refs.get(i).id().toString()).put("size", refs.get(i).size());
            records.get(i).ifPresent(r -> {
                JsonArray pieces = new JsonArray();
                for (PieceLocation p : r.pieces()) {
                    pieces.add(new JsonObject().put("index", p.index()).put("node", p.nodeId()).put("size", p.size()));
                }
                c.put("storedSize", r.size()).put("protection", r.protection().describe()).put("pieces", pieces);
            });
            chunks.add(c);
        }
        return out.put("chunks", chunks);
    }
}
