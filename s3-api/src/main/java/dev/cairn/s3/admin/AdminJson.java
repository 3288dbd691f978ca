package dev.cairn.s3.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers of the admin port. */
final class AdminJson {
    private AdminJson() {
    }

    static void send(RoutingContext ctx, int status, Object json) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(json instanceof JsonObject o ? o.encodePrettily() : String.valueOf(json));
    }

    static void error(RoutingContext ctx, int status, String code, String message) {
        send(ctx, status, new JsonObject().put("error", code).put("message", message));
    }
}
