package dev.cairn.s3.e2e;

import dev.cairn.metadata.RepairRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RS 4+2 over six in-process chunkstores (one folder each), with 64 KiB chunks: ranged reads
 * across stripes, reads that survive two lost chunkstores, and corrupt pieces rebuilt and
 * recorded for repair.
 */
class ErasureCodedStorageTest {
    private static final int CHUNK = 64 * 1024;
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(CHUNK).withChunkstores(6, List.of()).withProtection("rs4+2"));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static List<Path> pieceFiles(int store) throws IOException {
        Path dir = server.dataDir().resolve("chunks").resolve(Integer.toString(store)).resolve("pieces");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void objectsAndRangesRoundTripAcrossStripes() {
        String bucket = TestServer.uniqueBucket("ec-roundtrip");
        s3.createBucket(b -> b.bucket(bucket));
        for (int size : new int[]{16 * 1024 + 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 12_345}) {
            byte[] data = random(size, size);
            s3.putObject(b -> b.bucket(bucket).key("o" + size), RequestBody.fromBytes(data));
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("o" + size)).asByteArray());
            Random r = new Random(size);
            for (int i = 0; i < 20; i++) {
                int from = r.nextInt(size);
                int to = Math.min(size - 1, from + r.nextInt(3 * CHUNK));
                byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("o" + size)
                        .range("bytes=" + from + "-" + to)).asByteArray();
                assertArrayEquals(Arrays.copyOfRange(data, from, to + 1), got, "range " + from + "-" + to);
            }
        }
    }

    @Test
    void readsSurviveTwoLostChunkstoresAndTheLossIsRecordedForRepair() throws Exception {
        String bucket = TestServer.uniqueBucket("ec-lost");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] data = random(7 * CHUNK + 999, 42);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data));
        int before = server.server().metadata().listRepairs(100_000).size();
        for (int store : new int[]{1, 4}) {
            for (Path p : pieceFiles(store)) {
                Files.delete(p);
            }
        }
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());
        byte[] tail = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").range("bytes=-70000")).asByteArray();
        assertArrayEquals(Arrays.copyOfRange(data, data.length - 70000, data.length), tail);
        // a failed read leaves a hint ("read-missing"), which the movers verify into proof ("missing");
        // the read records it on a worker after answering, so wait for the row
        List<RepairRecord> repairs = S3Asserts.repairsOnceAny(server.server().metadata(),
                r -> r.reason().endsWith("missing"));
        assertTrue(repairs.size() > before, "lost pieces are recorded for repair");
        assertTrue(repairs.stream().anyMatch(r -> r.reason().endsWith("missing")), repairs.toString());
    }

    @Test
    void aCorruptPieceIsRebuiltAndRecordedAsCorrupt() throws Exception {
        String bucket = TestServer.uniqueBucket("ec-corrupt");
        s3.createBucket(b -> b.bucket(bucket));
        List<Path> before = pieceFiles(2);
        byte[] data = random(12 * CHUNK, 7); // 12 chunks: some data piece lands on chunkstore 2 (1 - 3^-12)
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(data));
        List<Path> fresh = pieceFiles(2).stream().filter(p -> !before.contains(p)).toList();
        assertFalse(fresh.isEmpty(), "chunkstore 2 holds pieces of the new object");
        for (Path p : fresh) {
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.seek(40);
                int b = f.read();
                f.seek(40);
                f.write(b ^ 0xFF);
            }
        }
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asByteArray());
        List<RepairRecord> repairs = S3Asserts.repairsOnceAny(server.server().metadata(),
                r -> r.reason().endsWith("corrupt") && r.nodeId().equals("local-2"));
        assertTrue(repairs.stream().anyMatch(r -> r.reason().endsWith("corrupt") && r.nodeId().equals("local-2")),
                repairs.toString());
    }


    @Test
    void protectionInUseIsRsFourPlusTwo() {
        assertEquals("RS 4+2", server.server().nodes().protection().describe());
        assertEquals(6, server.server().nodes().writable().size());
    }
}
