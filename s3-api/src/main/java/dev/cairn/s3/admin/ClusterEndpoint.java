package dev.cairn.s3.admin;

import dev.cairn.chunkstore.RepeatedWarnings;
import dev.cairn.chunkstore.node.ClusterAuth;
import dev.cairn.chunkstore.node.HeartbeatMessage;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.placement.ClusterMap;
import dev.cairn.s3.BlockingCalls;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/**
 * {@code POST /cluster/v1/heartbeat}: chunkstore nodes join and report here. Every request must
 * carry a valid cluster signature over its body ({@link ClusterAuth}) and pass the transport
 * check ({@link NodeAdmission}: HTTPS with --cluster-tls, a certificate this server trusts); the
 * map update runs on the worker pool.
 */
final class ClusterEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterEndpoint.class);

    private final ClusterMap map;
    private final ClusterAuth auth;
    private final ExecutorService pool;
    private final RepeatedWarnings refusals;
    private final NodeAdmission admission;
    /** The signed time of the newest heartbeat taken per node: an older one is a replay. */
    private final java.util.Map<String, Long> lastSigned = new java.util.concurrent.ConcurrentHashMap<>();

    ClusterEndpoint(ClusterMap map, ClusterAuth auth, ExecutorService pool, MeterRegistry registry,
                    NodeAdmission admission) {
        this.map = map;
        this.admission = admission;
        this.auth = auth;
        this.pool = pool;
        this.refusals = new RepeatedWarnings(LOG, "heartbeat-refused", Duration.ofMinutes(1), registry);
    }

    void heartbeat(RoutingContext ctx) {
        var req = ctx.request();
        ClusterAuth.Verdict verdict = auth.verify(req.method().name(), req.uri(),
                req.getHeader(ClusterAuth.TIME_HEADER), req.getHeader(ClusterAuth.CONTENT_SHA256_HEADER),
                req.getHeader(ClusterAuth.SIGNATURE_HEADER));
        byte[] body = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (verdict != ClusterAuth.Verdict.OK
                || !ClusterAuth.bodyMatches(req.getHeader(ClusterAuth.CONTENT_SHA256_HEADER), body)) {
            refusals.warn(req.remoteAddress().host() + "/" + verdict, "refused heartbeat from {}: {}",
                    req.remoteAddress(), verdict);
            AdminJson.error(ctx, verdict == ClusterAuth.Verdict.MISSING ? 401 : 403, "unauthorized",
                    "a valid cluster signature is required");
            return;
        }
        ClusterMap.Heartbeat hb;
        try {
            HeartbeatMessage m = HeartbeatMessage.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            hb = new ClusterMap.Heartbeat(m.nodeId(), m.address(), m.zone() == null ? "" : m.zone(), m.capacity(),
                    m.used(), m.pieces());
        } catch (RuntimeException e) {
            AdminJson.error(ctx, 400, "bad_request", "heartbeat body: " + e.getMessage());
            return;
        }
        long signed = Long.parseLong(req.getHeader(ClusterAuth.TIME_HEADER));
        long last = lastSigned.merge(hb.nodeId(), signed, Math::max);
        if (last > signed) {
            refusals.warn(hb.nodeId() + "/replayed", "refused heartbeat of {} signed at {}: one signed at {} came first",
                    hb.nodeId(), signed, last);
            AdminJson.error(ctx, 409, "stale", "a newer heartbeat of this node was already taken (replayed?)");
            return;
        }
        Future.fromCompletionStage(admission.check(hb.nodeId(), hb.address()), ctx.vertx().getOrCreateContext())
                .onComplete(a -> {
                    if (a.failed() || a.result() == null) {
                        take(ctx, hb);
                    } else {
                        refusals.warn(hb.nodeId() + "/transport", "refused heartbeat of {}: {}", hb.nodeId(), a.result());
                        AdminJson.error(ctx, 403, "transport_refused", a.result());
                    }
                });
    }

    private void take(RoutingContext ctx, ClusterMap.Heartbeat hb) {
        blocking(ctx, () -> map.heartbeat(hb)).onComplete(r -> {
            if (r.failed()) {
                Throwable e = r.cause();
                if (e instanceof IllegalStateException) {
                    AdminJson.error(ctx, 410, "removed", e.getMessage());
                } else {
                    LOG.error("heartbeat of {} failed", hb.nodeId(), e);
                    AdminJson.error(ctx, 500, "internal", "heartbeat failed");
                }
                return;
            }
            NodeRecord n = r.result();
            AdminJson.send(ctx, 200, new JsonObject().put("mapVersion", map.version()).put("state", n.state().name()));
        });
    }

    private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
        return BlockingCalls.run(pool, ctx.vertx().getOrCreateContext(), work);
    }
}
