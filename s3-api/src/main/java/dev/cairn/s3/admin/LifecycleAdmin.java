package dev.cairn.s3.admin;

import java.time.Instant;
import java.util.Locale;

import dev.cairn.s3.lifecycle.LifecycleStatus;
import dev.cairn.s3.lifecycle.LifecycleWorker;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin API of the lifecycle worker (root only, behind the admin router's authentication):
 * {@code GET /admin/lifecycle} (state, settings, the last pass and the totals) and
 * {@code POST /admin/lifecycle/run} (start a pass now; 202).
 */
public final class LifecycleAdmin {
    private final LifecycleWorker worker;

    private LifecycleAdmin(LifecycleWorker worker) {
        this.worker = worker;
    }

    /** Adds the routes to the admin router (after its {@code /admin/*} authentication). */
    public static void mount(Router router, LifecycleWorker worker) {
        LifecycleAdmin admin = new LifecycleAdmin(worker);
        router.get("/admin/lifecycle").handler(admin::status);
        router.post("/admin/lifecycle/run").handler(admin::run);
    }

    private void status(RoutingContext ctx) {
        AdminJson.send(ctx, 200, json(worker));
    }

    private void run(RoutingContext ctx) {
        worker.runNow();
        AdminJson.send(ctx, 202, new JsonObject().put("state", "requested"));
    }

    static JsonObject json(LifecycleWorker worker) {
        LifecycleStatus s = worker.status();
        JsonObject out = new JsonObject()
                .put("state", s.state().name().toLowerCase(Locale.ROOT))
                .put("currentBucket", s.currentBucket())
                .put("passes", s.passes())
                .put("daySeconds", worker.settings().days().dayMillis() / 1000)
                .put("passIntervalMillis", worker.settings().passInterval().toMillis())
                .put("actionsPerSecond", worker.settings().actionsPerSecond())
                .put("totals", new JsonObject(new java.util.LinkedHashMap<String, Object>(s.totals().toMap())))
                .put("lastError", s.lastError())
                .put("lastDeferral", s.lastDeferral());
        if (s.lastPass() != null) {
            out.put("lastPass", new JsonObject(new java.util.LinkedHashMap<String, Object>(s.lastPass().toMap()))
                    .put("started", Instant.ofEpochMilli(s.lastPassStartedMillis()).toString())
                    .put("finished", Instant.ofEpochMilli(s.lastPassFinishedMillis()).toString())
                    .put("seconds", (s.lastPassFinishedMillis() - s.lastPassStartedMillis()) / 1000.0));
        }
        return out;
    }
}
