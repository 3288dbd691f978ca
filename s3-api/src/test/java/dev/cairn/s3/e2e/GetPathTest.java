package dev.cairn.s3.e2e;

import dev.cairn.metadata.RepairRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static dev.cairn.s3.e2e.S3Asserts.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the fast GET path must keep: every block verified (a flipped bit in a copy read straight
 * into the response's buffer is caught and the other copy serves the bytes), healthy
 * erasure-coded reads decode nothing (the reconstruction counter, not timing, says so) while a
 * lost piece is decoded, and segment buffers are reused and bounded per download.
 */
class GetPathTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aFlippedBitInACopyIsCaughtAndTheOtherCopyServesTheObject() throws Exception {
        int chunk = 256 * 1024;
        try (TestServer server = TestServer.start(c -> c.withChunkSize(chunk).withChunkstores(2, List.of())
                .withProtection("2copies"));
             S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket("flip"));
            byte[] data = randomBytes(3 * chunk + 1234, 5);
            s3.putObject(b -> b.bucket("flip").key("k"), RequestBody.fromBytes(data));
            List<Path> pieces = pieceFiles(server, 1);
            assertEquals(4, pieces.size(), "chunkstore 1 holds a copy of each chunk");
            for (Path p : pieces) {
                flipByte(p, Math.min(32 + 70_000, Files.size(p) - 10)); // block 1, or the last chunk's only block
            }
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("flip").key("k")).asByteArray());
            // successive reads of one chunk start at successive copies: the bad one is read first soon
            for (int i = 0; i < 20 && !corruptRecorded(server, "local-1"); i++) {
                byte[] got = s3.getObjectAsBytes(b -> b.bucket("flip").key("k")
                        .range("bytes=" + chunk + "-" + (2 * chunk - 1))).asByteArray();
                assertArrayEquals(Arrays.copyOfRange(data, chunk, 2 * chunk), got, "read " + i);
                Thread.sleep(50); // the read records the bad copy on a worker after answering
            }
            List<RepairRecord> repairs = S3Asserts.repairsOnceAny(server.server().metadata(),
                    r -> r.reason().endsWith("corrupt") && r.nodeId().equals("local-1"));
            assertTrue(repairs.stream().anyMatch(r -> r.reason().endsWith("corrupt") && r.nodeId().equals("local-1")),
                    repairs.toString());
        }
    }

    @Test
    void healthyErasureCodedReadsDecodeNothingAndALostPieceIsDecoded() throws Exception {
        int chunk = 256 * 1024;
        try (TestServer server = TestServer.start(c -> c.withChunkSize(chunk).withChunkstores(6, List.of())
                .withProtection("rs4+2"));
             S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket("ec-reads"));
            byte[] data = randomBytes(6 * chunk + 777, 9);
            s3.putObject(b -> b.bucket("ec-reads").key("k"), RequestBody.fromBytes(data));
            double before = reconstructions(server);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("ec-reads").key("k")).asByteArray());
            }
            byte[] range = s3.getObjectAsBytes(b -> b.bucket("ec-reads").key("k").range("bytes=100000-900000")).asByteArray();
            assertArrayEquals(Arrays.copyOfRange(data, 100_000, 900_001), range);
            assertEquals(before, reconstructions(server), "healthy reads decoded nothing");

            for (Path p : pieceFiles(server, 0)) {
                Files.delete(p);
            }
            for (Path p : pieceFiles(server, 3)) {
                Files.delete(p);
            }
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("ec-reads").key("k")).asByteArray());
            assertTrue(reconstructions(server) > before, "reads of lost pieces were decoded (the counter counts)");
        }
    }

    @Test
    void segmentBuffersAreReusedAndBoundedPerDownload() throws Exception {
        try (TestServer server = TestServer.start(); S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket("reuse"));
            byte[] data = randomBytes(12 * 1024 * 1024 + 5, 3); // 13 segments of 1 MiB
            s3.putObject(b -> b.bucket("reuse").key("k"), RequestBody.fromBytes(data));
            for (int i = 0; i < 5; i++) {
                assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("reuse").key("k")).asByteArray());
            }
            // one download: the segment being read ahead plus those in the response's queue
            double one = metric(server, "cairn_get_segment_buffers");
            assertTrue(one >= 1 && one <= 4, "buffers for one download at a time: " + one);
            List<CompletableFuture<byte[]>> gets = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                gets.add(CompletableFuture.supplyAsync(
                        () -> s3.getObjectAsBytes(b -> b.bucket("reuse").key("k")).asByteArray()));
            }
            for (CompletableFuture<byte[]> g : gets) {
                assertArrayEquals(data, g.get());
            }
            double four = metric(server, "cairn_get_segment_buffers");
            assertTrue(four <= 4 * 4, "buffers for four downloads at a time: " + four);
        }
    }

    private static boolean corruptRecorded(TestServer server, String node) {
        return server.server().metadata().listRepairs(100_000).stream()
                .anyMatch(r -> r.reason().endsWith("corrupt") && r.nodeId().equals(node));
    }

    private static double reconstructions(TestServer server) throws Exception {
        return metric(server, "cairn_chunk_reconstructions_total");
    }

    private static double metric(TestServer server, String name) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(server.adminEndpoint().resolve("/metrics")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains(name), name + " in /metrics");
        return MetricsTest.sum(r.body(), name, Map.of());
    }

    private static List<Path> pieceFiles(TestServer server, int store) throws IOException {
        Path dir = server.dataDir().resolve("chunks").resolve(Integer.toString(store)).resolve("pieces");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void flipByte(Path file, long pos) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(pos);
            int b = f.read();
            f.seek(pos);
            f.write(b ^ 0x01);
        }
    }
}
