package dev.cairn.s3.e2e;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage quotas per bucket and per user, set through the admin API: a write over quota answers
 * 403 QuotaExceeded and stores nothing, whichever way it comes (PUT, copy, multipart completion,
 * before or after the body is read); deletes free quota; racing writes never take a bucket past
 * its quota; usage is in the admin API.
 */
class QuotaTest {
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static JsonObject admin(String method, String path, String body) throws Exception {
        HttpResponse<String> r = AdminHttp.root(server, method, path, body);
        assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.body());
        return new JsonObject(r.body());
    }

    private static String bucketWithQuota(String hint, Long maxBytes, Long maxObjects) throws Exception {
        String b = TestServer.uniqueBucket(hint);
        s3.createBucket(r -> r.bucket(b));
        admin("PUT", "/admin/buckets/" + b + "/quota", new JsonObject().put("maxBytes", maxBytes)
                .put("maxObjects", maxObjects).encode());
        return b;
    }

    private static JsonObject usage(String bucket) throws Exception {
        return admin("GET", "/admin/buckets/" + bucket + "/quota", null).getJsonObject("usage");
    }

    @Test
    void aPutOverTheByteQuotaIsRefusedAndStoresNothingAndDeletesFreeQuota() throws Exception {
        String b = bucketWithQuota("bytes", 1000L, null);
        S3Asserts.put(s3, b, "a", new byte[600]);
        assertS3Error(403, "QuotaExceeded", () -> s3.putObject(r -> r.bucket(b).key("b"),
                RequestBody.fromBytes(new byte[500])));
        S3Asserts.assertS3Status(404, () -> s3.headObject(r -> r.bucket(b).key("b")));
        assertEquals(new JsonObject().put("bytes", 600L).put("objects", 1L), usage(b));
        // an overwrite counts what it adds: 600 -> 1000 fits
        S3Asserts.put(s3, b, "a", new byte[1000]);
        assertS3Error(403, "QuotaExceeded", () -> s3.putObject(r -> r.bucket(b).key("c"),
                RequestBody.fromBytes(new byte[1])));
        s3.deleteObject(r -> r.bucket(b).key("a"));
        assertEquals(0L, usage(b).getLong("bytes"));
        S3Asserts.put(s3, b, "b", new byte[500]);
        JsonObject quota = admin("GET", "/admin/buckets/" + b + "/quota", null).getJsonObject("quota");
        assertEquals(1000L, quota.getLong("maxBytes"));
        // the quota and its use are metrics (refreshed every few seconds)
        String limit = "cairn_quota_limit_bytes{name=\"" + b + "\",scope=\"bucket\"} 1000.0";
        String used = "cairn_quota_used_bytes{name=\"" + b + "\",scope=\"bucket\"} 500.0";
        long deadline = System.nanoTime() + 30_000_000_000L;
        String scrape = "";
        while (System.nanoTime() < deadline && !(scrape.contains(limit) && scrape.contains(used))) {
            Thread.sleep(200);
            scrape = AdminHttp.send(server, "GET", "/metrics", null, null, null).body();
        }
        assertTrue(scrape.contains(limit) && scrape.contains(used), scrape);
        // lifting the quota lets the write through
        admin("PUT", "/admin/buckets/" + b + "/quota", "{}");
        S3Asserts.put(s3, b, "c", new byte[2000]);
    }

    @Test
    void copiesAndCompletionsOverQuotaStoreNothing() throws Exception {
        String b = bucketWithQuota("other-writes", 6L * 1024 * 1024, null);
        S3Asserts.put(s3, b, "four", new byte[4 * 1024 * 1024]);
        assertS3Error(403, "QuotaExceeded", () -> s3.copyObject(r -> r.sourceBucket(b).sourceKey("four")
                .destinationBucket(b).destinationKey("copy")));
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("mp")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        String etag = s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(id).partNumber(1),
                RequestBody.fromBytes(new byte[1024 * 1024])).eTag();
        parts.add(CompletedPart.builder().partNumber(1).eTag(etag).build());
        // a part that cannot fit is refused before it is read
        assertS3Error(403, "QuotaExceeded", () -> s3.uploadPart(r -> r.bucket(b).key("mp").uploadId(id).partNumber(2),
                RequestBody.fromBytes(new byte[3 * 1024 * 1024])));
        S3Asserts.put(s3, b, "filler", new byte[1024 * 1024 + 1]);
        assertS3Error(403, "QuotaExceeded", () -> s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(id)
                .multipartUpload(m -> m.parts(parts))));
        S3Asserts.assertS3Status(404, () -> s3.headObject(r -> r.bucket(b).key("mp")));
        S3Asserts.assertS3Status(404, () -> s3.headObject(r -> r.bucket(b).key("copy")));
        s3.deleteObject(r -> r.bucket(b).key("filler"));
        s3.completeMultipartUpload(r -> r.bucket(b).key("mp").uploadId(id).multipartUpload(m -> m.parts(parts)));
        assertEquals(5L * 1024 * 1024, usage(b).getLong("bytes"));
    }

    @Test
    void theObjectQuotaCountsObjects() throws Exception {
        String b = bucketWithQuota("objects", null, 2L);
        S3Asserts.put(s3, b, "1", new byte[1]);
        S3Asserts.put(s3, b, "2", new byte[1]);
        S3Asserts.put(s3, b, "2", new byte[5]); // an overwrite adds no object
        assertS3Error(403, "QuotaExceeded", () -> s3.putObject(r -> r.bucket(b).key("3"), RequestBody.fromBytes(new byte[1])));
    }

    @Test
    void racingWritesNeverTakeABucketPastItsQuota() throws Exception {
        String b = bucketWithQuota("race", 1000L, null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String key = "k" + i;
                all.add(pool.submit(() -> {
                    try {
                        s3.putObject(r -> r.bucket(b).key(key), RequestBody.fromBytes(new byte[200]));
                        stored.incrementAndGet();
                    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                        assertEquals("QuotaExceeded", e.awsErrorDetails().errorCode());
                        refused.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(5, stored.get());
        assertEquals(11, refused.get());
        assertEquals(1000L, usage(b).getLong("bytes"));
    }

    @Test
    void aUserQuotaCoversEveryBucketTheUserOwns() throws Exception {
        admin("POST", "/admin/users", new JsonObject().put("name", "quoted").encode());
        JsonObject key = admin("POST", "/admin/users/quoted/keys", null);
        admin("PUT", "/admin/users/quoted/quota", new JsonObject().put("maxBytes", 1000).encode());
        try (S3Client user = server.client(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                key.getString("accessKeyId"), key.getString("secretAccessKey"))))) {
            String one = TestServer.uniqueBucket("quoted-one");
            String two = TestServer.uniqueBucket("quoted-two");
            user.createBucket(r -> r.bucket(one));
            user.createBucket(r -> r.bucket(two));
            S3Asserts.put(user, one, "a", new byte[700]);
            assertS3Error(403, "QuotaExceeded", () -> user.putObject(r -> r.bucket(two).key("b"),
                    RequestBody.fromBytes(new byte[400])));
            S3Asserts.put(user, two, "b", new byte[300]);
            JsonObject shown = admin("GET", "/admin/users/quoted", null);
            assertEquals(1000L, shown.getJsonObject("usage").getLong("bytes"));
            assertEquals(2L, shown.getJsonObject("usage").getLong("objects"));
            assertEquals(1000L, shown.getJsonObject("quota").getLong("maxBytes"));
            user.deleteObject(r -> r.bucket(one).key("a"));
            S3Asserts.put(user, two, "c", new byte[700]);
        }
    }
}
