package dev.cairn.s3.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.function.BooleanSupplier;

/** The admin port's routes: liveness, readiness and Prometheus metrics. */
public final class AdminServer {
    private AdminServer() {
    }

    public static Router router(Vertx vertx, BooleanSupplier ready, PrometheusMeterRegistry registry) {
        Router router = Router.router(vertx);
        router.get("/health/live").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json")
                .end("{\"status\":\"live\"}"));
        router.get("/health/ready").handler(ctx -> {
            boolean ok = ready.getAsBoolean();
            ctx.response().setStatusCode(ok ? 200 : 503)
                    .putHeader("Content-Type", "application/json")
                    .end(ok ? "{\"status\":\"ready\"}" : "{\"status\":\"starting\"}");
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        return router;
    }
}
