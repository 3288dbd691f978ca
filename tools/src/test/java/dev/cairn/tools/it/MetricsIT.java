package dev.cairn.tools.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import static dev.cairn.tools.it.ClusterFixture.metricValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance for the operator metrics: the packaged server and a real {@code cairn chunkstore}
 * process, S3 traffic through the AWS SDK, then both {@code /metrics} expositions scraped the way
 * Prometheus does. The counters must have moved by what the traffic did (requests, bytes in and
 * out, errors by code, objects and bytes of the bucket, piece writes and reads on the node), and
 * {@code promtool check metrics} must find both expositions clean (promtool missing: skipped
 * locally, a failure under CI).
 */
class MetricsIT {
    private static final String BUCKET = "metrics-it";
    private static final int OBJECTS = 3;
    private static final int SIZE = 1024 * 1024 + 17;

    @TempDir
    static Path dir;
    static ClusterFixture cluster;
    Path promtool;

    @BeforeAll
    static void startCluster() {
        cluster = ClusterFixture.start("MetricsIT", dir, 1, "auto");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void requirePromtool() {
        promtool = ExternalTool.require("promtool");
    }

    /** A chunkstore's scrape: {@code GET /metrics}, unsigned, as Prometheus sends it. */
    static String nodeMetrics(NodeProcess node) {
        HttpResponse<String> r = cluster.nodeRequest(node, "GET", "/metrics", null, null);
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void serverAndChunkstoreMetricsCountRealTrafficAndPassPromtool() {
        NodeProcess node = cluster.nodes().get(0);
        String serverBefore = cluster.serverMetrics();
        String nodeBefore = nodeMetrics(node);
        byte[] body = new byte[SIZE];
        new Random(66).nextBytes(body);
        try (S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            for (int i = 0; i < OBJECTS; i++) {
                int n = i;
                s3.putObject(b -> b.bucket(BUCKET).key("object-" + n), RequestBody.fromBytes(body));
            }
            for (int i = 0; i < OBJECTS; i++) {
                int n = i;
                assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("object-" + n)).asByteArray());
            }
            assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("absent")));
        }
        long total = (long) OBJECTS * SIZE;
        // per-bucket gauges are re-read every few seconds; request meters as each response ends
        String server = ClusterFixture.await("bucket gauges and request meters updated", cluster::serverMetrics,
                t -> metricValue(t, "cairn_bucket_objects", "bucket=\"" + BUCKET + "\"") == OBJECTS
                        && moved(serverBefore, t, "cairn_s3_errors_total", "code=\"NoSuchKey\"") >= 1,
                Duration.ofSeconds(30));

        assertEquals(total, metricValue(server, "cairn_bucket_bytes", "bucket=\"" + BUCKET + "\""));
        assertEquals(OBJECTS, moved(serverBefore, server, "cairn_s3_requests_seconds_count",
                "operation=\"PutObject\"", "status=\"2xx\""));
        assertEquals(OBJECTS, moved(serverBefore, server, "cairn_s3_requests_seconds_count",
                "operation=\"GetObject\"", "status=\"2xx\""));
        assertEquals(1, moved(serverBefore, server, "cairn_s3_requests_seconds_count",
                "operation=\"GetObject\"", "status=\"4xx\""));
        assertTrue(moved(serverBefore, server, "cairn_s3_request_first_byte_seconds_count",
                "operation=\"GetObject\"") >= OBJECTS + 1);
        assertTrue(moved(serverBefore, server, "cairn_s3_bytes_received_bytes_total",
                "operation=\"PutObject\"") >= total);
        assertTrue(moved(serverBefore, server, "cairn_s3_bytes_sent_bytes_total",
                "operation=\"GetObject\"") >= total);
        assertTrue(metricValue(server, "cairn_objects") >= OBJECTS);
        assertTrue(metricValue(server, "cairn_stored_bytes") >= total);
        assertEquals(1, metricValue(server, "cairn_nodes", "state=\"up\""));
        assertEquals(1, metricValue(server, "cairn_node_state", "node=\"" + node.id() + "\"", "state=\"up\""));
        assertTrue(metricValue(server, "cairn_rocksdb_estimated_keys", "cf=\"objects\"") >= OBJECTS, server);

        String nodeAfter = nodeMetrics(node);
        assertEquals(OBJECTS, moved(nodeBefore, nodeAfter, "cairn_node_piece_writes_total"));
        assertTrue(moved(nodeBefore, nodeAfter, "cairn_node_written_bytes_total") >= total);
        assertTrue(moved(nodeBefore, nodeAfter, "cairn_node_piece_reads_total") >= OBJECTS);
        assertTrue(moved(nodeBefore, nodeAfter, "cairn_node_read_bytes_total") >= total);
        assertTrue(metricValue(nodeAfter, "cairn_node_pieces") >= OBJECTS);
        assertTrue(metricValue(nodeAfter, "cairn_node_used_bytes") >= total);

        assertEveryMeterDescribed(server);
        assertEveryMeterDescribed(nodeAfter);
        Path logs = Logs.dir("MetricsIT");
        Promtool.assertClean(promtool, server, logs, "server-metrics");
        Promtool.assertClean(promtool, nodeAfter, logs, "chunkstore-metrics");
    }

    private static void assertEveryMeterDescribed(String exposition) {
        for (String line : exposition.lines().toList()) {
            if (line.startsWith("# HELP ")) {
                String[] parts = line.split(" ", 4);
                assertTrue(parts.length == 4 && !parts[3].isBlank(), "meter without description: " + line);
            }
        }
    }

    private static double moved(String before, String after, String metric, String... labels) {
        return metricValue(after, metric, labels) - metricValue(before, metric, labels);
    }
}
