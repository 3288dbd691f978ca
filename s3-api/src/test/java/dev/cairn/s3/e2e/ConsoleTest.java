package dev.cairn.s3.e2e;

import dev.cairn.s3.auth.RequestSigner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console on the admin port, below the browser: its page and assets with their security
 * headers, the S3 API mounted at /s3 (signed exactly as on the S3 port), and requests another
 * site could make a browser send (no credentials: refused, nothing changed).
 */
class ConsoleTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkstores(2, List.of()).withProtection("1copy"));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static HttpResponse<byte[]> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.adminEndpoint().resolve(path)).GET();
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A request to the admin port's /s3 mount, signed for {@code signedPath} (the path S3 sees). */
    private static HttpResponse<String> s3(String method, String path, String signedPath, byte[] body) throws Exception {
        URI uri = server.adminEndpoint().resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (signedPath != null) {
            String rawQuery = uri.getRawQuery();
            new RequestSigner(TestServer.ACCESS_KEY, TestServer.SECRET_KEY, "us-east-1")
                    .sign(method, uri.getHost() + ":" + uri.getPort(), signedPath, rawQuery,
                            RequestSigner.UNSIGNED_PAYLOAD, Instant.now())
                    .forEach(b::header);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageComesWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<byte[]> r = get("/", Map.of());
        assertEquals(200, r.statusCode());
        assertEquals("text/html; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertTrue(csp.contains("script-src 'self';"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertFalse(csp.contains("unsafe-eval"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElseThrow());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertEquals("no-referrer", r.headers().firstValue("Referrer-Policy").orElseThrow());
        String html = new String(r.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<script type=\"module\" src=\"/console/js/main.js\"></script>"), html);
    }

    @Test
    void assetsAreServedFromTheJarWithTypesAndETags() throws Exception {
        HttpResponse<byte[]> js = get("/console/js/main.js", Map.of());
        assertEquals(200, js.statusCode());
        assertEquals("text/javascript; charset=utf-8", js.headers().firstValue("Content-Type").orElseThrow());
        String etag = js.headers().firstValue("ETag").orElseThrow();
        assertEquals(304, get("/console/js/main.js", Map.of("If-None-Match", etag)).statusCode());
        assertEquals("text/css; charset=utf-8",
                get("/console/css/console.css", Map.of()).headers().firstValue("Content-Type").orElseThrow());
        assertEquals("image/svg+xml",
                get("/console/img/cairn.svg", Map.of()).headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void nothingOutsideTheConsoleFolderIsServed() throws Exception {
        for (String path : List.of("/console/%2e%2e/pom.xml", "/console/js/%2e%2e/%2e%2e/pom.xml", "/console/js/../../logback.xml",
                "/console/js/missing.js", "/console/js/main.JS", "/console/META-INF/MANIFEST.MF", "/console/",
                "/console/.hidden.js")) {
            HttpResponse<byte[]> r = get(path, Map.of());
            assertEquals(404, r.statusCode(), path);
        }
    }

    @Test
    void settingsNameTheRegionTheS3PortAndTheServerClock() throws Exception {
        HttpResponse<byte[]> r = get("/console/config.json", Map.of());
        assertEquals(200, r.statusCode());
        JsonObject c = new JsonObject(new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("us-east-1", c.getString("region"));
        assertEquals(server.server().s3Port(), c.getInteger("s3Port"));
        assertEquals("/s3", c.getString("s3Path"));
        assertTrue(Math.abs(c.getLong("serverTime") - System.currentTimeMillis()) < 60_000);
    }

    @Test
    void s3UnderTheMountIsVerifiedOnThePathAfterIt() throws Exception {
        String bucket = TestServer.uniqueBucket("console-mount");
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("dir/a b.txt"), RequestBody.fromString("hello"));

        HttpResponse<String> ok = s3("GET", "/s3/" + bucket + "/dir/a%20b.txt", "/" + bucket + "/dir/a%20b.txt", null);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("hello", ok.body());
        assertEquals("sandbox; default-src 'none'", ok.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("nosniff", ok.headers().firstValue("X-Content-Type-Options").orElseThrow());
        HttpResponse<String> list = s3("GET", "/s3", "/", null);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("<Name>" + bucket + "</Name>"), list.body());

        HttpResponse<String> anonymous = s3("GET", "/s3/" + bucket + "/dir/a%20b.txt", null, null);
        assertEquals(403, anonymous.statusCode());
        assertTrue(anonymous.body().contains("<Code>AccessDenied</Code>"), anonymous.body());
        HttpResponse<String> signedWithMount = s3("GET", "/s3/" + bucket + "/dir/a%20b.txt",
                "/s3/" + bucket + "/dir/a%20b.txt", null);
        assertEquals(403, signedWithMount.statusCode());
        assertTrue(signedWithMount.body().contains("<Code>SignatureDoesNotMatch</Code>"), signedWithMount.body());
    }

    @Test
    void presignedLinksWorkUnderTheMount() throws Exception {
        String bucket = TestServer.uniqueBucket("console-presign");
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("presigned"));
        try (S3Presigner p = S3Presigner.builder().endpointOverride(server.adminEndpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(TestServer.credentials())
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build()).build()) {
            URI signed = p.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(bucket).key("k"))).url().toURI();
            URI mounted = server.adminEndpoint().resolve("/s3" + signed.getRawPath() + "?" + signed.getRawQuery());
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(mounted).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals("presigned", r.body());
        }
    }

    @Test
    void requestsAnotherSiteCouldForgeCarryNoCredentialsAndChangeNothing() throws Exception {
        String bucket = TestServer.uniqueBucket("console-csrf");
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("keep"), RequestBody.fromString("x"));
        // what a form on another origin can post: a simple request, with the browser's Origin and no auth
        Map<String, String> forged = Map.of("Origin", "http://evil.example", "Content-Type",
                "application/x-www-form-urlencoded");
        for (String path : List.of("/admin/nodes/local-0/drain", "/admin/rebalances/pause", "/admin/nodes/local-1/remove")) {
            HttpRequest.Builder b = HttpRequest.newBuilder(server.adminEndpoint().resolve(path))
                    .POST(HttpRequest.BodyPublishers.ofString("a=b"));
            forged.forEach(b::header);
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), path + ": " + r.body());
            assertTrue(r.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), path);
        }
        HttpRequest.Builder del = HttpRequest.newBuilder(server.adminEndpoint().resolve("/s3/" + bucket + "?delete"))
                .POST(HttpRequest.BodyPublishers.ofString("<Delete><Object><Key>keep</Key></Object></Delete>"));
        forged.forEach(del::header);
        assertEquals(403, HTTP.send(del.build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        JsonArray nodes = new JsonObject(AdminHttp.root(server, "GET", "/admin/nodes", null).body()).getJsonArray("nodes");
        for (int i = 0; i < nodes.size(); i++) {
            assertEquals("UP", nodes.getJsonObject(i).getString("state"));
        }
        assertEquals(false, new JsonObject(AdminHttp.root(server, "GET", "/admin/rebalances", null).body())
                .getBoolean("paused"));
        assertNotNull(s3.headObject(b -> b.bucket(bucket).key("keep")));
    }

    @Test
    void bucketUsageListsEveryBucketWithObjectsAndBytes() throws Exception {
        String full = TestServer.uniqueBucket("console-usage");
        String empty = TestServer.uniqueBucket("console-empty");
        s3.createBucket(b -> b.bucket(full));
        s3.createBucket(b -> b.bucket(empty));
        s3.putObject(b -> b.bucket(full).key("a"), RequestBody.fromBytes(new byte[1000]));
        s3.putObject(b -> b.bucket(full).key("b"), RequestBody.fromBytes(new byte[24]));
        assertEquals(401, AdminHttp.send(server, "GET", "/admin/buckets", null, null, null).statusCode());
        HttpResponse<String> r = AdminHttp.root(server, "GET", "/admin/buckets", null);
        assertEquals(200, r.statusCode(), r.body());
        JsonArray rows = new JsonObject(r.body()).getJsonArray("buckets");
        JsonObject f = null;
        JsonObject e = null;
        for (int i = 0; i < rows.size(); i++) {
            JsonObject row = rows.getJsonObject(i);
            if (row.getString("bucket").equals(full)) {
                f = row;
            } else if (row.getString("bucket").equals(empty)) {
                e = row;
            }
        }
        assertEquals(new JsonObject().put("bucket", full).put("objects", 2).put("bytes", 1024)
                .put("storedBytes", 1024), f, "small bodies are stored inline, as they are");
        assertEquals(new JsonObject().put("bucket", empty).put("objects", 0).put("bytes", 0).put("storedBytes", 0), e);
    }

    /** A PUT to the admin API whose x-amz-content-sha256 (signed) is the hash of {@code signedBody}. */
    private static HttpResponse<String> adminPut(String path, String body, String signedBody) throws Exception {
        URI uri = server.adminEndpoint().resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(body));
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(signedBody.getBytes(StandardCharsets.UTF_8)));
        new RequestSigner(TestServer.ACCESS_KEY, TestServer.SECRET_KEY, "us-east-1")
                .sign("PUT", uri.getHost() + ":" + uri.getPort(), path, null, hash, Instant.now()).forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void adminBodiesSignedByTheirHashMustHaveIt() throws Exception {
        String signed = "{\"bytesPerSecond\": 1048576}";
        HttpResponse<String> swapped = adminPut("/admin/rebalances/throttle", "{\"bytesPerSecond\": 1}", signed);
        assertEquals(400, swapped.statusCode(), swapped.body());
        assertTrue(swapped.body().contains("XAmzContentSHA256Mismatch"), swapped.body());
        HttpResponse<String> ok = adminPut("/admin/rebalances/throttle", signed, signed);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(1048576L, new JsonObject(ok.body()).getLong("bytesPerSecond"));
    }

    @Test
    void theS3PortHasNoConsole() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.endpoint().resolve("/console/js/main.js")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode(), "an anonymous GetObject of bucket 'console'");
    }
}
