package dev.cairn.tools.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preinstalled boto3 (Python) against the packaged server: {@code boto3/conformance.py}
 * stores non-ASCII user metadata (sent as UTF-8 and signed as sent) and reads back the same
 * bytes, and retries a CompleteMultipartUpload that succeeded, which must answer 200 with the
 * same ETag. Skipped without python3 and boto3, failed when CI is set.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class Boto3IT {
    @TempDir
    static Path classDir;
    private static ServerProcess server;

    @BeforeAll
    static void startServer() {
        Optional<Path> python = ExternalTool.find("python3");
        if (python.isPresent()) { // else the test skips, or fails under CI, in requireBoto3()
            server = ServerProcess.start("Boto3IT", classDir.resolve("data"));
        }
    }

    @BeforeEach
    void requireBoto3() {
        ExternalTool.requirePythonModule("boto3");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void nonAsciiMetadataRoundTripsAndARetriedCompleteAnswersTheSameEtag() throws URISyntaxException {
        Path python = ExternalTool.requirePythonModule("boto3");
        Path script = Path.of(Boto3IT.class.getResource("/boto3/conformance.py").toURI());
        CommandLine.Result r = CommandLine.of(python.toString(), script.toString())
                .unsetEnv(k -> k.startsWith("AWS_"))
                .env("CAIRN_ENDPOINT", server.endpoint())
                .env("AWS_ACCESS_KEY_ID", server.accessKey())
                .env("AWS_SECRET_ACCESS_KEY", server.secretKey())
                .env("AWS_DEFAULT_REGION", server.region())
                .env("AWS_CONFIG_FILE", classDir.resolve("aws-config-absent").toString())
                .env("AWS_SHARED_CREDENTIALS_FILE", classDir.resolve("aws-credentials-absent").toString())
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .timeout(Duration.ofMinutes(3))
                .logTo(Logs.dir("Boto3IT"), "boto3-conformance")
                .run()
                .assertOk();

        List<String> held = r.stdout().lines().filter(l -> l.startsWith("ok ")).map(l -> l.split(" ")[1]).toList();
        assertEquals(List.of("put-with-utf8-metadata", "get-returns-the-utf8-metadata-as-sent",
                "head-returns-the-utf8-metadata-as-sent", "retried-complete-answers-200-with-the-same-etag"), held,
                r::stdout);
        assertTrue(r.stdout().contains("all checks held"), r::stdout);
    }
}
