package dev.cairn.tools;

import dev.cairn.s3.auth.RequestSigner;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * Requests to the admin API, SigV4-signed with the root credentials. A server that cannot be
 * reached fails with {@link Cairn#UNREACHABLE} naming the URL and the cause; an answer other than
 * 2xx fails with {@link Cairn#FAILED} naming the status and the server's error.
 */
final class AdminClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final RequestSigner signer;
    private final HttpClient http;

    /** {@code trust}: the TLS context for an https endpoint; null trusts the JVM's default CAs. */
    AdminClient(URI endpoint, String accessKey, String secretKey, String region, javax.net.ssl.SSLContext trust) {
        this.endpoint = endpoint;
        this.signer = new RequestSigner(accessKey, secretKey, region);
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
        if (trust != null) {
            b.sslContext(trust);
        }
        this.http = b.build();
    }

    JsonObject get(String path) {
        return send("GET", path, null);
    }

    JsonObject send(String method, String path, String body) {
        return send(method, path, body, REQUEST_TIMEOUT);
    }

    /** Like {@link #send(String, String, String)}, waiting up to {@code timeout} for the answer. */
    JsonObject send(String method, String path, String body, Duration timeout) {
        URI uri = endpoint.resolve(path);
        HttpResponse<String> resp = exchange(method, uri, body, HttpResponse.BodyHandlers.ofString(), timeout);
        if (resp.statusCode() / 100 != 2) {
            throw new CliFailure(Cairn.FAILED, method + " " + uri + " answered " + resp.statusCode() + " "
                    + errorText(resp.body()));
        }
        try {
            return new JsonObject(resp.body());
        } catch (DecodeException e) {
            throw new CliFailure(Cairn.FAILED, method + " " + uri + " did not answer JSON (is " + endpoint
                    + " the admin port?): " + abbreviate(resp.body()));
        }
    }

    /** GETs {@code path} into {@code target} (streamed to disk: a metadata snapshot may be large). */
    void download(String path, java.nio.file.Path target) {
        URI uri = endpoint.resolve(path);
        HttpResponse<java.nio.file.Path> resp = exchange("GET", uri, null, HttpResponse.BodyHandlers.ofFile(target),
                REQUEST_TIMEOUT);
        if (resp.statusCode() / 100 != 2) {
            String body;
            try {
                body = java.nio.file.Files.readString(target);
            } catch (IOException e) {
                body = "";
            }
            throw new CliFailure(Cairn.FAILED, "GET " + uri + " answered " + resp.statusCode() + " " + errorText(body));
        }
    }

    private <T> HttpResponse<T> exchange(String method, URI uri, String body, HttpResponse.BodyHandler<T> handler,
                                         Duration timeout) {
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        String host = uri.getHost() + ":" + (uri.getPort() < 0 ? defaultPort(uri) : uri.getPort());
        byte[] payload = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // the admin API checks the body against the hash it was signed with
        signer.sign(method, host, uri.getRawPath(), uri.getRawQuery(), dev.cairn.chunkstore.node.ClusterAuth.sha256Hex(payload),
                Instant.now()).forEach(req::header);
        try {
            return http.send(req.build(), handler);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new CliFailure(Cairn.UNREACHABLE, "no TLS connection to " + uri + ": " + Cairn.cause(e)
                    + " (a server certificate from a private CA needs --ca-cert FILE or CAIRN_CA_CERT)", e);
        } catch (IOException e) {
            throw new CliFailure(Cairn.UNREACHABLE, "cannot reach the Cairn admin API at " + uri + ": "
                    + Cairn.cause(e) + " (is the server running there? set --endpoint or CAIRN_ENDPOINT"
                    + ("http".equalsIgnoreCase(uri.getScheme()) ? "; a server started with --tls-cert needs https://"
                    : "") + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure(Cairn.FAILED, "interrupted while waiting for " + uri, e);
        }
    }

    private static int defaultPort(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** {@code node_holds_pieces: node n1 still holds 3 pieces ...}, or the body as it came. */
    private static String errorText(String body) {
        try {
            JsonObject e = new JsonObject(body);
            if (e.containsKey("error")) {
                return e.getString("error") + ": " + e.getString("message", "");
            }
        } catch (DecodeException | ClassCastException ignored) {
            // not the admin API's JSON: show what came
        }
        return abbreviate(body);
    }

    private static String abbreviate(String body) {
        String s = body == null ? "" : body.strip();
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
