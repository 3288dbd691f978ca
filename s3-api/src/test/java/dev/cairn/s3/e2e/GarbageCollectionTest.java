package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Replaced, deleted, aborted and failed data leaves no pieces behind once the grace period is
 * over, and a download that started before an overwrite finishes with the bytes it started with.
 * Runs with 64 KiB chunks and a 1 s grace period.
 */
class GarbageCollectionTest {
    private static final int CHUNK = 64 * 1024;
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(CHUNK).withGcGrace(Duration.ofSeconds(1)));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    /** Each test counts pieces from a quiet start: wait until earlier tests' garbage is collected. */
    @AfterEach
    void settle() throws Exception {
        long previous = -1;
        long now = pieces();
        while (now != previous) {
            Thread.sleep(2500); // longer than grace (1 s) plus the collector period (1 s)
            previous = now;
            now = pieces();
        }
    }

    private static long pieces() throws IOException {
        Path dir = server.dataDir().resolve("chunks");
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> p.getParent().getParent().getParent()
                    .getFileName().toString().equals("pieces")).count();
        }
    }

    private static void awaitPieces(long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pieces() != expected && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(expected, pieces());
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void overwrittenAndDeletedObjectsAreCollectedAfterTheGracePeriod() throws Exception {
        String bucket = TestServer.uniqueBucket("gc-overwrite");
        s3.createBucket(b -> b.bucket(bucket));
        long before = pieces();
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(random(5 * CHUNK, 1)));
        assertEquals(before + 5, pieces());
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(random(3 * CHUNK, 2)));
        awaitPieces(before + 3);
        s3.deleteObject(b -> b.bucket(bucket).key("k"));
        awaitPieces(before);
    }

    @Test
    void abortedUploadLeavesNoPieces() throws Exception {
        String bucket = TestServer.uniqueBucket("gc-abort");
        s3.createBucket(b -> b.bucket(bucket));
        long before = pieces();
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(1),
                RequestBody.fromBytes(random(4 * CHUNK, 3)));
        s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(2),
                RequestBody.fromBytes(random(2 * CHUNK, 4)));
        assertEquals(before + 6, pieces());
        s3.abortMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id));
        awaitPieces(before);
    }

    @Test
    void unusedPartsAreCollectedAfterCompletion() throws Exception {
        String bucket = TestServer.uniqueBucket("gc-complete");
        s3.createBucket(b -> b.bucket(bucket));
        long before = pieces();
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("mp")).uploadId();
        String e1 = s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(1),
                RequestBody.fromBytes(random(CHUNK, 5))).eTag();
        s3.uploadPart(b -> b.bucket(bucket).key("mp").uploadId(id).partNumber(2),
                RequestBody.fromBytes(random(2 * CHUNK, 6)));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mp").uploadId(id).multipartUpload(
                CompletedMultipartUpload.builder().parts(CompletedPart.builder().partNumber(1).eTag(e1).build())
                        .build()));
        awaitPieces(before + 1);
        assertArrayEquals(random(CHUNK, 5), s3.getObjectAsBytes(b -> b.bucket(bucket).key("mp")).asByteArray());
    }

    @Test
    void failedUploadLeavesNoPiecesAndNoObject() throws Exception {
        String bucket = TestServer.uniqueBucket("gc-failed");
        s3.createBucket(b -> b.bucket(bucket));
        long before = pieces();
        byte[] body = random(6 * CHUNK + 17, 7);
        byte[] wrongMd5 = new byte[16];
        S3Exception e = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key("bad")
                .contentMD5(Base64.getEncoder().encodeToString(wrongMd5)), RequestBody.fromBytes(body)));
        assertEquals(400, e.statusCode());
        assertEquals("BadDigest", e.awsErrorDetails().errorCode());
        awaitPieces(before);
        assertEquals(404, assertThrows(S3Exception.class,
                () -> s3.headObject(b -> b.bucket(bucket).key("bad"))).statusCode());
    }

    @Test
    void downloadThatStartedBeforeAnOverwriteFinishesWithItsBytes() throws Exception {
        String bucket = TestServer.uniqueBucket("gc-lease");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] first = random(640 * CHUNK, 8);
        s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(first));
        byte[] got;
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key("k"))) {
            byte[] head = in.readNBytes(CHUNK);
            s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(random(640 * CHUNK, 9)));
            s3.deleteObject(b -> b.bucket(bucket).key("k"));
            Thread.sleep(3000); // well past the grace period: only the read lease keeps the chunks
            byte[] rest = in.readAllBytes();
            got = Arrays.copyOf(head, head.length + rest.length);
            System.arraycopy(rest, 0, got, head.length, rest.length);
        }
        assertArrayEquals(first, got);
        assertEquals(404, assertThrows(S3Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k"))).statusCode());
    }
}
