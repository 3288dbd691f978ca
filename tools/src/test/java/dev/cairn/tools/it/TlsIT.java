package dev.cairn.tools.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.cairn.tools.it.TestFiles.KiB;
import static dev.cairn.tools.it.TestFiles.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged server with {@code CAIRN_TLS_CERT}/{@code CAIRN_TLS_KEY} from a test CA: aws-cli
 * ({@code --ca-bundle}), rclone ({@code --ca-cert}) and {@code cairn admin --ca-cert} over HTTPS,
 * and aws-cli's SSE-C and SSE-S3 over it (SSE-C needs no insecure switch over TLS).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TlsIT {
    @TempDir
    static Path classDir;
    private static TestCa ca;
    private static ServerProcess server;

    @BeforeAll
    static void startServer() {
        if (ExternalTool.find("openssl").isEmpty()) {
            return; // every test skips, or fails under CI, in requireOpenssl()
        }
        ca = TestCa.create(classDir.resolve("ca"));
        TestCa.Issued issued = ca.issue("server", "cairn-tls-it");
        server = ServerProcess.start("TlsIT", classDir.resolve("data"), List.of(),
                Map.of("CAIRN_TLS_CERT", issued.cert().toString(), "CAIRN_TLS_KEY", issued.key().toString(),
                        "CAIRN_MASTER_KEY", java.util.Base64.getEncoder().encodeToString(new byte[]{
                                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})),
                List.of(), ca.caCert());
    }

    @BeforeEach
    void requireOpenssl() {
        ExternalTool.require("openssl");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theBannerNamesHttpsEndpoints() {
        String banner = ServerProcess.read(server.stdoutLog());
        assertTrue(banner.contains("S3 endpoint:  https://127.0.0.1:"), banner);
        assertTrue(banner.contains("admin:        https://127.0.0.1:"), banner);
        assertTrue(banner.contains("TLS:          CN=cairn-tls-it"), banner);
        assertEquals("https", server.s3Uri().getScheme());
    }

    @Test
    void awsCliPutsListsGetsAndDeletesWithItsCaBundle(@TempDir Path dir) throws IOException {
        AwsCli aws = new AwsCli(server, ExternalTool.require("aws"), classDir, Logs.dir("TlsIT"), ca.caCert());
        Path small = TestFiles.random(dir.resolve("up/small.bin"), 3 * KiB, 1);
        Path big = TestFiles.random(dir.resolve("up/big.bin"), 20 * MiB, 2); // multipart: 8 MiB parts
        aws.ok("s3", "mb", "s3://aws-tls");
        aws.ok("s3", "cp", "--no-progress", small.toString(), "s3://aws-tls/small.bin");
        aws.ok("s3", "cp", "--no-progress", big.toString(), "s3://aws-tls/big.bin");
        assertEquals(Map.of("small.bin", 3 * KiB, "big.bin", 20 * MiB),
                Map.copyOf(aws.list("aws-tls").entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> e.getValue().contentLength()))));
        aws.ok("s3", "cp", "--no-progress", "s3://aws-tls/big.bin", dir.resolve("down/big.bin").toString());
        assertEquals(-1L, Files.mismatch(big, dir.resolve("down/big.bin")));
        aws.ok("s3", "rm", "s3://aws-tls/big.bin");
        aws.ok("s3", "rm", "s3://aws-tls/small.bin");
        assertTrue(aws.list("aws-tls").isEmpty());

        // without the CA the certificate is refused: the bundle is what made it work
        AwsCli untrusting = new AwsCli(server, ExternalTool.require("aws"), classDir, Logs.dir("TlsIT"));
        CommandLine.Result refused = untrusting.run("s3", "ls", "s3://aws-tls");
        assertTrue(refused.exitCode() != 0 && refused.stderr().contains("CERTIFICATE_VERIFY_FAILED"),
                refused.describe("aws without --ca-bundle"));
    }

    @Test
    void awsCliUsesSseCAndSseS3OverTls(@TempDir Path dir) throws IOException {
        AwsCli aws = new AwsCli(server, ExternalTool.require("aws"), classDir, Logs.dir("TlsIT"), ca.caCert());
        Path key = dir.resolve("sse-c.key");
        byte[] raw = new byte[32];
        new java.util.Random(7).nextBytes(raw);
        Files.createDirectories(dir);
        Files.write(key, raw);
        String keyArg = "fileb://" + key;
        Path small = TestFiles.random(dir.resolve("up/small.bin"), 300 * KiB, 3);
        Path big = TestFiles.random(dir.resolve("up/big.bin"), 20 * MiB, 4); // multipart: 8 MiB parts
        aws.ok("s3", "mb", "s3://aws-sse");
        aws.ok("s3", "cp", "--no-progress", "--sse-c", "AES256", "--sse-c-key", keyArg, small.toString(),
                "s3://aws-sse/small.bin");
        aws.ok("s3", "cp", "--no-progress", "--sse-c", "AES256", "--sse-c-key", keyArg, big.toString(),
                "s3://aws-sse/big.bin");
        CommandLine.Result withoutKey = aws.run("s3", "cp", "--no-progress", "s3://aws-sse/big.bin",
                dir.resolve("down/nokey.bin").toString());
        assertTrue(withoutKey.exitCode() != 0 && withoutKey.stderr().contains("400"),
                withoutKey.describe("download of an SSE-C object without its key"));
        assertFalse(Files.exists(dir.resolve("down/nokey.bin")));
        for (String name : List.of("small.bin", "big.bin")) {
            aws.ok("s3", "cp", "--no-progress", "--sse-c", "AES256", "--sse-c-key", keyArg, "s3://aws-sse/" + name,
                    dir.resolve("down/" + name).toString());
            assertEquals(-1L, Files.mismatch(dir.resolve("up/" + name), dir.resolve("down/" + name)), name);
        }
        // copy the SSE-C object to an SSE-S3 one, then read it without any key
        aws.ok("s3", "cp", "--no-progress", "--sse-c-copy-source", "AES256", "--sse-c-copy-source-key", keyArg,
                "--sse", "AES256", "s3://aws-sse/big.bin", "s3://aws-sse/big-s3.bin");
        String head = aws.ok("s3api", "head-object", "--bucket", "aws-sse", "--key", "big-s3.bin").stdout();
        assertTrue(head.contains("\"ServerSideEncryption\": \"AES256\""), head);
        aws.ok("s3", "cp", "--no-progress", "s3://aws-sse/big-s3.bin", dir.resolve("down/big-s3.bin").toString());
        assertEquals(-1L, Files.mismatch(big, dir.resolve("down/big-s3.bin")));
    }

    @Test
    void rclonePutsListsGetsAndDeletesWithItsCaCert(@TempDir Path dir) throws IOException {
        Path rclone = ExternalTool.require("rclone");
        Path src = dir.resolve("src");
        TestFiles.random(src.resolve("a.bin"), 10 * KiB, 3);
        TestFiles.random(src.resolve("sub/b.bin"), 7 * MiB, 4); // multipart above rclone's 5 MiB cutoff
        rclone(rclone, dir, "mkdir", "T:rclone-tls").assertOk();
        rclone(rclone, dir, "copy", src.toString(), "T:rclone-tls").assertOk();
        String listed = rclone(rclone, dir, "ls", "T:rclone-tls").assertOk().stdout();
        assertTrue(listed.contains("10240 a.bin") && listed.contains((7 * MiB) + " sub/b.bin"), listed);
        rclone(rclone, dir, "copy", "T:rclone-tls", dir.resolve("dst").toString()).assertOk();
        assertEquals(-1L, Files.mismatch(src.resolve("sub/b.bin"), dir.resolve("dst/sub/b.bin")));
        assertEquals(-1L, Files.mismatch(src.resolve("a.bin"), dir.resolve("dst/a.bin")));
        rclone(rclone, dir, "delete", "T:rclone-tls").assertOk();
        assertEquals("", rclone(rclone, dir, "ls", "T:rclone-tls").assertOk().stdout().strip());
        rclone(rclone, dir, "rmdir", "T:rclone-tls").assertOk();
    }

    @Test
    void cairnAdminTalksHttpsWithCaCertAndSaysWhatIsMissingWithout() {
        Map<String, String> keys = Map.of("CAIRN_ROOT_ACCESS_KEY", server.accessKey(),
                "CAIRN_ROOT_SECRET_KEY", server.secretKey());
        String endpoint = server.adminUri().toString();
        CommandLine.Result nodes = ClusterFixture.cairn("TlsIT", keys, List.of("admin", "nodes", "--endpoint", endpoint,
                "--ca-cert", ca.caCert().toString()));
        nodes.assertOk();
        assertTrue(nodes.stdout().contains("local-0"), nodes.describe("cairn admin nodes over https"));

        Map<String, String> viaEnv = new java.util.HashMap<>(keys);
        viaEnv.put("CAIRN_CA_CERT", ca.caCert().toString());
        viaEnv.put("CAIRN_ENDPOINT", endpoint);
        ClusterFixture.cairn("TlsIT", viaEnv, List.of("admin", "summary")).assertOk();

        CommandLine.Result untrusted = ClusterFixture.cairn("TlsIT", keys, List.of("admin", "nodes", "--endpoint",
                endpoint));
        assertEquals(3, untrusted.exitCode(), untrusted.describe("no --ca-cert"));
        assertTrue(untrusted.stderr().contains("--ca-cert"), untrusted.describe("no --ca-cert"));
        assertFalse(untrusted.stderr().contains("\tat "), untrusted.describe("no stack trace"));
    }

    private static CommandLine.Result rclone(Path rclone, Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(rclone.toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--ca-cert", ca.caCert().toString(), "--retries", "1", "--low-level-retries", "1"));
        try {
            Path conf = dir.resolve("rclone.conf");
            if (!Files.exists(conf)) {
                Files.createFile(conf);
            }
            return CommandLine.of(cmd)
                    .unsetEnv(k -> k.startsWith("AWS_") || k.startsWith("RCLONE_"))
                    .env("RCLONE_CONFIG", conf.toString())
                    .env("RCLONE_CONFIG_T_TYPE", "s3")
                    .env("RCLONE_CONFIG_T_PROVIDER", "Other")
                    .env("RCLONE_CONFIG_T_ACCESS_KEY_ID", server.accessKey())
                    .env("RCLONE_CONFIG_T_SECRET_ACCESS_KEY", server.secretKey())
                    .env("RCLONE_CONFIG_T_ENDPOINT", server.endpoint())
                    .env("RCLONE_CONFIG_T_REGION", server.region())
                    .timeout(Duration.ofMinutes(3))
                    .logTo(Logs.dir("TlsIT"), "rclone-" + args[0])
                    .run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
