package dev.cairn.s3.admin;

import dev.cairn.metadata.BucketUsage;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.access.BucketAccessStore;
import dev.cairn.s3.handler.Quotas;
import dev.cairn.s3.iam.IamAccessKey;
import dev.cairn.s3.iam.IamException;
import dev.cairn.s3.iam.IamService;
import dev.cairn.s3.iam.IamUser;
import dev.cairn.s3.iam.IdentitySnapshot;
import dev.cairn.s3.iam.InlinePolicy;
import dev.cairn.s3.iam.Quota;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The admin API's users and quotas (root only), what {@code cairn admin user} and
 * {@code cairn admin quota} call: the same operations as the IAM API ({@link IamService}), in
 * JSON, plus storage quotas and usage, which IAM has no words for.
 * <pre>
 * GET    /admin/users                        users with keys (no secrets), policies, quota, usage
 * POST   /admin/users                        {"name": N}            create
 * GET    /admin/users/:name                  one user
 * DELETE /admin/users/:name[?force=true]     delete (force: its keys and policies first)
 * POST   /admin/users/:name/keys             create an access key (the answer holds its secret)
 * PUT    /admin/users/:name/keys/:id         {"active": true|false}
 * DELETE /admin/users/:name/keys/:id
 * PUT    /admin/users/:name/policies/:policy the body is the policy document
 * DELETE /admin/users/:name/policies/:policy
 * PUT    /admin/users/:name/quota            {"maxBytes": N|null, "maxObjects": N|null}
 * GET    /admin/buckets/:bucket/quota        quota and usage of a bucket
 * PUT    /admin/buckets/:bucket/quota        {"maxBytes": N|null, "maxObjects": N|null}
 * </pre>
 */
final class IdentityAdmin {
    private final IamService iam;
    private final BucketAccessStore buckets;
    private final Quotas quotas;
    private final MetadataStore metadata;
    private final ExecutorService pool;

    IdentityAdmin(IamService iam, BucketAccessStore buckets, Quotas quotas, MetadataStore metadata,
                  ExecutorService pool) {
        this.iam = iam;
        this.buckets = buckets;
        this.quotas = quotas;
        this.metadata = metadata;
        this.pool = pool;
    }

    void listUsers(RoutingContext ctx) {
        run(ctx, 200, () -> {
            JsonArray users = new JsonArray();
            for (IamUser u : iam.snapshot().users()) {
                users.add(user(u));
            }
            return new JsonObject().put("users", users);
        });
    }

    void getUser(RoutingContext ctx) {
        run(ctx, 200, () -> user(iam.user(ctx.pathParam("name"))));
    }

    void createUser(RoutingContext ctx) {
        run(ctx, 201, () -> {
            JsonObject body = json(ctx);
            return user(iam.createUser(body.getString("name"), body.getString("path")));
        });
    }

    void deleteUser(RoutingContext ctx) {
        run(ctx, 200, () -> {
            String name = ctx.pathParam("name");
            if ("true".equals(ctx.request().getParam("force"))) {
                IdentitySnapshot s = iam.snapshot();
                for (IamAccessKey k : iam.accessKeys(name)) {
                    iam.deleteAccessKey(name, k.id());
                }
                for (InlinePolicy p : s.inlinePolicies(name).values()) {
                    iam.deleteUserPolicy(name, p.name());
                }
                for (var p : iam.attachedPolicies(name)) {
                    iam.detachUserPolicy(name, p.arn());
                }
            }
            iam.deleteUser(name);
            return new JsonObject().put("deleted", name);
        });
    }

    void createKey(RoutingContext ctx) {
        run(ctx, 201, () -> {
            IamAccessKey k = iam.createAccessKey(ctx.pathParam("name"));
            return key(k).put("secretAccessKey", k.secret());
        });
    }

    void updateKey(RoutingContext ctx) {
        run(ctx, 200, () -> {
            Boolean active = json(ctx).getBoolean("active");
            if (active == null) {
                throw new IamException(IamException.Code.MISSING_PARAMETER, "the body must be {\"active\": true|false}");
            }
            iam.updateAccessKey(ctx.pathParam("name"), ctx.pathParam("id"), active);
            return key(iam.snapshot().accessKey(ctx.pathParam("id")));
        });
    }

    void deleteKey(RoutingContext ctx) {
        run(ctx, 200, () -> {
            iam.deleteAccessKey(ctx.pathParam("name"), ctx.pathParam("id"));
            return new JsonObject().put("deleted", ctx.pathParam("id"));
        });
    }

    void putPolicy(RoutingContext ctx) {
        run(ctx, 200, () -> {
            String doc = ctx.body() == null || ctx.body().buffer() == null ? ""
                    : ctx.body().buffer().toString(StandardCharsets.UTF_8);
            iam.putUserPolicy(ctx.pathParam("name"), ctx.pathParam("policy"), doc);
            return user(iam.user(ctx.pathParam("name")));
        });
    }

