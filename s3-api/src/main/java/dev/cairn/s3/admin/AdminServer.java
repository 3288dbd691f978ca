package dev.cairn.s3.admin;

import dev.cairn.chunkstore.node.ClusterAuth;
import dev.cairn.chunkstore.node.HeartbeatMessage;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.placement.mover.Movers;
import dev.cairn.s3.BuildInfo;
import dev.cairn.s3.auth.SigV4Verifier;
import dev.cairn.s3.crypto.DataProtection;
import dev.cairn.placement.storage.StorageNodes;
import dev.cairn.s3.access.BucketAccessStore;
import dev.cairn.s3.handler.Quotas;
import dev.cairn.s3.iam.IamService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The admin port's routes: liveness, readiness, Prometheus metrics (anonymous), the cluster
 * heartbeat endpoint (cluster secret), the IAM Query API ({@code POST /}, {@link IamApi}) and the
 * admin JSON API (root credentials), including the movers' ({@link MoverAdmin}) and the
 * keyring's ({@link KeyAdmin}).
 */
public final class AdminServer {
    private static final long MAX_HEARTBEAT_BYTES = 64 * 1024;

    private AdminServer() {
    }

    /** What the admin routes need; {@code ready} says why the server cannot serve S3 writes now (null: it can). */
    public record Deps(Supplier<String> ready, PrometheusMeterRegistry registry, StorageNodes nodes,
                       MetadataStore metadata, ClusterAuth clusterAuth, SigV4Verifier verifier, String rootAccessKey,
                       ExecutorService pool, Movers movers, IamService iam, BucketAccessStore buckets,
                       Quotas quotas, dev.cairn.metadata.ratis.ReplicatedMetadata replicated,
                       DataProtection protection, NodeAdmission admission) {
        /** A single server's dependencies (no replicated metadata). */
        public Deps(Supplier<String> ready, PrometheusMeterRegistry registry, StorageNodes nodes,
                    MetadataStore metadata, ClusterAuth clusterAuth, SigV4Verifier verifier, String rootAccessKey,
                    ExecutorService pool, Movers movers, IamService iam, BucketAccessStore buckets, Quotas quotas) {
            this(ready, registry, nodes, metadata, clusterAuth, verifier, rootAccessKey, pool, movers, iam, buckets,
                    quotas, null, null, NodeAdmission.open());
        }
    }

    public static Router router(Vertx vertx, Deps d) {
        Router router = Router.router(vertx);
        String server = BuildInfo.current().serverHeader();
        router.route().handler(ctx -> {
            ctx.response().putHeader("Server", server);
            ctx.next();
        });
        router.get("/health/live").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"status\":\"live\"}"));
        router.get("/health/ready").handler(ctx -> {
            String notReady = d.ready().get();
            JsonObject body = notReady == null ? new JsonObject().put("status", "ready")
                    : new JsonObject().put("status", "not-ready").put("reason", notReady);
            ctx.response().setStatusCode(notReady == null ? 200 : 503)
                    .putHeader("Content-Type", "application/json")
                    .end(body.encode());
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(d.registry().scrape()));
        ClusterEndpoint cluster = new ClusterEndpoint(d.nodes().map(), d.clusterAuth(), d.pool(), d.registry(),
                d.admission() == null ? NodeAdmission.open() : d.admission());
        router.post(HeartbeatMessage.PATH)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_HEARTBEAT_BYTES))
                .handler(cluster::heartbeat);
        IamApi iamApi = new IamApi(d.verifier(), d.iam(), d.pool());
        router.post("/").handler(BodyHandler.create(false).setBodyLimit(IamApi.MAX_BODY_BYTES)).handler(iamApi::handle);
        AdminApi api = new AdminApi(d.verifier(), d.rootAccessKey(), d.nodes(), d.metadata(), d.pool(), d.movers());
        // bodies are read before authentication: the signature covers them (x-amz-content-sha256)
        router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(MAX_HEARTBEAT_BYTES))
                .handler(api::authenticate);
        router.get("/admin/nodes").handler(api::nodes);
        KeyAdmin keys = new KeyAdmin(d.protection(), d.pool());
        router.get("/admin/keys").handler(keys::list);
        router.post("/admin/keys").handler(keys::create);
        router.post("/admin/keys/rotate").handler(keys::rotate);
        router.get("/admin/summary").handler(api::summary);
        router.get("/admin/buckets").handler(api::buckets);
        router.get("/admin/buckets/:bucket/storage-class").handler(api::bucketStorageClass);
        router.put("/admin/buckets/:bucket/storage-class").handler(api::bucketStorageClass);
        CompressionAdmin compression = new CompressionAdmin(d.metadata(), d.pool(), d.protection().compression());
        router.get("/admin/buckets/:bucket/compression").handler(compression::handle);
        router.put("/admin/buckets/:bucket/compression").handler(compression::handle);
        IdentityAdmin users = new IdentityAdmin(d.iam(), d.buckets(), d.quotas(), d.metadata(), d.pool());
        router.get("/admin/users").handler(users::listUsers);
        router.post("/admin/users").handler(users::createUser);
        router.get("/admin/users/:name").handler(users::getUser);
        router.delete("/admin/users/:name").handler(users::deleteUser);
        router.post("/admin/users/:name/keys").handler(users::createKey);
        router.put("/admin/users/:name/keys/:id").handler(users::updateKey);
        router.delete("/admin/users/:name/keys/:id").handler(users::deleteKey);
        router.put("/admin/users/:name/policies/:policy").handler(users::putPolicy);
        router.delete("/admin/users/:name/policies/:policy").handler(users::deletePolicy);
        router.put("/admin/users/:name/quota").handler(users::putUserQuota);
        router.get("/admin/buckets/:bucket/quota").handler(users::bucketQuota);
        router.put("/admin/buckets/:bucket/quota").handler(users::bucketQuota);
        MoverAdmin moverAdmin = new MoverAdmin(d.movers(), d.nodes().map(), d.metadata(), d.pool());
        router.get("/admin/rebalances").handler(moverAdmin::status);
        router.put("/admin/rebalances/throttle").handler(moverAdmin::throttle);
        router.post("/admin/rebalances/pause").handler(ctx -> moverAdmin.pause(ctx, true));
        router.post("/admin/rebalances/resume").handler(ctx -> moverAdmin.pause(ctx, false));
        router.post("/admin/orphans/scan").handler(moverAdmin::orphanScan);
        router.post("/admin/nodes/:id/drain").handler(moverAdmin::drain);
        router.post("/admin/nodes/:id/remove").handler(moverAdmin::remove);
        MetadataAdmin metadataAdmin = new MetadataAdmin(d.metadata(), d.replicated(), d.pool());
        router.get("/admin/metadata").handler(metadataAdmin::status);
        router.post("/admin/metadata/transfer-leader").handler(metadataAdmin::transferLeader);
        router.post("/admin/metadata/peers").handler(metadataAdmin::addPeer);
        router.delete("/admin/metadata/peers/:id").handler(metadataAdmin::removePeer);
        router.get("/admin/metadata/snapshot").handler(metadataAdmin::snapshot);
        return router;
    }
}
