package dev.cairn.tools.it;

import dev.cairn.chunkstore.tls.TrustedCertificates;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, {@code --cluster-tls}: a server that requires TLS to its chunkstores, trusting a test
 * CA ({@code --cluster-ca}), and three {@code cairn chunkstore} processes serving their piece ports
 * over HTTPS with a certificate of that CA. An object is stored on and read back from them; the
 * piece ports do not speak plain HTTP; a node serving plain HTTP, and a node whose certificate
 * another CA signed, are refused at their heartbeats - logged on both sides, never UP; a renewed
 * certificate written over the files is served to new connections without a restart.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTlsIT {
    private static final String NAME = "ClusterTlsIT";
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    private static TestCa ca;
    private static Path nodeCert;
    private static Path nodeKey;
    private static ClusterFixture cluster;

    @BeforeAll
    static void startCluster() {
        if (ExternalTool.find("openssl").isEmpty()) {
            return; // every test skips, or fails under CI, in requireOpenssl()
        }
        ca = TestCa.create(dir.resolve("ca"));
        nodeCert = dir.resolve("node-tls.crt");
        nodeKey = dir.resolve("node-tls.key");
        TestCa.install(ca.issue("node", "cairn-node"), nodeCert, nodeKey);
        cluster = ClusterFixture.start(NAME, dir, 3, "auto",
                List.of("--cluster-tls", "--cluster-ca", ca.caCert().toString()), ClusterFixture.NODE_CAPACITY,
                List.of("--tls-cert", nodeCert.toString(), "--tls-key", nodeKey.toString()));
    }

    @BeforeEach
    void requireOpenssl() {
        ExternalTool.require("openssl");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void anObjectIsStoredOnAndReadFromNodesServingTls() throws Exception {
        for (Object o : cluster.adminNodes().getJsonArray("nodes")) {
            JsonObject n = (JsonObject) o;
            assertTrue(n.getString("address").startsWith("https://"), n.encode());
        }
        byte[] data = new byte[5 << 20];
        new Random(17).nextBytes(data);
        try (S3Client s3 = cluster.s3WithoutRetries()) {
            s3.createBucket(b -> b.bucket("tls"));
            s3.putObject(b -> b.bucket("tls").key("five-mib"), RequestBody.fromBytes(data));
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("tls").key("five-mib")).asByteArray());
        }
        assertTrue(cluster.pieceFiles().size() >= 3, "pieces on the nodes: " + cluster.pieceFiles().keySet());

        URI plain = URI.create(cluster.nodes().get(0).address().toString().replace("https://", "http://"))
                .resolve("/health");
        assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain)
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()),
                "the piece port speaks TLS only");
    }

    @Test
    @Order(2)
    void aNodeServingPlainHttpIsRefusedAtItsHeartbeat() {
        NodeProcess plain = NodeProcess.launch("plain", dir.resolve("plain"), Logs.dir(NAME),
                cluster.server().adminUri(), ClusterFixture.CLUSTER_SECRET, List.of("--heartbeat-seconds", "1"));
        try {
            plain.awaitReady();
            assertTrue(plain.address().toString().startsWith("http://"));
            awaitLog(cluster.server().stderrLog(), cluster.server().stdoutLog(), "refused heartbeat of " + plain.id(),
                    "--cluster-tls");
            awaitLog(plain.stderrLog(), null, "refuses heartbeats", "--cluster-tls");
            assertNotListed(plain.id());
        } finally {
            plain.stop();
        }
    }

    @Test
    @Order(3)
    void aNodeWhoseCertificateTheServerDoesNotTrustIsRefusedAtItsHeartbeat() {
        TestCa other = TestCa.create(dir.resolve("other-ca"));
        TestCa.Issued issued = other.issue("stranger", "cairn-stranger");
        NodeProcess stranger = NodeProcess.launch("stranger", dir.resolve("stranger"), Logs.dir(NAME),
                cluster.server().adminUri(), ClusterFixture.CLUSTER_SECRET, List.of("--heartbeat-seconds", "1",
                        "--tls-cert", issued.cert().toString(), "--tls-key", issued.key().toString()));
        try {
            stranger.awaitReady();
            assertTrue(stranger.address().toString().startsWith("https://"));
            awaitLog(cluster.server().stderrLog(), cluster.server().stdoutLog(), "refused heartbeat of "
                    + stranger.id(), "TLS connection to node " + stranger.id());
            awaitLog(stranger.stderrLog(), null, "refuses heartbeats", "TLS connection");
            assertNotListed(stranger.id());
        } finally {
            stranger.stop();
        }
        JsonObject summary = cluster.adminSummary();
        assertEquals(3, summary.getJsonObject("nodes").getInteger("UP"), summary.encode());
    }

    @Test
    @Order(4)
    void aRenewedNodeCertificateIsServedWithoutARestart() throws Exception {
        BigInteger before = servedSerial(cluster.nodes().get(0).address());
        TestCa.Issued renewed = ca.issue("node-renewed", "cairn-node");
        TestCa.install(renewed, nodeCert, nodeKey);
        for (NodeProcess n : cluster.nodes()) {
            ClusterFixture.await(n.name() + " serves the renewed certificate", () -> servedSerial(n.address()),
                    renewed.serial()::equals, LIMIT);
        }
        assertFalse(before.equals(renewed.serial()));
        byte[] data = "written after the renewal".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (S3Client s3 = cluster.s3WithoutRetries()) {
            s3.putObject(b -> b.bucket("tls").key("after"), RequestBody.fromBytes(data));
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("tls").key("after")).asByteArray());
            assertEquals(5 << 20, s3.getObjectAsBytes(b -> b.bucket("tls").key("five-mib")).asByteArray().length);
        }
    }

    /** The serial of the certificate a new TLS connection to {@code address} gets, trusting the test CA. */
    private static BigInteger servedSerial(URI address) {
        try (SSLSocket s = (SSLSocket) TrustedCertificates.sslContext(ca.caCert()).getSocketFactory()
                .createSocket(address.getHost(), address.getPort())) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (IOException e) {
            throw new AssertionError("TLS to " + address + ": " + e, e);
        }
    }

    private static void assertNotListed(String nodeId) {
        for (Object o : cluster.adminNodes().getJsonArray("nodes")) {
            JsonObject n = (JsonObject) o;
            assertFalse(n.getString("id").equals(nodeId) && "UP".equals(n.getString("state")), n.encode());
        }
    }

    /** Waits until one line of the logs holds every one of {@code parts}. */
    private static void awaitLog(Path log, Path otherLog, String... parts) {
        ClusterFixture.await("a log line with " + List.of(parts), () -> ServerProcess.read(log)
                        + (otherLog == null ? "" : ServerProcess.read(otherLog)),
                text -> text.lines().anyMatch(line -> List.of(parts).stream().allMatch(line::contains)), LIMIT);
    }
}
