package dev.cairn.s3.http;

import dev.cairn.s3.auth.RequestView;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The verifier's view of a Vert.x request: raw path and query exactly as received, less the
 * mount prefix of a router mounted under a path (the console's {@code /s3} on the admin port).
 */
public final class VertxRequestView implements RequestView {
    private final HttpServerRequest request;
    private final String rawPath;
    private final String rawQuery;

    public VertxRequestView(HttpServerRequest request) {
        this(request, "");
    }

    /** @param mount a path prefix the request was routed by (no trailing slash), removed from the path; "" for none */
    public VertxRequestView(HttpServerRequest request, String mount) {
        this.request = request;
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        if (!mount.isEmpty() && path.equals(mount)) {
            path = "/";
        } else if (!mount.isEmpty() && path.startsWith(mount + "/")) {
            path = path.substring(mount.length());
        }
        this.rawPath = path;
        this.rawQuery = q < 0 ? null : uri.substring(q + 1);
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    /** The Host header; over HTTP/2 (no Host header) the :authority pseudo-header stands in for it. */
    @Override
    public String header(String name) {
        String v = request.getHeader(name);
        if (v == null && "host".equalsIgnoreCase(name) && request.authority() != null) {
            return request.authority().toString();
        }
        return v;
    }

    @Override
    public List<Map.Entry<String, String>> headers() {
        List<Map.Entry<String, String>> all = request.headers().entries();
        if (request.getHeader("host") == null && request.authority() != null) {
            List<Map.Entry<String, String>> withHost = new ArrayList<>(all);
            withHost.add(Map.entry("host", request.authority().toString()));
            return withHost;
        }
        return all;
    }
}
