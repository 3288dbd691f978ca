package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** /metrics on the admin port after real S3 traffic: requests, bytes and errors counted, gauges and HELP texts. */
public class MetricsTest {
    private static final int MIB = 1024 * 1024;
    private static TestServer server;
    private static S3Client s3;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.adminEndpoint().resolve("/metrics")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** Sum of the samples of {@code name} whose labels include all of {@code labels}. */
    public static double sum(String text, String name, Map<String, String> labels) {
        double total = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String metric = brace >= 0 ? line.substring(0, brace) : line.substring(0, line.indexOf(' '));
            if (!metric.equals(name)) {
                continue;
            }
            String labelText = brace >= 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            boolean all = labels.entrySet().stream()
                    .allMatch(e -> labelText.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                total += Double.parseDouble(line.substring(space + 1));
            }
        }
        return total;
    }

    /** Scrapes until the exposition satisfies {@code ok} (metrics are recorded as responses end), at most 5 s. */
    private static String scrapeUntil(Predicate<String> ok) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String text = scrape();
        while (!ok.test(text) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            text = scrape();
        }
        return text;
    }

    @Test
    void requestsBytesErrorsAndGaugesAreExported() throws Exception {
        s3.createBucket(b -> b.bucket("metrics"));
        byte[] body = new byte[MIB];
        new Random(6).nextBytes(body);
        s3.putObject(b -> b.bucket("metrics").key("one-mib"), RequestBody.fromBytes(body));
        assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket("metrics").key("one-mib")).asByteArray());
        assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket("metrics").key("missing")));

        String text = scrapeUntil(t -> sum(t, "cairn_s3_requests_seconds_count", Map.of("operation", "GetObject",
                "status", "4xx")) >= 1 && sum(t, "cairn_s3_bytes_sent_bytes_total",
                Map.of("operation", "GetObject")) >= MIB);

        assertTrue(sum(text, "cairn_s3_requests_seconds_count", Map.of("operation", "CreateBucket", "status", "2xx")) >= 1,
                text);
        assertTrue(sum(text, "cairn_s3_requests_seconds_count", Map.of("operation", "PutObject", "status", "2xx")) >= 1);
        assertTrue(sum(text, "cairn_s3_requests_seconds_count", Map.of("operation", "GetObject", "status", "2xx")) >= 1);
        assertTrue(sum(text, "cairn_s3_requests_seconds_count", Map.of("operation", "GetObject", "status", "4xx")) >= 1);
        assertTrue(sum(text, "cairn_s3_request_first_byte_seconds_count", Map.of("operation", "GetObject")) >= 2);
        assertTrue(sum(text, "cairn_s3_bytes_received_bytes_total", Map.of("operation", "PutObject")) >= MIB);
        assertTrue(sum(text, "cairn_s3_bytes_sent_bytes_total", Map.of("operation", "GetObject")) >= MIB);
        assertTrue(sum(text, "cairn_s3_errors_total", Map.of("code", "NoSuchKey", "operation", "GetObject")) >= 1);
        assertEquals(0, sum(text, "cairn_s3_errors_total", Map.of("operation", "PutObject")));
        assertTrue(text.contains("cairn_s3_requests_seconds_bucket{"), "request latency histogram");
        assertTrue(text.contains("cairn_s3_request_first_byte_seconds_bucket{"), "first byte histogram");
        assertTrue(sum(text, "cairn_objects", Map.of()) >= 1);
        assertTrue(sum(text, "cairn_stored_bytes", Map.of()) >= MIB);
        assertTrue(sum(text, "cairn_nodes", Map.of("state", "up")) >= 1);
        // local stores report every 10 s: the pieces just written may not show yet
        assertTrue(text.contains("cairn_node_pieces{node=\"local-0\"}"), text);
        assertTrue(text.contains("cairn_node_capacity_bytes{node=\"local-0\"}"));
        assertTrue(text.contains("cairn_node_used_bytes{node=\"local-0\"}"));
        assertEquals(1, sum(text, "cairn_node_state", Map.of("node", "local-0", "state", "up")));
        assertEquals(0, sum(text, "cairn_node_state", Map.of("node", "local-0", "state", "down")));

        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.split(" ", 4);
                assertTrue(parts.length == 4 && !parts[3].isBlank(), "HELP without text: " + line);
            }
        }
        promtoolCheck(text);
    }

    /**
     * {@code promtool check metrics} on the exposition when promtool is installed (Debian package
     * prometheus); without it the check is left out locally and fails when CI is set.
     */
    private static void promtoolCheck(String text) throws Exception {
        Path promtool = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                promtool = p;
                break;
            }
        }
        if (promtool == null) {
            String ci = System.getenv("CI");
            assertTrue(ci == null || ci.isBlank(),
                    "promtool is not on PATH (apt-get install prometheus); CI is set, so this is a failure");
            return;
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool check metrics timed out");
        }
        assertEquals(0, p.exitValue(), "promtool check metrics:\n" + report);
    }
}
