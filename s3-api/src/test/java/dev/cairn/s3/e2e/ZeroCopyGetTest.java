package dev.cairn.s3.e2e;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.cairn.s3.e2e.S3Asserts.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GETs of chunks kept as their original bytes in a local piece file go from the file to the
 * socket through the kernel (sendfile), each block verified on the way: the bytes are right, the
 * counter of bytes sent that way moves (and only for such chunks: compressed ones are decoded in
 * the JVM), and a damaged block never reaches the client - the only copy's damage ends the
 * transfer before that segment (or answers 503 when it is in the first one) and is recorded for
 * repair.
 */
class ZeroCopyGetTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int MIB = 1024 * 1024;
    private static final int BLOCK = 64 * 1024;
    private static final String FROM_FILES = "cairn_get_sent_from_files_bytes_total";

    @Test
    void rawChunksAreSentFromThePieceFilesAndCountedAsSent() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withChunkSize(4 * MIB)); S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket("zero-copy"));
            byte[] data = randomBytes(9 * MIB + 5, 21); // three chunks, ten segments
            s3.putObject(b -> b.bucket("zero-copy").key("k"), RequestBody.fromBytes(data));
            double before = metric(server, FROM_FILES);
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("zero-copy").key("k")).asByteArray());
            byte[] range = s3.getObjectAsBytes(b -> b.bucket("zero-copy").key("k").range("bytes=1000-5000000")).asByteArray();
            assertArrayEquals(Arrays.copyOfRange(data, 1000, 5_000_001), range);
            // counted when each write completed, which may be a moment after the client has the bytes
            double sent = awaitMetric(server, FROM_FILES, Map.of(), before + data.length + range.length) - before;
            assertEquals(data.length + range.length, sent, "every byte of both GETs went from the piece files");
            awaitMetric(server, "cairn_s3_bytes_sent_bytes_total", Map.of("operation", "GetObject"),
                    data.length + range.length); // the bytes sent from files count as sent

            byte[] zeros = new byte[3 * MIB]; // compresses: its chunk is decoded in the JVM and sent from a buffer
            s3.putObject(b -> b.bucket("zero-copy").key("zeros"), RequestBody.fromBytes(zeros));
            double beforeZeros = metric(server, FROM_FILES);
            assertArrayEquals(zeros, s3.getObjectAsBytes(b -> b.bucket("zero-copy").key("zeros")).asByteArray());
            assertEquals(beforeZeros, metric(server, FROM_FILES), "a compressed chunk is not sent from its file");
        }
    }

    @Test
    void withSendfileOffEverySegmentGoesThroughABuffer() throws Exception {
        dev.cairn.s3.data.PieceRegionWriter.enable(false);
        try (TestServer server = TestServer.start(c -> c.withChunkSize(4 * MIB)); S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket("buffered"));
            byte[] data = randomBytes(5 * MIB + 3, 22);
            s3.putObject(b -> b.bucket("buffered").key("k"), RequestBody.fromBytes(data));
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("buffered").key("k")).asByteArray());
            awaitMetric(server, "cairn_s3_bytes_sent_bytes_total", Map.of("operation", "GetObject"), data.length);
            assertEquals(0, metric(server, FROM_FILES), "--get-sendfile off: nothing is sent from the piece files");
        } finally {
            dev.cairn.s3.data.PieceRegionWriter.enable(true);
        }
    }

    @Test
    void aDamagedBlockOfTheOnlyCopyNeverReachesTheClient() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withChunkSize(4 * MIB));
             S3Client s3 = server.client();
             S3Presigner presigner = server.presigner()) {
            s3.createBucket(b -> b.bucket("damage"));
            byte[] data = randomBytes(4 * MIB, 22); // one chunk, one piece, four segments
            s3.putObject(b -> b.bucket("damage").key("mid"), RequestBody.fromBytes(data));
            Path piece = onlyPieceFile(server);
            flipDataByte(piece, 2 * MIB + MIB / 2); // in segment 2 (bytes 2-3 MiB)

            URL url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket("damage").key("mid"))).url();
            Answer got = rawGet(url);
            assertTrue(got.head.startsWith("http/1.1 200"), got.head);
            assertTrue(got.head.contains("content-length: " + data.length), got.head);
            assertTrue(got.body.length <= 2 * MIB, "nothing of the damaged segment was sent: " + got.body.length);
            assertArrayEquals(Arrays.copyOf(data, got.body.length), got.body, "what was sent is the object's start");
            S3Asserts.repairsOnceAny(server.server().metadata(),
                    r -> r.reason().endsWith("corrupt") && r.nodeId().equals("local-0"));

            s3.putObject(b -> b.bucket("damage").key("first"), RequestBody.fromBytes(data));
            Path second;
            try (Stream<Path> files = pieceFiles(server)) {
                second = files.filter(p -> !p.equals(piece)).findFirst().orElseThrow();
            }
            flipDataByte(second, 10); // in the first segment: nothing was sent yet, the answer is an error
            S3Exception e = assertThrows(S3Exception.class,
                    () -> s3.getObjectAsBytes(b -> b.bucket("damage").key("first")));
            assertEquals(503, e.statusCode());
        }
    }

    /** A raw answer: its head (lower case) and the body bytes that arrived before the connection ended. */
    private record Answer(String head, byte[] body) {
    }

    /** A GET over a plain socket, read until the server closes: what the client really received. */
    private static Answer rawGet(URL url) throws IOException {
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + url.getFile() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    all.write(buf, 0, n);
                }
            } catch (IOException reset) {
                // the server resets the connection when it cannot send the rest
            }
            byte[] bytes = all.toByteArray();
            int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(end > 0, "a response head");
            return new Answer(new String(bytes, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(),
                    Arrays.copyOfRange(bytes, end + 4, bytes.length));
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static Stream<Path> pieceFiles(TestServer server) throws IOException {
        return Files.walk(server.dataDir().resolve("chunks")).filter(Files::isRegularFile)
                .filter(p -> p.toString().contains("/pieces/"));
    }

    private static Path onlyPieceFile(TestServer server) throws IOException {
        try (Stream<Path> files = pieceFiles(server)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    /** Flips a bit of piece data byte {@code offset} (the file keeps a checksum after every 64 KiB block). */
    private static void flipDataByte(Path piece, long offset) throws IOException {
        long at = 32 + (offset / BLOCK) * (BLOCK + 4) + offset % BLOCK;
        try (RandomAccessFile f = new RandomAccessFile(piece.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x20);
        }
    }

    /** The metric once it reached {@code atLeast}; fails after ten seconds. */
    private static double awaitMetric(TestServer server, String name, Map<String, String> labels, double atLeast)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        double value = metricOf(server, name, labels);
        while (value < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
            value = metricOf(server, name, labels);
        }
        assertTrue(value >= atLeast, name + " " + labels + " reached " + value + ", not " + atLeast);
        return value;
    }

    private static double metric(TestServer server, String name) throws Exception {
        return metricOf(server, name, Map.of());
    }

    private static double metricOf(TestServer server, String name, Map<String, String> labels) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.adminEndpoint().resolve("/metrics")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains(name), name + " in /metrics");
        return MetricsTest.sum(r.body(), name, labels);
    }
}
