package dev.cairn.tools.it;

import dev.cairn.s3.auth.RequestSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, acceptance 4: 500 uploads that send a byte (50 of them 2 MiB) and stall, against the
 * packaged server with {@code -Xmx256m}: no OutOfMemoryError, another client's 16 MiB PUT and GET
 * are served meanwhile, and every stalled upload gets 400 RequestTimeout once its body has been
 * idle for the request body timeout.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StalledUploadsIT {
    private static final Logger LOG = LoggerFactory.getLogger(StalledUploadsIT.class);
    private static final int STALLED = 500;
    private static final int HEAVY = 50;
    private static final long DECLARED = 100L << 20;

    @TempDir
    Path dir;

    /** Sends a signed PUT head declaring {@code DECLARED} bytes, waits for 100 Continue, sends {@code sent} bytes. */
    private static Socket stall(URI s3, String key, int sent) throws IOException {
        Socket socket = new Socket(s3.getHost(), s3.getPort());
        socket.setSoTimeout(120_000);
        String path = "/stall/" + key;
        StringBuilder head = new StringBuilder("PUT " + path + " HTTP/1.1\r\n");
        head.append("Host: ").append(s3.getHost()).append(':').append(s3.getPort()).append("\r\n");
        new RequestSigner(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY, ServerProcess.REGION)
                .sign("PUT", s3.getHost() + ":" + s3.getPort(), path, null, RequestSigner.UNSIGNED_PAYLOAD, Instant.now())
                .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(DECLARED).append("\r\nExpect: 100-continue\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String interim = readHead(socket.getInputStream());
        if (!interim.startsWith("HTTP/1.1 100")) {
            throw new AssertionError(key + ": expected 100 Continue, got " + interim);
        }
        out.write(new byte[sent]);
        out.flush();
        return socket;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** The status line and body of the final answer (the body up to its Content-Length). */
    private static String answer(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int len = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    len = Integer.parseInt(line.substring(15).trim());
                }
            }
            return head.split("\r\n")[0] + " " + new String(in.readNBytes(len), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "no answer: " + e;
        }
    }

    @Test
    void fiveHundredStalledUploadsLeaveTheHeapAloneAndOthersAreServed() throws Exception {
        ServerProcess server = ServerProcess.start("StalledUploadsIT", dir.resolve("data"),
                List.of("--request-body-timeout", "30s"), Map.of("CAIRN_JAVA_OPTS", "-Xmx256m"));
        try (server; S3Client s3 = server.s3ClientBuilder().build()) {
            s3.createBucket(b -> b.bucket("stall"));
            long t0 = System.nanoTime();
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < STALLED; i++) {
                stalled.add(stall(server.s3Uri(), "stalled-" + i, i < HEAVY ? 2 << 20 : 1));
            }
            LOG.info("{} uploads stalled in {} ms", STALLED, (System.nanoTime() - t0) / 1_000_000);

            byte[] data = new byte[16 << 20];
            new Random(3).nextBytes(data);
            s3.putObject(b -> b.bucket("stall").key("served"), RequestBody.fromBytes(data));
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("stall").key("served")).asByteArray());
            LOG.info("another client's 16 MiB PUT and GET were served after {} ms", (System.nanoTime() - t0) / 1_000_000);

            int timedOut = 0;
            for (Socket socket : stalled) {
                String a = answer(socket);
                assertTrue(a.startsWith("HTTP/1.1 400") && a.contains("<Code>RequestTimeout</Code>"), a);
                timedOut++;
            }
            LOG.info("{} stalled uploads answered 400 RequestTimeout after {} ms", timedOut,
                    (System.nanoTime() - t0) / 1_000_000);
            assertEquals(STALLED, timedOut);
            assertTrue(server.isAlive());
            assertFalse(ServerProcess.read(server.stderrLog()).contains("OutOfMemoryError"), "no OutOfMemoryError");
            assertFalse(ServerProcess.read(server.stdoutLog()).contains("OutOfMemoryError"), "no OutOfMemoryError");
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("stall").key("served")).asByteArray());
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    server.adminUri().resolve("/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(0.0, ClusterFixture.metricValue(metrics, "cairn_ingest_buffered_bytes"),
                    "every stalled upload's buffer was given back");
        }
    }
}
