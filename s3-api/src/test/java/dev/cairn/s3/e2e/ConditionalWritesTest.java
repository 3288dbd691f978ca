package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Conditional writes are a compare-and-set in metadata: 32 clients racing If-None-Match: * PUTs
 * on the same keys leave exactly one winner per key, whose bytes are the ones stored.
 */
class ConditionalWritesTest {
    private static final int CLIENTS = 32;
    private static final int KEYS = 8;
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(64 * 1024));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private record Attempt(int client, String key, byte[] body, int status, String etag) {
    }

    private static byte[] body(int client, int key) {
        byte[] b = new byte[100_000 + client * 7 + key]; // several chunks, so losers write data too
        new Random(client * 1000L + key).nextBytes(b);
        return b;
    }

    @Test
    void racingIfNoneMatchPutsHaveExactlyOneWinnerPerKeyAndStoreItsBytes() throws Exception {
        String bucket = TestServer.uniqueBucket("cas-race");
        s3.createBucket(b -> b.bucket(bucket));
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Attempt>>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                go.await();
                List<Attempt> attempts = new ArrayList<>();
                for (int k = 0; k < KEYS; k++) {
                    String key = "key-" + k;
                    byte[] data = body(client, k);
                    try {
                        String etag = s3.putObject(b -> b.bucket(bucket).key(key).ifNoneMatch("*"),
                                RequestBody.fromBytes(data)).eTag();
                        attempts.add(new Attempt(client, key, data, 200, etag));
                    } catch (S3Exception e) {
                        attempts.add(new Attempt(client, key, data, e.statusCode(), e.awsErrorDetails().errorCode()));
                    }
                }
                return attempts;
            }));
        }
        go.countDown();
        List<Attempt> all = new ArrayList<>();
        for (Future<List<Attempt>> f : futures) {
            all.addAll(f.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();
        for (int k = 0; k < KEYS; k++) {
            String key = "key-" + k;
            List<Attempt> winners = all.stream().filter(a -> a.key().equals(key) && a.status() == 200).toList();
            assertEquals(1, winners.size(), "exactly one winner for " + key);
            all.stream().filter(a -> a.key().equals(key) && a.status() != 200).forEach(a -> {
                assertEquals(412, a.status(), "losers get 412");
                assertEquals("PreconditionFailed", a.etag());
            });
            Attempt winner = winners.get(0);
            byte[] stored = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            assertArrayEquals(winner.body(), stored, "the stored bytes are the winner's");
            String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(winner.body()));
            assertEquals("\"" + md5 + "\"", winner.etag());
        }
    }

    @Test
    void ifMatchPutReplacesOnlyTheExpectedVersion() {
        String bucket = TestServer.uniqueBucket("cas-ifmatch");
        s3.createBucket(b -> b.bucket(bucket));
        String first = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("one")).eTag();
        String second = s3.putObject(b -> b.bucket(bucket).key("k").ifMatch(first), RequestBody.fromString("two"))
                .eTag();
        S3Exception stale = org.junit.jupiter.api.Assertions.assertThrows(S3Exception.class, () ->
                s3.putObject(b -> b.bucket(bucket).key("k").ifMatch(first), RequestBody.fromString("three")));
        assertEquals(412, stale.statusCode());
        assertEquals("two", s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")).asUtf8String());
        assertEquals(second, s3.headObject(b -> b.bucket(bucket).key("k")).eTag());
    }
}
