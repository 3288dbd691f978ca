package dev.cairn.s3.e2e;

import dev.cairn.chunkstore.node.ClusterAuth;
import dev.cairn.chunkstore.node.ChunkstoreNode;
import dev.cairn.chunkstore.node.NodeConfig;
import dev.cairn.s3.auth.RequestSigner;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 10, behaviour 10: the admin API's bodies, replayed heartbeats, readiness, and a first segment that cannot be read. */
class SecurityNitsTest {
    private static final String SECRET = "security-nits-cluster-secret-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    /** A body changed after signing was applied: the admin API now checks the signed payload hash. */
    @Test
    void anAdminRequestBodyChangedAfterSigningIsRefused() throws Exception {
        try (TestServer server = TestServer.start()) {
            URI uri = server.adminEndpoint().resolve("/admin/rebalances/throttle");
            String signedBody = "{\"bytesPerSecond\": 1048576}";
            String sentBody = "{\"bytesPerSecond\": 1}";
            var headers = new RequestSigner(TestServer.ACCESS_KEY, TestServer.SECRET_KEY, "us-east-1").sign("PUT",
                    uri.getHost() + ":" + uri.getPort(), uri.getPath(), null,
                    ClusterAuth.sha256Hex(signedBody.getBytes(StandardCharsets.UTF_8)), Instant.now());
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(sentBody));
            headers.forEach(b::header);
            HttpResponse<String> tampered = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, tampered.statusCode(), tampered.body());
            assertEquals("XAmzContentSHA256Mismatch", new JsonObject(tampered.body()).getString("error"));

            var unsigned = AdminHttp.root(server, "PUT", "/admin/rebalances/throttle", sentBody);
            assertEquals(200, unsigned.statusCode(), "AdminHttp signs the body: " + unsigned.body());
            var status = new JsonObject(AdminHttp.root(server, "GET", "/admin/rebalances", null).body());
            assertEquals(1, status.getJsonObject("throttle").getLong("bytesPerSecond"));

