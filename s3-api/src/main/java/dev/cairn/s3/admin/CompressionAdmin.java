package dev.cairn.s3.admin;

import dev.cairn.metadata.BucketUsage;
import dev.cairn.metadata.MetadataStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * {@code GET|PUT /admin/buckets/:bucket/compression}: whether new chunks of a bucket are
 * compressed (the server's --compression must be on too), and what the bucket stores: its
 * logical bytes (the objects' sizes, noncurrent versions included) against the bytes its chunks
 * hold after compression and encryption (before erasure coding or copies), from the metadata's
 * exact per-bucket counters (no scan).
 */
final class CompressionAdmin {
    /** The bucket config kind the S3 handlers read (the document "off" turns compression off). */
    static final String KIND = "compression";
    private final MetadataStore metadata;
    private final ExecutorService pool;
    private final boolean serverCompression;

    CompressionAdmin(MetadataStore metadata, ExecutorService pool, boolean serverCompression) {
        this.metadata = metadata;
        this.pool = pool;
        this.serverCompression = serverCompression;
    }

    void handle(RoutingContext ctx) {
        String bucket = ctx.pathParam("bucket");
        String wanted = null;
        if (ctx.request().method().name().equals("PUT")) {
            JsonObject body;
            try {
                body = ctx.body().asJsonObject();
            } catch (RuntimeException e) {
                body = null;
            }
            wanted = body == null ? null : body.getString("compression");
            if (!"on".equals(wanted) && !"off".equals(wanted)) {
                AdminJson.error(ctx, 400, "bad_request", "the body must be {\"compression\": \"on\"} or \"off\"");
                return;
            }
        }
        String set = wanted;
        CompletableFuture.supplyAsync(() -> {
            if (metadata.getBucket(bucket).isEmpty()) {
                return null;
            }
            if (set != null) {
                metadata.putBucketConfig(bucket, KIND, set.equals("off")
                        ? "off".getBytes(StandardCharsets.US_ASCII) : null);
            }
            boolean on = metadata.getBucketConfig(bucket, KIND)
                    .map(v -> !"off".equals(new String(v, StandardCharsets.US_ASCII).trim())).orElse(true);
            BucketUsage usage = metadata.bucketUsage(bucket);
            return new JsonObject().put("bucket", bucket).put("compression", on ? "on" : "off")
                    .put("serverCompression", serverCompression ? "on" : "off")
                    .put("objects", usage.objects()).put("logicalBytes", usage.bytes())
                    .put("storedBytes", usage.storedBytes());
        }, pool).whenComplete((json, e) -> ctx.vertx().runOnContext(v -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                AdminJson.error(ctx, 500, "internal", cause.toString());
            } else if (json == null) {
                AdminJson.error(ctx, 404, "NoSuchBucket", "no such bucket: " + bucket);
            } else {
                AdminJson.send(ctx, 200, json);
            }
        }));
    }
}
