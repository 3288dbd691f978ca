package dev.cairn.s3.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * The console's files, read from the jar ({@code console/} on the class path) on the worker pool
 * the first time each is asked for and kept in memory (they are small). Every answer carries the
 * console's security headers; assets are revalidated by ETag, so an upgraded server is picked up
 * at the next load.
 */
final class ConsoleAssets {
    static final String INDEX = "index.html";
    static final String CONFIG = "config.json";
    /**
     * The page's Content-Security-Policy: scripts, styles and connections only from the console's
     * own origin (no inline script, no eval), blob: for previews the page builds from bytes it
     * fetched, nothing may frame the console, no form posts anywhere.
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
            + "media-src 'self' blob:; connect-src 'self'; frame-src blob:; object-src 'none'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";
    /** Lower-case names in folders, one known extension; no dot segments, so nothing outside console/. */
    private static final Pattern NAME = Pattern.compile("([a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9._-]*\\.(html|js|css|svg|png|json)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json");

    private record Asset(Buffer body, String type, String etag) {
    }

    private final Executor pool;
    private final JsonObject config;
    private final Map<String, CompletableFuture<Optional<Asset>>> cache = new ConcurrentHashMap<>();

    ConsoleAssets(Executor pool, JsonObject config) {
        this.pool = pool;
        this.config = config;
    }

    void serve(RoutingContext ctx, String name) {
        HttpServerResponse r = ctx.response();
        securityHeaders(r);
        if (name == null || !NAME.matcher(name).matches()) {
            notFound(r);
            return;
        }
        if (name.equals(CONFIG)) {
            // the server's clock goes with it: the page signs with it (SigV4 allows 15 minutes of skew)
            r.putHeader("Cache-Control", "no-store").putHeader("Content-Type", TYPES.get("json"))
                    .end(config.copy().put("serverTime", System.currentTimeMillis()).encode());
            return;
        }
        cache.computeIfAbsent(name, n -> CompletableFuture.supplyAsync(() -> load(n), pool))
                .whenComplete((found, e) -> ctx.vertx().runOnContext(v -> {
                    if (e != null) {
                        cache.remove(name);
                        r.setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                                .end("cannot read the console's " + name);
                    } else if (found.isEmpty()) {
                        notFound(r);
                    } else {
                        send(ctx, found.get());
                    }
                }));
    }

    static void securityHeaders(HttpServerResponse r) {
        r.putHeader("Content-Security-Policy", CSP);
        r.putHeader("X-Content-Type-Options", "nosniff");
        r.putHeader("X-Frame-Options", "DENY");
        r.putHeader("Referrer-Policy", "no-referrer");
        r.putHeader("Cross-Origin-Opener-Policy", "same-origin");
        r.putHeader("Cross-Origin-Resource-Policy", "same-origin");
    }

    private static void send(RoutingContext ctx, Asset a) {
        HttpServerResponse r = ctx.response();
        r.putHeader("Cache-Control", "no-cache");
        r.putHeader("ETag", a.etag());
        r.putHeader("Content-Type", a.type());
        if (a.etag().equals(ctx.request().getHeader("If-None-Match"))) {
            r.setStatusCode(304).end();
        } else if (ctx.request().method().name().equals("HEAD")) {
            r.putHeader("Content-Length", Integer.toString(a.body().length())).end();
        } else {
            r.end(a.body());
        }
    }

    private static void notFound(HttpServerResponse r) {
        r.setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("not found");
    }

    private static Optional<Asset> load(String name) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream("console/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(asset(in.readAllBytes(), name.substring(name.lastIndexOf('.') + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Asset asset(byte[] bytes, String extension) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(bytes);
            String etag = "\"" + java.util.HexFormat.of().formatHex(Arrays.copyOf(h, 12)) + "\"";
            return new Asset(Buffer.buffer(bytes), TYPES.get(extension), etag);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
