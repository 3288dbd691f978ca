package dev.cairn.s3.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cairn.metadata.ChunkRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A warning that repeats - a dead node failing every read, a stranger posting heartbeats - is
 * logged once per window per cause, and every occurrence is counted in a metric.
 */
class WarningFloodTest {

    private static ListAppender<ILoggingEvent> capture(String loggerName) {
        Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }

    private static long warnings(ListAppender<ILoggingEvent> appender) {
        return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).count();
    }

    private static double metric(String scrape, String sample) {
        return scrape.lines().filter(l -> l.startsWith(sample + " ")).mapToDouble(l ->
                Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Issue 10, behaviour 7: one WARN per segment per failed piece read, one per unsigned heartbeat. */
    @Test
    void repeatedWarningsAreRateLimitedAndCounted() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(6, "rs4+2", FaultyCluster.movers(Duration.ofMinutes(10), true))) {
            Map<String, byte[]> objects = c.putObjects("flood", 1, 10); // 11 chunks, one segment each
            List<ChunkRecord> chunks = c.chunksOf("flood", "o0");
            String dead = chunks.get(0).pieces().get(0).nodeId();
            long onDead = chunks.stream().filter(ch -> ch.size() == FaultyCluster.CHUNK).filter(ch -> ch.pieces().stream()
                    .anyMatch(l -> l.nodeId().equals(dead) && l.index() < 4)).count();
            ListAppender<ILoggingEvent> reads = capture("dev.cairn.placement.storage.RepairReporter");
            double before = metric(c.metrics(), "cairn_piece_failures_total{reason=\"unreadable\"}");
            c.node(dead).down(true);
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(objects.get("o0"), c.get("flood", "o0"));
            }
            double failures = metric(c.metrics(), "cairn_piece_failures_total{reason=\"unreadable\"}") - before;
            assertTrue(failures >= 20 * onDead, "every failed read counted: " + failures + " of " + 20 * onDead);
            assertTrue(warnings(reads) <= 2, warnings(reads) + " warnings for " + failures + " failed reads");

            ListAppender<ILoggingEvent> beats = capture("dev.cairn.s3.admin.ClusterEndpoint");
            HttpClient http = HttpClient.newHttpClient();
            URI uri = c.server().adminEndpoint().resolve("/cluster/v1/heartbeat");
            for (int i = 0; i < 2000; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"nodeId\":\"intruder\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(401, r.statusCode());
            }
            assertTrue(warnings(beats) <= 2, "2000 refusals, " + warnings(beats) + " warnings");
            assertEquals(2000, metric(c.metrics(), "cairn_warnings_total{event=\"heartbeat-refused\"}"));
        }
    }
}