    void deletePolicy(RoutingContext ctx) {
        run(ctx, 200, () -> {
            iam.deleteUserPolicy(ctx.pathParam("name"), ctx.pathParam("policy"));
            return user(iam.user(ctx.pathParam("name")));
        });
    }

    void putUserQuota(RoutingContext ctx) {
        run(ctx, 200, () -> {
            iam.setUserQuota(ctx.pathParam("name"), quota(json(ctx)));
            return user(iam.user(ctx.pathParam("name")));
        });
    }

    void bucketQuota(RoutingContext ctx) {
        boolean put = ctx.request().method().name().equals("PUT");
        run(ctx, 200, () -> {
            String bucket = ctx.pathParam("bucket");
            if (put) {
                Quota q = quota(json(ctx));
                if (buckets.load(bucket).isEmpty()) {
                    throw new MetadataException.NoSuchBucket(bucket);
                }
                buckets.putQuota(bucket, q);
            }
            BucketAccess b = buckets.load(bucket).orElseThrow(() -> new MetadataException.NoSuchBucket(bucket));
            BucketUsage u = metadata.bucketUsage(bucket);
            IamUser owner = iam.snapshot().userByCanonicalId(b.ownerId());
            return new JsonObject().put("bucket", bucket).put("owner", owner == null ? "root" : owner.name())
                    .put("quota", quota(b.quota())).put("usage", usage(u.bytes(), u.objects()));
        });
    }

    private JsonObject user(IamUser u) {
        IdentitySnapshot s = iam.snapshot();
        JsonArray keys = new JsonArray();
        for (IamAccessKey k : s.accessKeys(u.name())) {
            keys.add(key(k));
        }
        JsonArray policies = new JsonArray();
        s.inlinePolicies(u.name()).values().forEach(p -> policies.add(p.name()));
        JsonArray attached = new JsonArray();
        iam.attachedPolicies(u.name()).forEach(p -> attached.add(p.arn()));
        long[] used = quotas.ownerUsage(u.canonicalId());
        return new JsonObject().put("name", u.name()).put("id", u.id()).put("arn", u.arn())
                .put("canonicalId", u.canonicalId()).put("created", Instant.ofEpochMilli(u.createdMillis()).toString())
                .put("accessKeys", keys).put("policies", policies).put("attachedPolicies", attached)
                .put("quota", quota(s.userQuota(u.name()))).put("usage", usage(used[0], used[1]));
    }

    private static JsonObject key(IamAccessKey k) {
        return new JsonObject().put("accessKeyId", k.id()).put("user", k.userName())
                .put("status", k.active() ? "Active" : "Inactive")
                .put("created", Instant.ofEpochMilli(k.createdMillis()).toString());
    }

    private static JsonObject quota(Quota q) {
        return new JsonObject().put("maxBytes", q.limitsBytes() ? q.maxBytes() : null)
                .put("maxObjects", q.limitsObjects() ? q.maxObjects() : null);
    }

    private static JsonObject usage(long bytes, long objects) {
        return new JsonObject().put("bytes", bytes).put("objects", objects);
    }

    /** {"maxBytes": N|null, "maxObjects": N|null}: a missing or null limit is none. */
    private static Quota quota(JsonObject body) {
        Long bytes = body.getLong("maxBytes");
        Long objects = body.getLong("maxObjects");
        if (bytes != null && bytes < 0 || objects != null && objects < 0) {
            throw new IamException(IamException.Code.INVALID_INPUT, "quota limits must not be negative");
        }
        return new Quota(bytes == null ? -1 : bytes, objects == null ? -1 : objects);
    }

    private static JsonObject json(RoutingContext ctx) {
        try {
            JsonObject j = ctx.body() == null ? null : ctx.body().asJsonObject();
            return j == null ? new JsonObject() : j;
        } catch (RuntimeException e) {
            throw new IamException(IamException.Code.INVALID_INPUT, "the body must be a JSON object");
        }
    }

    /** Runs {@code work} on the worker pool and answers its JSON, or the error as the admin API words errors. */
    private void run(RoutingContext ctx, int status, Supplier<JsonObject> work) {
        CompletableFuture.supplyAsync(work, pool).whenComplete((json, err) -> ctx.vertx().runOnContext(v -> {
            if (err == null) {
                AdminJson.send(ctx, status, json);
                return;
            }
            Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (e instanceof IamException iamError) {
                AdminJson.error(ctx, iamError.code().status(), iamError.code().code(), iamError.getMessage());
            } else if (e instanceof MetadataException.NoSuchBucket) {
                AdminJson.error(ctx, 404, "NoSuchBucket", "no such bucket: " + ctx.pathParam("bucket"));
            } else {
                AdminJson.error(ctx, 500, "internal", e.toString());
            }
        }));
    }
}
