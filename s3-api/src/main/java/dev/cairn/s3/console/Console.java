package dev.cairn.s3.console;

import dev.cairn.s3.http.S3Router;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.concurrent.Executor;

/**
 * The web console, served on the admin port: the page at {@code /}, its assets under
 * {@code /console/} (all inside the jar), its settings at {@code /console/config.json}, and the
 * S3 API under {@code /s3/} so that the page reaches S3 on its own origin.
 *
 * <p>The console holds no authority of its own. The page signs every S3 and admin request with
 * SigV4 (Web Crypto) and the server checks it exactly as on the S3 port ({@link S3Router} with a
 * mount prefix: the path after {@code /s3} is what is parsed and signed) and on the admin API.
 * There is no cookie, so a request another site makes a browser send carries no credentials.
 */
public final class Console {
    /** Where the S3 API is mounted on the admin port. */
    public static final String S3_MOUNT = "/s3";

    private Console() {
    }

    /**
     * What the page needs to know before sign-in (nothing secret).
     *
     * @param region the region requests are signed for
     * @param s3Port the S3 port, for share links that work without the console
     */
    public record Settings(String region, int s3Port) {
        JsonObject json() {
            return new JsonObject().put("region", region).put("s3Port", s3Port).put("s3Path", S3_MOUNT);
        }
    }

    /**
     * Adds the page, its assets and its settings to {@code admin}, and returns the admin port's
     * request handler: {@code /s3} and {@code /s3/...} go to {@code s3} (which must be mounted at
     * {@link #S3_MOUNT}), everything else to {@code admin}.
     *
     * @param pool where assets are first read from the jar
     */
    public static Handler<HttpServerRequest> adminPort(Router admin, S3Router s3, Settings settings, Executor pool) {
        ConsoleAssets assets = new ConsoleAssets(pool, settings.json());
        admin.get("/").handler(ctx -> assets.serve(ctx, ConsoleAssets.INDEX));
        admin.head("/").handler(ctx -> assets.serve(ctx, ConsoleAssets.INDEX));
        admin.get("/console/*").handler(ctx -> assets.serve(ctx, ctx.pathParam("*")));
        admin.head("/console/*").handler(ctx -> assets.serve(ctx, ctx.pathParam("*")));
        return new ConsoleGateway(admin, s3);
    }
}
