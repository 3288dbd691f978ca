package dev.cairn.s3.e2e;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A download the client abandons (closing its socket, or resetting it) is one INFO line, is never
 * counted as a server error, and lets go of its chunks: once the object is deleted, the collector
 * removes every piece. 64 KiB chunks, a 1 s grace period, a 16 MiB object.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClientDisconnectTest {
    private static final int SIZE = 16 * 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(64 * 1024).withGcGrace(Duration.ofSeconds(1)));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static String scrape() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.adminEndpoint().resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long pieces() throws IOException {
        try (Stream<Path> files = Files.walk(server.dataDir().resolve("chunks"))) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getParent().getParent().getParent().getFileName().toString().equals("pieces"))
                    .count();
        }
    }

    private static void await(String what, BooleanSupplier fact) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!fact.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void abandonedDownloadsAreOneInfoLineEachNotServerErrorsAndReleaseTheirChunks() throws Exception {
        String bucket = TestServer.uniqueBucket("disconnect");
        s3.createBucket(b -> b.bucket(bucket));
        S3Asserts.put(s3, bucket, "big", S3Asserts.randomBytes(SIZE, 3));
        URI uri = URI.create(server.endpoint() + "/" + bucket + "/big");

        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        List<Boolean> resets = List.of(false, true, false, true);
        try {
            for (boolean reset : resets) {
                int status = RawHttp.sendAndAbandon(RawHttp.signed(SdkHttpMethod.GET, uri, Map.of(), null),
                        256 * 1024, reset);
                assertEquals(200, status);
            }
            await("one line per abandoned download", () -> closedLines(log) >= resets.size());
            await("every abandoned GET to be counted", () -> {
                try {
                    return MetricsTest.sum(scrape(), "cairn_s3_requests_seconds_count",
                            Map.of("operation", "GetObject")) >= resets.size();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500); // a second line for the same download would come right after the first
        } finally {
            root.detachAppender(log);
        }

        assertEquals(resets.size(), closedLines(log), () -> "lines: " + lines(log));
        assertEquals(List.of(), events(log).stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)
                && e.getLoggerName().startsWith("dev.cairn")).map(ILoggingEvent::getFormattedMessage).toList(),
                "no warning or error from Cairn");
        String metrics = scrape();
        assertEquals(0, MetricsTest.sum(metrics, "cairn_s3_requests_seconds_count", Map.of("status", "5xx")),
                "no request counted as 5xx");
        assertEquals(0, MetricsTest.sum(metrics, "cairn_s3_errors_total", Map.of("code", "InternalError")));
        assertTrue(MetricsTest.sum(metrics, "cairn_s3_requests_seconds_count",
                Map.of("operation", "GetObject", "status", "aborted")) >= resets.size(), metrics);

        // the abandoned downloads hold no read lease: deleting the object frees every piece
        s3.deleteObject(b -> b.bucket(bucket).key("big"));
        await("the collector to remove every piece", () -> {
            try {
                return pieces() == 0;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static long closedLines(ListAppender<ILoggingEvent> log) {
        return events(log).stream().filter(e -> e.getLevel() == Level.INFO
                && e.getFormattedMessage().contains("client closed the connection")).count();
    }

    private static List<String> lines(ListAppender<ILoggingEvent> log) {
        return events(log).stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()).toList();
    }

    /**
     * What the appender holds so far: server threads append while the test reads, and the
     * appender appends under its own lock (a bare read of the list failed with a
     * ConcurrentModificationException on a loaded machine).
     */
    private static List<ILoggingEvent> events(ListAppender<ILoggingEvent> log) {
        synchronized (log) {
            return List.copyOf(log.list);
        }
    }
}
