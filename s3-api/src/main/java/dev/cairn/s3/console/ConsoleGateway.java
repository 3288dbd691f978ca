package dev.cairn.s3.console;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The admin port's request handler: {@code /s3} and {@code /s3/...} go to the S3 router mounted
 * there, the rest to the admin router.
 *
 * <p>Objects served from the console's origin must never run in it (a stored {@code text/html}
 * or SVG object opened from a download link would otherwise read the page's session): every S3
 * answer on this port carries {@code Content-Security-Policy: sandbox} (an opaque origin, no
 * script), {@code X-Content-Type-Options: nosniff} and no referrer.
 */
final class ConsoleGateway implements Handler<HttpServerRequest> {
    private final Handler<HttpServerRequest> admin;
    private final Handler<HttpServerRequest> s3;

    ConsoleGateway(Handler<HttpServerRequest> admin, Handler<HttpServerRequest> s3) {
        this.admin = admin;
        this.s3 = s3;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (path != null && (path.equals(Console.S3_MOUNT) || path.startsWith(Console.S3_MOUNT + "/"))) {
            HttpServerResponse r = request.response();
            r.putHeader("Content-Security-Policy", "sandbox; default-src 'none'");
            r.putHeader("X-Content-Type-Options", "nosniff");
            r.putHeader("Referrer-Policy", "no-referrer");
            r.putHeader("Cross-Origin-Resource-Policy", "same-origin");
            s3.handle(request);
        } else {
            admin.handle(request);
        }
    }
}