            var noHash = new RequestSigner(TestServer.ACCESS_KEY, TestServer.SECRET_KEY, "us-east-1").sign("PUT",
                    uri.getHost() + ":" + uri.getPort(), uri.getPath(), null, RequestSigner.UNSIGNED_PAYLOAD, Instant.now());
            HttpRequest.Builder u = HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(signedBody));
            noHash.forEach(u::header);
            HttpResponse<String> r = HTTP.send(u.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), "a body must be covered by the signature: " + r.body());
        }
    }

    /** A captured heartbeat of a node that then died, replayed, must not bring it back. */
    @Test
    void aReplayedHeartbeatIsRefused() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withCluster(SECRET, Duration.ofSeconds(1),
                Duration.ofSeconds(2)))) {
            ClusterAuth auth = new ClusterAuth(SECRET, java.time.Clock.systemUTC());
            URI uri = server.adminEndpoint().resolve("/cluster/v1/heartbeat");
            byte[] first = beat("n1");
            ClusterAuth.Signature captured = auth.sign("POST", "/cluster/v1/heartbeat", ClusterAuth.sha256Hex(first));
            assertEquals(200, post(uri, first, captured).statusCode());
            Thread.sleep(5);
            byte[] second = beat("n1");
            assertEquals(200, post(uri, second, auth.sign("POST", "/cluster/v1/heartbeat",
                    ClusterAuth.sha256Hex(second))).statusCode());
            HttpResponse<String> replay = post(uri, first, captured);
            assertEquals(409, replay.statusCode(), replay.body());
        }
    }

    private static byte[] beat(String node) {
        return new JsonObject().put("nodeId", node).put("address", "http://127.0.0.1:1").put("capacity", 1L << 30)
                .put("used", 0).put("pieces", 0).put("version", 1).encode().getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> post(URI uri, byte[] body, ClusterAuth.Signature sig) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        sig.headers().forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Readiness said ready ~3 s before writes stopped answering 503: it is now the same fact. */
    @Test
    void readinessIsNotReadyWheneverWritesWouldAnswerServiceUnavailable() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withChunkstores(0, List.of()).withProtection("rs2+1")
                .withCluster(SECRET, Duration.ofSeconds(1), Duration.ofSeconds(2)));
             S3Client s3 = server.client()) {
            URI ready = server.adminEndpoint().resolve("/health/ready");
            assertEquals(503, HTTP.send(HttpRequest.newBuilder(ready).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "no node yet: writes would fail");
            s3.createBucket(b -> b.bucket("ready"));
            S3Exception refused = assertThrows(S3Exception.class, () ->
                    s3.putObject(b -> b.bucket("ready").key("k"), RequestBody.fromBytes(new byte[100_000])));
            assertEquals(503, refused.statusCode());
            List<ChunkstoreNode> nodes = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    nodes.add(ChunkstoreNode.start(NodeConfig.of(dir.resolve("n" + i), SECRET).withListen("127.0.0.1", 0)
                            .withJoin(server.adminEndpoint().toString(), "127.0.0.1", Duration.ofSeconds(1))));
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                int status;
                do {
                    Thread.sleep(50);
                    status = HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString())
                            .statusCode();
                } while (status != 200 && System.nanoTime() < deadline);
                assertEquals(200, status, "three nodes: ready");
                byte[] data = new byte[100_000];
                s3.putObject(b -> b.bucket("ready").key("k"), RequestBody.fromBytes(data)); // ready means writes work
                assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("ready").key("k")).asByteArray());

                nodes.remove(2).close(); // one dies: RS 2+1 cannot take writes without it
                try (S3Client once = S3Client.builder().endpointOverride(server.endpoint())
                        .region(software.amazon.awssdk.regions.Region.US_EAST_1).credentialsProvider(TestServer.credentials())
                        .forcePathStyle(true).overrideConfiguration(o -> o.retryStrategy(
                                software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
                        .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                        .build()) {
                    do {
                        Thread.sleep(50);
                        status = readiness(ready);
                        if (status == 200) {
                            try {
                                once.putObject(b -> b.bucket("ready").key("while-ready"), RequestBody.fromBytes(data));
                            } catch (S3Exception e) {
                                // the write that finds the node dead answers 503; readiness has flipped by then
                                assertEquals(503, e.statusCode(), e.toString());
                                assertEquals(503, readiness(ready), "not ready by the time a write answers 503");
                                status = 503;
                            }
                        }
                    } while (status == 200 && System.nanoTime() < deadline + Duration.ofSeconds(30).toNanos());
                }
                assertEquals(503, status, "not ready once a node is missing");
                S3Exception after = assertThrows(S3Exception.class, () ->
                        s3.putObject(b -> b.bucket("ready").key("k2"), RequestBody.fromBytes(data)));
                assertEquals(503, after.statusCode());
            } finally {
                nodes.forEach(ChunkstoreNode::close);
            }
        }
    }

    private static int readiness(URI ready) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** The first segment of an object could not be read: the server dropped the connection instead of answering 503. */
    @Test
    void aGetWhoseFirstSegmentCannotBeReadAnswersServiceUnavailable() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(3, "3copies", FaultyCluster.movers(Duration.ofMinutes(10), true))) {
            var objects = c.putObjects("unreadable", 1, 2);
            for (int i = 0; i < 3; i++) {
                c.node("local-" + i).down(true);
            }
            S3Exception e = assertThrows(S3Exception.class, () -> c.get("unreadable", "o0"));
            assertEquals(503, e.statusCode(), e.toString());
            assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode());
            for (int i = 0; i < 3; i++) {
                c.node("local-" + i).down(false);
            }
            assertArrayEquals(objects.get("o0"), c.get("unreadable", "o0"));
        }
    }
}
