package dev.cairn.s3.e2e;

import dev.cairn.s3.auth.RequestSigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/** Requests to a test server's admin port, SigV4-signed with the given credentials (none: anonymous). */
final class AdminHttp {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private AdminHttp() {
    }

    static HttpResponse<String> send(TestServer server, String method, String path, String body, String accessKey,
                                     String secretKey) throws Exception {
        URI uri = server.adminEndpoint().resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (accessKey != null) {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            new RequestSigner(accessKey, secretKey, "us-east-1").sign(method, uri.getHost() + ":" + uri.getPort(),
                    uri.getRawPath(), uri.getRawQuery(), dev.cairn.chunkstore.node.ClusterAuth.sha256Hex(bytes),
                    Instant.now()).forEach(b::header);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> root(TestServer server, String method, String path, String body) throws Exception {
        return send(server, method, path, body, TestServer.ACCESS_KEY, TestServer.SECRET_KEY);
    }
}
