package dev.cairn.tools;

import dev.cairn.chunkstore.node.ChunkstoreNode;
import dev.cairn.chunkstore.node.NodeConfig;
import dev.cairn.s3.CairnServer;
import dev.cairn.s3.ServerConfig;
import dev.cairn.chunkstore.tls.TlsFiles;
import dev.cairn.chunkstore.tls.TrustedCertificates;
import dev.cairn.tools.it.CommandLine;
import dev.cairn.tools.it.TestCa;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server on port 0 with {@code --tls-cert}/{@code --tls-key} from a test CA: the SDK over
 * HTTPS, no plain HTTP, a rotated certificate served to new connections without a restart, and
 * TLS 1.1 refused.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TlsServerTest {
    private static final String AK = "tls-test-access";
    private static final String SK = "tls-test-secret-0123456789abcdef";
    private static final Duration RELOAD = Duration.ofMillis(200);
    private static final String CLUSTER_SECRET = "tls-test-cluster-secret-0123456789";

    @TempDir
    Path dir;
    private TestCa ca;
    private Path cert;
    private Path key;
    private CairnServer server;

    @BeforeEach
    void startServer() {
        ca = TestCa.create(dir.resolve("ca"));
        cert = dir.resolve("tls.crt");
        key = dir.resolve("tls.key");
        TestCa.install(ca.issue("first", "cairn-first"), cert, key);
    }

    private CairnServer server() throws IOException {
        if (server == null) {
            server = CairnServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                    .withPorts("127.0.0.1", 0, 0).withCredentials(AK, SK).withChunkSize(ServerConfig.MIN_CHUNK_SIZE)
                    .withTls(new TlsFiles(cert, key, RELOAD))
                    .withCluster(CLUSTER_SECRET, Duration.ofSeconds(1), Duration.ofSeconds(3)));
        }
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sdkPutsAndGetsSingleAndMultipartObjectsOverHttps() throws Exception {
        CairnServer s = server();
        assertEquals("https", s.scheme());
        TrustManagerFactory trust = TrustedCertificates.trustManagers(ca.caCert());
        try (S3Client s3 = S3Client.builder()
                .endpointOverride(URI.create("https://localhost:" + s.s3Port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AK, SK)))
                .forcePathStyle(true)
                .httpClientBuilder(ApacheHttpClient.builder().tlsTrustManagersProvider(trust::getTrustManagers))
                .build()) {
            s3.createBucket(b -> b.bucket("tls"));
            byte[] small = bytes(300 * 1024, 1);
            s3.putObject(b -> b.bucket("tls").key("single"), RequestBody.fromBytes(small));
            assertArrayEquals(small, s3.getObjectAsBytes(b -> b.bucket("tls").key("single")).asByteArray());

            byte[] big = bytes(11 * 1024 * 1024 + 17, 2);
            String id = s3.createMultipartUpload(b -> b.bucket("tls").key("multi")).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            int partSize = 5 * 1024 * 1024;
            for (int n = 1, off = 0; off < big.length; n++, off += partSize) {
                byte[] part = java.util.Arrays.copyOfRange(big, off, Math.min(big.length, off + partSize));
                int number = n;
                String etag = s3.uploadPart(b -> b.bucket("tls").key("multi").uploadId(id).partNumber(number),
                        RequestBody.fromBytes(part)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket("tls").key("multi").uploadId(id)
                    .multipartUpload(m -> m.parts(parts)));
            assertEquals(3, parts.size());
            assertArrayEquals(big, s3.getObjectAsBytes(b -> b.bucket("tls").key("multi")).asByteArray());
        }
        HttpClient https = HttpClient.newBuilder().sslContext(TrustedCertificates.sslContext(ca.caCert())).build();
        String metrics = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + s.adminPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("\ncairn_get_sent_from_files_bytes_total 0.0"),
                "over TLS the JVM encrypts every byte: none is sent straight from a piece file");
    }

    @Test
    void healthAndTheServerHeaderAnswerOverHttpsAndPlainHttpIsNotServed() throws Exception {
        CairnServer s = server();
        HttpClient https = HttpClient.newBuilder().sslContext(TrustedCertificates.sslContext(ca.caCert()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> ready = https.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + s.adminPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.headers().firstValue("Server").orElse("").startsWith("Cairn"), ready.headers().toString());
        HttpResponse<String> s3Root = https.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + s.s3Port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, s3Root.statusCode(), "an unsigned S3 request reaches S3 over TLS: " + s3Root.body());
        assertTrue(s3Root.headers().firstValue("Server").orElse("").startsWith("Cairn"));

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int port : new int[]{s.s3Port(), s.adminPort()}) {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                    .timeout(Duration.ofSeconds(10)).build();
            assertThrows(IOException.class, () -> plain.send(req, HttpResponse.BodyHandlers.ofString()),
                    "plain HTTP on port " + port + " must get no answer");
        }
    }

    @Test
    void aRotatedCertificateIsServedToNewConnectionsAndABadPairKeepsTheOldOne() throws Exception {
        CairnServer s = server();
        SSLContext trust = TrustedCertificates.sslContext(ca.caCert());
        BigInteger first = peer(trust, s.s3Port()).getSerialNumber();
        assertEquals(s.servedCertificate().getSerialNumber(), first);

        TestCa.Issued second = ca.issue("second", "cairn-second");
        assertNotEquals(first, second.serial());
        try (SSLSocket open = handshake(trust, s.s3Port())) {
            TestCa.install(second, cert, key);
            for (int port : new int[]{s.s3Port(), s.adminPort()}) {
                awaitServed(trust, port, second.serial());
                assertEquals("CN=cairn-second", peer(trust, port).getSubjectX500Principal().getName());
            }
            // the connection opened before the rotation keeps its certificate
            assertEquals(first, ((X509Certificate) open.getSession().getPeerCertificates()[0]).getSerialNumber());
        }

        // a certificate with the key of another: kept out, the valid pair stays
        TestCa.Issued third = ca.issue("third", "cairn-third");
        TestCa.install(new TestCa.Issued(third.cert(), second.key(), third.serial()), cert, key);
        long until = System.nanoTime() + 10 * RELOAD.toNanos();
        while (System.nanoTime() < until) {
            assertEquals(second.serial(), peer(trust, s.s3Port()).getSerialNumber());
            Thread.sleep(RELOAD.toMillis() / 2);
        }
        // and once the files form a valid pair again, it is served
        TestCa.install(third, cert, key);
        awaitServed(trust, s.s3Port(), third.serial());
    }

    @Test
    void onlyTls12AndTls13AreAccepted() throws Exception {
        CairnServer s = server();
        for (int port : new int[]{s.s3Port(), s.adminPort()}) {
            assertEquals("TLSv1.3", sClient(port, "-tls1_3"));
            assertEquals("TLSv1.2", sClient(port, "-tls1_2"));
            assertEquals(null, sClient(port, "-tls1_1"), "TLS 1.1 must be refused on port " + port);
            assertEquals(null, sClient(port, "-tls1"), "TLS 1.0 must be refused on port " + port);
        }
    }

    /** The protocol {@code openssl s_client} agreed on, or null when the handshake failed. */
    private String sClient(int port, String version) {
        CommandLine.Result r = CommandLine.of("sh", "-c", "openssl s_client -connect 127.0.0.1:" + port + " "
                        + version + " -cipher DEFAULT@SECLEVEL=0 -CAfile " + ca.caCert() + " </dev/null")
                .timeout(Duration.ofSeconds(30)).logTo(dir, "s_client" + version).run();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("New, (TLSv[0-9.]+), Cipher is")
                .matcher(r.stdout());
        boolean verified = r.stdout().contains("Verify return code: 0 (ok)");
        if (r.exitCode() == 0 && m.find() && verified) {
            return m.group(1);
        }
        return null;
    }

    @Test
    void aChunkstoreJoinsTheHttpsAdminPortTrustingTheCaAndNotWithout() throws Exception {
        CairnServer s = server();
        String join = "https://localhost:" + s.adminPort();
        try (ChunkstoreNode untrusting = node("untrusting", join, null);
             ChunkstoreNode trusting = node("trusting", join, ca.caCert())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (s.clusterMap().node("trusting") == null) {
                assertTrue(System.nanoTime() < deadline, "the node trusting the CA did not join within 60 s");
                Thread.sleep(100);
            }
            // three more heartbeat periods: the other node's heartbeats fail their handshake
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < until) {
                assertEquals(null, s.clusterMap().node("untrusting"), "a node that does not trust the CA joined");
                Thread.sleep(200);
            }
        }
    }

    private ChunkstoreNode node(String id, String join, Path caCert) throws IOException {
        return ChunkstoreNode.start(NodeConfig.of(dir.resolve(id), CLUSTER_SECRET).withListen("127.0.0.1", 0)
                .withJoin(join, "127.0.0.1", Duration.ofSeconds(1)).withIdentity(id, null).withJoinCaCert(caCert));
    }

    @Test
    void cairnAdminNeedsHttpsAndTheCaAndSaysSo() throws Exception {
        CairnServer s = server();
        String[] keys = {"--access-key", AK, "--secret-key", SK};
        CliRun plain = CliRun.of(concat(new String[]{"admin", "summary", "--endpoint", "http://127.0.0.1:" + s.adminPort()},
                keys));
        assertEquals(Cairn.UNREACHABLE, plain.exitCode(), plain.describe());
        assertTrue(plain.err().contains("a server started with --tls-cert needs https://"), plain.describe());
        String https = "https://localhost:" + s.adminPort();
        CliRun untrusted = CliRun.of(concat(new String[]{"admin", "summary", "--endpoint", https}, keys));
        assertEquals(Cairn.UNREACHABLE, untrusted.exitCode(), untrusted.describe());
        assertTrue(untrusted.err().contains("needs --ca-cert FILE or CAIRN_CA_CERT"), untrusted.describe());
        CliRun ok = CliRun.of(java.util.Map.of("CAIRN_CA_CERT", ca.caCert().toString()),
                concat(new String[]{"admin", "summary", "--endpoint", https}, keys));
        assertEquals(Cairn.OK, ok.exitCode(), ok.describe());
        CliRun badCa = CliRun.of(concat(new String[]{"admin", "summary", "--endpoint", https, "--ca-cert",
                key.toString()}, keys));
        assertEquals(Cairn.USAGE, badCa.exitCode(), badCa.describe());
        assertTrue(badCa.err().contains("the CA certificate file " + key), badCa.describe());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void oneTlsFlagWithoutTheOtherIsAUsageErrorNamingTheFlag() {
        CliRun r = CliRun.of("server", "--data-dir", dir.resolve("d1").toString(), "--tls-cert", cert.toString());
        assertEquals(Cairn.USAGE, r.exitCode(), r.describe());
        assertTrue(r.err().contains("--tls-cert needs --tls-key"), r.describe());
        r = CliRun.of(java.util.Map.of("CAIRN_TLS_KEY", key.toString()), "server", "--data-dir",
                dir.resolve("d1").toString());
        assertEquals(Cairn.USAGE, r.exitCode(), r.describe());
        assertTrue(r.err().contains("--tls-key needs --tls-cert"), r.describe());
    }

    @Test
    void anUnreadableOrInvalidPairStopsTheStartWithTheFileAndTheCause() throws Exception {
        Path missing = dir.resolve("missing.crt");
        Path notPem = java.nio.file.Files.writeString(dir.resolve("not.pem"), "hello\n");
        Path otherKey = ca.issue("other", "cairn-other").key();
        Object[][] cases = {
                {missing, key, missing + ": no such file"},
                {notPem, key, "certificate file " + notPem + " holds no PEM certificate"},
                {cert, notPem, "key file " + notPem + " holds no unencrypted PEM private key"},
                {cert, otherKey, "key file " + otherKey + " does not belong to the certificate in " + cert},
        };
        for (Object[] c : cases) {
            Path data = dir.resolve("never");
            CliRun r = CliRun.of("server", "--data-dir", data.toString(), "--s3-port", "0", "--admin-port", "0",
                    "--tls-cert", c[0].toString(), "--tls-key", c[1].toString());
            assertEquals(Cairn.USAGE, r.exitCode(), r.describe());
            assertTrue(r.err().contains((String) c[2]), "expected '" + c[2] + "' in " + r.describe());
            assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.describe());
            assertTrue(!java.nio.file.Files.exists(data), "nothing is opened before the pair is checked");
        }
    }

    @Test
    void rsaAndEcKeysAreServedInPkcs8AndInTheirTraditionalFormats() throws Exception {
        TestCa.Issued rsa = ca.issueRsa("rsa", "cairn-rsa", 2048);
        TestCa.Issued ec = ca.issue("ec", "cairn-ec");
        Path pkcs1 = ca.traditionalKey(rsa, "rsa");
        Path sec1 = ca.traditionalKey(ec, "ec");
        assertTrue(java.nio.file.Files.readString(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(java.nio.file.Files.readString(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        for (TestCa.Issued pair : List.of(rsa, new TestCa.Issued(rsa.cert(), pkcs1, rsa.serial()), ec,
                new TestCa.Issued(ec.cert(), sec1, ec.serial()))) {
            assertEquals(pair.serial(), dev.cairn.chunkstore.tls.TlsMaterial.load(TlsFiles.of(pair.cert(), pair.key()))
                    .certificate().getSerialNumber(), pair.key().toString());
        }
        // and served: a server started on the PKCS#1 RSA pair hands it out
        TestCa.install(new TestCa.Issued(rsa.cert(), pkcs1, rsa.serial()), cert, key);
        assertEquals(rsa.serial(), peer(TrustedCertificates.sslContext(ca.caCert()), server().s3Port()).getSerialNumber());
    }

    private void awaitServed(SSLContext trust, int port, BigInteger serial) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        BigInteger seen = null;
        while (System.nanoTime() < deadline) {
            seen = peer(trust, port).getSerialNumber();
            if (seen.equals(serial)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("port " + port + " still serves serial " + seen + ", not " + serial);
    }

    /** The server certificate a fresh TLS connection to {@code port} gets. */
    private static X509Certificate peer(SSLContext trust, int port) throws IOException {
        try (SSLSocket socket = handshake(trust, port)) {
            X509Certificate c = (X509Certificate) socket.getSession().getPeerCertificates()[0];
            assertNotNull(c);
            return c;
        }
    }

    private static SSLSocket handshake(SSLContext trust, int port) throws IOException {
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("localhost", port);
        javax.net.ssl.SSLParameters p = socket.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(p);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
