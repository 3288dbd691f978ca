package dev.cairn.tools.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance for the Grafana dashboard ({@code helm/cairn/dashboards/cairn.json}): a real
 * {@code prometheus} on loopback scrapes a running server and its three chunkstores, S3 traffic
 * (with an error and a lost piece, so error and failure counters exist) runs through them, and
 * then every {@code expr} of the dashboard, with Grafana's {@code $__rate_interval} replaced by a
 * concrete range, must return data through Prometheus's HTTP API. A query over a metric the code
 * does not export, or invalid PromQL, fails the test. Without prometheus on PATH the test is
 * skipped, under CI it fails.
 */
class PrometheusDashboardIT {
    private static final String BUCKET = "dashboard";
    private static final int OBJECTS = 10;
    /** Ranges of rate() in the dashboard: long enough for several 1 s scrapes. */
    private static final String RATE_RANGE = "30s";

    @TempDir
    Path dir;
    ClusterFixture cluster;
    PrometheusServer prometheus;

    @BeforeEach
    void start() {
        Path binary = ExternalTool.require("prometheus");
        cluster = ClusterFixture.start("PrometheusDashboardIT", dir.resolve("cluster"), 3, "rs2+1");
        Map<String, List<String>> jobs = new LinkedHashMap<>();
        jobs.put("cairn-server", List.of(hostPort(cluster.server().adminUri())));
        jobs.put("cairn-chunkstore", cluster.nodes().stream().map(n -> hostPort(n.address())).toList());
        try {
            Files.createDirectories(dir.resolve("prometheus"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        prometheus = PrometheusServer.start(binary, dir.resolve("prometheus"), Logs.dir("PrometheusDashboardIT"),
                jobs);
    }

    @AfterEach
    void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String hostPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    /** The dashboard's file, found from the tools module or the repository root. */
    static Path dashboardFile() {
        String configured = System.getProperty("cairn.dashboard");
        Path file = configured != null ? Path.of(configured) : Path.of("../helm/cairn/dashboards/cairn.json");
        assertTrue(Files.isRegularFile(file), "dashboard not found at " + file.toAbsolutePath());
        return file;
    }

    /** Every target expression of every panel, rows' nested panels included, with its panel title. */
    static Map<String, String> expressions(JsonObject dashboard) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(dashboard.getJsonArray("panels", new JsonArray()), out);
        return out;
    }

    private static void collect(JsonArray panels, Map<String, String> out) {
        for (int i = 0; i < panels.size(); i++) {
            JsonObject panel = panels.getJsonObject(i);
            JsonArray targets = panel.getJsonArray("targets", new JsonArray());
            for (int t = 0; t < targets.size(); t++) {
                String expr = targets.getJsonObject(t).getString("expr");
                if (expr != null) {
                    out.put(expr, panel.getString("title"));
                }
            }
            collect(panel.getJsonArray("panels", new JsonArray()), out);
        }
    }

    @Test
    void everyDashboardQueryReturnsDataFromARealPrometheusScrapingCairn() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(dashboardFile()));
        Map<String, String> exprs = expressions(dashboard);
        assertTrue(exprs.size() >= 20, "dashboard has only " + exprs.size() + " queries");
        ClusterFixture.await("all four targets scraped and up", () -> prometheus.query("sum(up)"),
                r -> !r.isEmpty() && value(r.getJsonObject(0)) == 4, Duration.ofSeconds(60));

        runTraffic();

        ClusterFixture.await("Prometheus has the traffic", () -> prometheus.query(
                        "cairn_bucket_objects{bucket=\"" + BUCKET + "\"} and on() cairn_piece_failures_total"),
                r -> !r.isEmpty() && value(r.getJsonObject(0)) == OBJECTS, Duration.ofSeconds(60));
        ServerProcess.sleep(3000); // a few more scrapes, so every rate() has two samples after the traffic

        List<String> empty = new ArrayList<>();
        for (Map.Entry<String, String> e : exprs.entrySet()) {
            String promql = e.getKey().replace("$__rate_interval", RATE_RANGE);
            assertFalse(promql.contains("$"), "unreplaced Grafana variable in " + promql);
            if (prometheus.query(promql).isEmpty()) {
                empty.add(e.getValue() + ": " + promql);
            }
        }
        assertEquals(List.of(), empty, "dashboard queries without data");
    }

    private static double value(JsonObject sample) {
        return Double.parseDouble(sample.getJsonArray("value").getString(1));
    }

    /**
     * Puts objects (Reed-Solomon 2+1 over three nodes), deletes every piece file of one node,
     * then reads everything back (reads rebuild the lost pieces: failures and reconstructions),
     * and asks for a key that does not exist (an S3 error).
     */
    private void runTraffic() throws IOException {
        byte[] body = new byte[256 * 1024];
        new Random(7).nextBytes(body);
        try (S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            for (int i = 0; i < OBJECTS; i++) {
                int n = i;
                s3.putObject(b -> b.bucket(BUCKET).key("object-" + n), RequestBody.fromBytes(body));
            }
            for (Path piece : cluster.nodes().get(0).pieceFiles()) {
                Files.delete(piece);
            }
            for (int i = 0; i < OBJECTS; i++) {
                int n = i;
                assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("object-" + n)).asByteArray());
            }
            assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("absent")));
        }
    }
}
