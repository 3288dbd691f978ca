package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

import java.net.URI;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Conditional writes are a compare-and-set in metadata: 32 clients racing If-None-Match: * PUTs
 * on the same keys leave exactly one winner per key, whose bytes are the ones stored. Every
 * precondition a write or delete carries is honoured: If-Match and If-None-Match (with * or
 * ETags) on PUT, If-Match, x-amz-if-match-size and x-amz-if-match-last-modified-time on
 * DeleteObject, and each object's ETag, Size and LastModifiedTime in DeleteObjects.
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

    private String bucket(String hint) {
        String bucket = TestServer.uniqueBucket(hint);
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private String content(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    /** RFC 7232: If-None-Match with entity tags holds unless the current ETag is one of them. */
    @Test
    void ifNoneMatchWithEtagsWritesOnlyWhenTheCurrentEtagIsNotListed() {
        String bucket = bucket("cas-ifnonematch");
        String first = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("one")).eTag();
        assertS3Error(412, "PreconditionFailed", () -> s3.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch(first),
                RequestBody.fromString("two")));
        assertS3Error(412, "PreconditionFailed", () -> s3.putObject(b -> b.bucket(bucket).key("k")
                .ifNoneMatch("\"0123\", " + first), RequestBody.fromString("two")));
        assertEquals("one", content(bucket, "k"));
        String second = s3.putObject(b -> b.bucket(bucket).key("k").ifNoneMatch("\"0123\""),
                RequestBody.fromString("two")).eTag();
        assertEquals("two", content(bucket, "k"));
        assertEquals(second, s3.headObject(b -> b.bucket(bucket).key("k")).eTag());
        s3.putObject(b -> b.bucket(bucket).key("new").ifNoneMatch(first), RequestBody.fromString("created"));
        assertEquals("created", content(bucket, "new"));
    }

    /** AWS: If-Match on a key that does not exist is 404 NoSuchKey, for writes and deletes. */
    @Test
    void ifMatchOnAMissingKeyIsNoSuchKey() {
        String bucket = bucket("cas-ifmatch-missing");
        assertS3Error(404, "NoSuchKey", () -> s3.putObject(b -> b.bucket(bucket).key("absent").ifMatch("\"0123\""),
                RequestBody.fromString("x")));
        assertS3Error(404, "NoSuchKey", () -> s3.putObject(b -> b.bucket(bucket).key("absent").ifMatch("*"),
                RequestBody.fromString("x")));
        assertS3Error(404, "NoSuchKey", () -> s3.deleteObject(b -> b.bucket(bucket).key("absent").ifMatch("*")));
        assertEquals(List.of(), S3Asserts.allKeys(s3, bucket));
    }

    @Test
    void deleteObjectHonoursIfMatchSizeAndLastModifiedTime() {
        String bucket = bucket("cas-delete");
        String etag = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("abc")).eTag();
        Instant modified = s3.headObject(b -> b.bucket(bucket).key("k")).lastModified();
        assertS3Error(412, "PreconditionFailed", () -> s3.deleteObject(b -> b.bucket(bucket).key("k").ifMatch("\"0123\"")));
        assertS3Error(412, "PreconditionFailed", () -> s3.deleteObject(b -> b.bucket(bucket).key("k").ifMatchSize(4L)));
        assertS3Error(412, "PreconditionFailed", () -> s3.deleteObject(b -> b.bucket(bucket).key("k")
                .ifMatchLastModifiedTime(modified.minusSeconds(60))));
        assertS3Error(412, "PreconditionFailed", () -> s3.deleteObject(b -> b.bucket(bucket).key("k")
                .ifMatch(etag).ifMatchSize(3L).ifMatchLastModifiedTime(modified.plusSeconds(1))));
        assertEquals("abc", content(bucket, "k"));

        s3.deleteObject(b -> b.bucket(bucket).key("k").ifMatch(etag).ifMatchSize(3L).ifMatchLastModifiedTime(modified));
        assertEquals(List.of(), S3Asserts.allKeys(s3, bucket));
        // AWS: a size or time condition on a key that does not exist answers 204
        s3.deleteObject(b -> b.bucket(bucket).key("k").ifMatchSize(3L).ifMatchLastModifiedTime(modified));
    }

    @Test
    void malformedDeleteConditionsAreInvalidArgument() {
        String bucket = bucket("cas-delete-bad");
        S3Asserts.put(s3, bucket, "k", "abc".getBytes());
        URI uri = URI.create(server.endpoint() + "/" + bucket + "/k");
        for (var h : List.of(Map.of("x-amz-if-match-size", "three"), Map.of("x-amz-if-match-size", "-1"),
                Map.of("x-amz-if-match-last-modified-time", "yesterday"))) {
            assertRawError(400, "InvalidArgument", RawHttp.send(RawHttp.signed(SdkHttpMethod.DELETE, uri, h, null)));
        }
        assertEquals("abc", content(bucket, "k"));
    }

    @Test
    void deleteObjectsHonoursEachObjectsEtagSizeAndLastModifiedTime() {
        String bucket = bucket("cas-delete-many");
        Map<String, String> etags = new java.util.HashMap<>();
        for (String k : List.of("match", "wrong-etag", "wrong-size", "wrong-time", "all-match")) {
            etags.put(k, s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.fromString("abc")).eTag());
        }
        Instant modified = s3.headObject(b -> b.bucket(bucket).key("all-match")).lastModified();
        List<ObjectIdentifier> ids = List.of(
                ObjectIdentifier.builder().key("match").eTag(etags.get("match")).build(),
                ObjectIdentifier.builder().key("wrong-etag").eTag("\"0123\"").build(),
                ObjectIdentifier.builder().key("wrong-size").size(4L).build(),
                ObjectIdentifier.builder().key("wrong-time").lastModifiedTime(modified.minusSeconds(3600)).build(),
                ObjectIdentifier.builder().key("all-match").eTag(etags.get("all-match")).size(3L)
                        .lastModifiedTime(modified).build(),
                ObjectIdentifier.builder().key("absent-with-etag").eTag("\"0123\"").build(),
                ObjectIdentifier.builder().key("absent").build());
        DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(ids)));

        assertEquals(List.of("absent", "all-match", "match"),
                r.deleted().stream().map(DeletedObject::key).sorted().toList());
        Map<String, String> errors = new java.util.TreeMap<>();
        r.errors().forEach(e -> errors.put(e.key(), e.code()));
        assertEquals(Map.of("wrong-etag", "PreconditionFailed", "wrong-size", "PreconditionFailed",
                "wrong-time", "PreconditionFailed", "absent-with-etag", "NoSuchKey"), errors);
        assertEquals(List.of("wrong-etag", "wrong-size", "wrong-time"), S3Asserts.allKeys(s3, bucket));
    }
}
