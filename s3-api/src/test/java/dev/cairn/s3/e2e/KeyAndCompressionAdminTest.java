package dev.cairn.s3.e2e;

import dev.cairn.s3.ServerConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.net.http.HttpResponse;
import java.util.Base64;

import static dev.cairn.s3.e2e.S3Asserts.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keyring and compression admin routes: keys created through the API serve SSE-KMS, rotation
 * re-wraps the keyring under the active master key (and objects stay readable across a restart
 * with only that key), and turning compression off for a bucket stores its new text as it is.
 */
class KeyAndCompressionAdminTest {
    private static final String OLD = Base64.getEncoder().encodeToString(randomBytes(32, 41));
    private static final String NEW = Base64.getEncoder().encodeToString(randomBytes(32, 42));
    private static ServerConfig.Encryption keys = new ServerConfig.Encryption(null, OLD, true, false);
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withEncryption(keys));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static JsonObject ok(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    @Test
    void keysAreCreatedListedAndRotatedAndObjectsStayReadable() throws Exception {
        String id = ok(AdminHttp.root(server, "POST", "/admin/keys", ""), 201).getString("id");
        String bucket = TestServer.uniqueBucket("keys");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] data = randomBytes(100_000, 43);
        s3.putObject(b -> b.bucket(bucket).key("kms").serverSideEncryption(ServerSideEncryption.AWS_KMS)
                .ssekmsKeyId(id), RequestBody.fromBytes(data));
        s3.putObject(b -> b.bucket(bucket).key("s3").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(data));
        JsonObject listed = ok(AdminHttp.root(server, "GET", "/admin/keys", null), 200);
        assertEquals(1, listed.getJsonArray("masterKeys").size());
        assertEquals(2, listed.getJsonArray("keys").size(), listed.encode()); // the KMS key and cairn-sse-s3

        // a new master key appended: rotation re-wraps both keyring keys under it
        keys = new ServerConfig.Encryption(null, OLD + "," + NEW, true, false);
        server.restart();
        JsonObject rotated = ok(AdminHttp.root(server, "POST", "/admin/keys/rotate", ""), 200);
        assertEquals(2, rotated.getInteger("rewrapped"));
        // and the old master key can go
        keys = new ServerConfig.Encryption(null, NEW, true, false);
        server.restart();
        try (S3Client client = server.client()) {
            assertArrayEquals(data, client.getObjectAsBytes(b -> b.bucket(bucket).key("kms")).asByteArray());
            assertArrayEquals(data, client.getObjectAsBytes(b -> b.bucket(bucket).key("s3")).asByteArray());
        }
        s3 = server.client();
    }

    @Test
    void aServerGivenAnotherMasterKeyRefusesEncryptedObjectsUntilItGetsTheRightOne() throws Exception {
        ServerConfig.Encryption right = keys;
        String bucket = TestServer.uniqueBucket("mismatch");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] data = randomBytes(50_000, 45);
        s3.putObject(b -> b.bucket(bucket).key("sealed").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(data));
        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromBytes(data));

        keys = new ServerConfig.Encryption(null, Base64.getEncoder().encodeToString(randomBytes(32, 99)), true, false);
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                dev.cairn.s3.crypto.KeyRing.class);
        var logged = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        logged.start();
        log.addAppender(logged);
        try {
            server.restart();
        } finally {
            log.detachAppender(logged);
        }
        assertEquals(1, logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR
                && e.getFormattedMessage().startsWith("master key mismatch: the keyring")).count(),
                "one ERROR line at start: " + logged.list);
        try (S3Client other = server.client()) {
            var read = org.junit.jupiter.api.Assertions.assertThrows(
                    software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> other.getObjectAsBytes(b -> b.bucket(bucket).key("sealed")));
            assertEquals(503, read.statusCode());
            assertEquals("ServiceUnavailable", read.awsErrorDetails().errorCode());
            assertTrue(read.awsErrorDetails().errorMessage().contains("master key"), read.getMessage());
            var write = org.junit.jupiter.api.Assertions.assertThrows(
                    software.amazon.awssdk.services.s3.model.S3Exception.class,
                    () -> other.putObject(b -> b.bucket(bucket).key("new").serverSideEncryption(
                            ServerSideEncryption.AES256), RequestBody.fromBytes(data)));
            assertEquals(503, write.statusCode());
            assertArrayEquals(data, other.getObjectAsBytes(b -> b.bucket(bucket).key("plain")).asByteArray(),
                    "unencrypted objects are served as ever");
        }
        JsonObject listed = ok(AdminHttp.root(server, "GET", "/admin/keys", null), 200);
        assertTrue(listed.getString("mismatch").contains(listed.getString("keyringMasterKey")), listed.encode());
        assertEquals("MasterKeyMismatch", new JsonObject(AdminHttp.root(server, "POST", "/admin/keys", "").body())
                .getString("error"), "no key is made under the wrong master key");

        keys = right;
        server.restart();
        try (S3Client back = server.client()) {
            assertArrayEquals(data, back.getObjectAsBytes(b -> b.bucket(bucket).key("sealed")).asByteArray());
        }
        s3 = server.client();
    }

    @Test
    void compressionCanBeTurnedOffPerBucketAndStoredBytesAreReported() throws Exception {
        String bucket = TestServer.uniqueBucket("zstd-admin");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] text = CompressionTest.textLike(4 * 1024 * 1024, 44);
        s3.putObject(b -> b.bucket(bucket).key("on"), RequestBody.fromBytes(text));
        JsonObject on = ok(AdminHttp.root(server, "GET", "/admin/buckets/" + bucket + "/compression", null), 200);
        assertEquals("on", on.getString("compression"));
        assertEquals(text.length, on.getLong("logicalBytes"));
        assertTrue(on.getLong("storedBytes") < text.length / 2, on.encode());

        ok(AdminHttp.root(server, "PUT", "/admin/buckets/" + bucket + "/compression",
                "{\"compression\":\"off\"}"), 200);
        s3.putObject(b -> b.bucket(bucket).key("off"), RequestBody.fromBytes(text));
        JsonObject off = ok(AdminHttp.root(server, "GET", "/admin/buckets/" + bucket + "/compression", null), 200);
        assertEquals("off", off.getString("compression"));
        assertEquals(2L * text.length, off.getLong("logicalBytes"));
        assertEquals(on.getLong("storedBytes") + text.length, off.getLong("storedBytes"), off.encode());
        assertArrayEquals(text, s3.getObjectAsBytes(b -> b.bucket(bucket).key("off")).asByteArray());
        assertEquals(404, AdminHttp.root(server, "GET", "/admin/buckets/no-such-bucket-x/compression", null)
                .statusCode());
    }
}
