package dev.cairn.s3.e2e;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cairn.s3.lifecycle.LifecycleSettings;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Lifecycle configuration end to end with the AWS SDK, and the lifecycle worker on a server whose
 * lifecycle day lasts 2 s: an Expiration Days=1 rule removes the objects it matches and only them,
 * noncurrent versions and lone delete markers go, an abandoned multipart upload is aborted, a
 * locked version stays until its lock is lifted; each counted in /metrics and the admin API.
 */
class LifecycleTest {
    private static final long WAIT_MILLIS = 30_000;
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withLifecycle(LifecycleSettings.of(2, 1000)));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static String bucket(String hint) {
        String b = TestServer.uniqueBucket(hint);
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    private static void lifecycle(String bucket, LifecycleRule... rules) {
        s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules)));
    }

    private static LifecycleRule.Builder rule(String id, String prefix) {
        return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED)
                .filter(LifecycleRuleFilter.builder().prefix(prefix).build());
    }

    /** Waits for a fact (never a fixed sleep); fails naming it after 30 s. */
    private static void await(String fact, BooleanSupplier check) throws InterruptedException {
        long until = System.currentTimeMillis() + WAIT_MILLIS;
        while (!check.getAsBoolean()) {
            if (System.currentTimeMillis() > until) {
                throw new AssertionError("timed out waiting until " + fact + "; lifecycle: " + status());
            }
            Thread.sleep(100);
        }
    }

    private static JsonObject status() {
        try {
            return new JsonObject(AdminHttp.root(server, "GET", "/admin/lifecycle", null).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double metric(String name) throws Exception {
        String text = AdminHttp.send(server, "GET", "/metrics", null, null, null).body();
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }

    private static boolean exists(String bucket, String key) {
        return s3.listObjectsV2(r -> r.bucket(bucket).prefix(key)).contents().stream()
                .anyMatch(o -> o.key().equals(key));
    }

    private static List<ObjectVersion> versions(String bucket, String key) {
        return s3.listObjectVersions(r -> r.bucket(bucket).prefix(key)).versions();
    }

    @Test
    void aConfigurationIsPutReadBackAndDeleted() {
        String b = bucket("lc-crud");
        assertS3Error(404, "NoSuchLifecycleConfiguration", () -> s3.getBucketLifecycleConfiguration(r -> r.bucket(b)));
        lifecycle(b,
                rule("logs", "logs/").expiration(e -> e.days(30)).build(),
                LifecycleRule.builder().id("tmp").status(ExpirationStatus.DISABLED).filter(f -> f.and(a -> a
                        .prefix("tmp/").tags(Tag.builder().key("class").value("scratch").build())
                        .objectSizeGreaterThan(10L).objectSizeLessThan(1000L)))
                        .expiration(e -> e.date(Instant.parse("2031-01-01T00:00:00Z"))).build(),
                LifecycleRule.builder().status(ExpirationStatus.ENABLED).filter(f -> f.prefix(""))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(7).newerNoncurrentVersions(2))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(3)).build(),
                rule("markers", "").expiration(e -> e.expiredObjectDeleteMarker(true)).build());

        List<LifecycleRule> got = s3.getBucketLifecycleConfiguration(r -> r.bucket(b)).rules();
        assertEquals(4, got.size());
        assertEquals("logs", got.get(0).id());
        assertEquals(30, got.get(0).expiration().days());
        assertEquals("logs/", got.get(0).filter().prefix());
        assertEquals(ExpirationStatus.DISABLED, got.get(1).status());
        assertEquals("tmp/", got.get(1).filter().and().prefix());
        assertEquals("scratch", got.get(1).filter().and().tags().get(0).value());
        assertEquals(10L, got.get(1).filter().and().objectSizeGreaterThan());
        assertEquals(Instant.parse("2031-01-01T00:00:00Z"), got.get(1).expiration().date());
        assertNotNull(got.get(2).id(), "a rule without an ID gets one");
        assertTrue(got.get(2).id().length() > 10);
        assertEquals(7, got.get(2).noncurrentVersionExpiration().noncurrentDays());
        assertEquals(2, got.get(2).noncurrentVersionExpiration().newerNoncurrentVersions());
        assertEquals(3, got.get(2).abortIncompleteMultipartUpload().daysAfterInitiation());
        assertTrue(got.get(3).expiration().expiredObjectDeleteMarker());

        // a PUT replaces the whole configuration
        lifecycle(b, rule("only", "").expiration(e -> e.days(1)).build());
        assertEquals(List.of("only"), s3.getBucketLifecycleConfiguration(r -> r.bucket(b)).rules().stream()
                .map(LifecycleRule::id).toList());

        s3.deleteBucketLifecycle(r -> r.bucket(b));
        assertS3Error(404, "NoSuchLifecycleConfiguration", () -> s3.getBucketLifecycleConfiguration(r -> r.bucket(b)));
        s3.deleteBucketLifecycle(r -> r.bucket(b)); // deleting none is fine, as on AWS

        String missing = TestServer.uniqueBucket("lc-none");
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketLifecycleConfiguration(r -> r.bucket(missing)));
        assertS3Error(404, "NoSuchBucket", () -> lifecycle(missing, rule("a", "").expiration(e -> e.days(1)).build()));
        assertS3Error(404, "NoSuchBucket", () -> s3.deleteBucketLifecycle(r -> r.bucket(missing)));
    }

    @Test
    void badConfigurationsAreRefusedWithAwsCodesAndChangeNothing() {
        String b = bucket("lc-bad");
        lifecycle(b, rule("kept", "").expiration(e -> e.days(9)).build());
        assertS3Error(400, "InvalidArgument", () -> lifecycle(b, rule("a", "").expiration(e -> e.days(0)).build()));
        assertS3Error(400, "InvalidArgument", () -> lifecycle(b,
                rule("a", "").expiration(e -> e.date(Instant.parse("2031-01-01T10:00:00Z"))).build()));
        assertS3Error(400, "InvalidArgument", () -> lifecycle(b, rule("same", "a/").expiration(e -> e.days(1)).build(),
                rule("same", "b/").expiration(e -> e.days(2)).build()));
        assertS3Error(400, "InvalidArgument", () -> lifecycle(b,
                rule("a", "").noncurrentVersionExpiration(n -> n.noncurrentDays(-1)).build()));
        assertS3Error(400, "MalformedXML", () -> lifecycle(b,
                rule("a", "").expiration(e -> e.days(1).expiredObjectDeleteMarker(true)).build()));
        assertS3Error(400, "InvalidRequest", () -> lifecycle(b, rule("a", "").build()));
        assertS3Error(501, "NotImplemented", () -> lifecycle(b, rule("a", "")
                .transitions(t -> t.days(30).storageClass(TransitionStorageClass.GLACIER)).build()));
        // this server maps no storage class onto a protection of its own: a transition would move nothing
        assertS3Error(400, "InvalidStorageClass", () -> lifecycle(b, rule("a", "")
                .transitions(t -> t.days(30).storageClass(TransitionStorageClass.STANDARD_IA)).build()));
        assertS3Error(501, "NotImplemented", () -> lifecycle(b, rule("a", "").expiration(e -> e.days(1))
                .noncurrentVersionTransitions(t -> t.noncurrentDays(30).storageClass(TransitionStorageClass.GLACIER))
                .build()));

        // without Content-MD5 or a checksum the request is refused, as AWS refuses it
        byte[] doc = ("<LifecycleConfiguration><Rule><ID>x</ID><Filter/><Status>Enabled</Status>"
                + "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>")
                .getBytes(StandardCharsets.UTF_8);
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + b + "?lifecycle"), Map.of(), doc));
        assertRawError(400, "InvalidRequest", r);
        RawHttp.Response malformed = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + b + "?lifecycle"), Map.of("Content-MD5",
                        S3Asserts.md5Base64("<nope".getBytes(StandardCharsets.UTF_8))),
                "<nope".getBytes(StandardCharsets.UTF_8)));
        assertRawError(400, "MalformedXML", malformed);

        assertEquals(List.of("kept"), s3.getBucketLifecycleConfiguration(q -> q.bucket(b)).rules().stream()
                .map(LifecycleRule::id).toList());
    }

    @Test
    void anExpirationRuleRemovesTheObjectsItMatchesAndOnlyThem() throws Exception {
        String b = bucket("lc-expire");
        double before = metric("cairn_lifecycle_objects_expired_total");
        s3.putObject(q -> q.bucket(b).key("keep/c"), RequestBody.fromString("kept"));
        s3.putObject(q -> q.bucket(b).key("tmp/big").tagging("class=scratch"), RequestBody.fromString("x".repeat(100)));
        lifecycle(b, rule("tmp", "tmp/").expiration(e -> e.days(1)).build(),
                LifecycleRule.builder().id("scratch").status(ExpirationStatus.ENABLED).filter(f -> f.and(a -> a
                        .prefix("big/").tags(Tag.builder().key("class").value("scratch").build())
                        .objectSizeGreaterThan(50L))).expiration(e -> e.days(1)).build());
        var put = s3.putObject(q -> q.bucket(b).key("tmp/a"), RequestBody.fromString("a"));
        assertNotNull(put.expiration(), "x-amz-expiration on PUT");
        assertTrue(put.expiration().matches("expiry-date=\"\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT\", "
                + "rule-id=\"tmp\""), put.expiration());
        var copied = s3.copyObject(q -> q.sourceBucket(b).sourceKey("keep/c").destinationBucket(b)
                .destinationKey("tmp/copy"));
        assertEquals("tmp", ruleOf(copied.expiration()), "x-amz-expiration on CopyObject");
        String upload = s3.createMultipartUpload(q -> q.bucket(b).key("tmp/mpu")).uploadId();
        String etag = s3.uploadPart(q -> q.bucket(b).key("tmp/mpu").uploadId(upload).partNumber(1),
                RequestBody.fromString("part")).eTag();
        assertEquals("tmp", ruleOf(s3.completeMultipartUpload(q -> q.bucket(b).key("tmp/mpu").uploadId(upload)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag)))).expiration()),
                "x-amz-expiration on CompleteMultipartUpload");
        s3.putObject(q -> q.bucket(b).key("big/tagged").tagging("class=scratch"), RequestBody.fromString("y".repeat(80)));
        s3.putObject(q -> q.bucket(b).key("big/small").tagging("class=scratch"), RequestBody.fromString("small"));
        s3.putObject(q -> q.bucket(b).key("big/untagged"), RequestBody.fromString("z".repeat(80)));
        assertEquals("tmp", ruleOf(s3.headObject(q -> q.bucket(b).key("tmp/a")).expiration()));
        assertEquals("scratch", ruleOf(s3.getObjectAsBytes(q -> q.bucket(b).key("big/tagged")).response().expiration()));
        assertNull(s3.headObject(q -> q.bucket(b).key("keep/c")).expiration());
        assertNull(s3.headObject(q -> q.bucket(b).key("big/small")).expiration());

        await("tmp/ and big/tagged are gone", () -> !exists(b, "tmp/a") && !exists(b, "tmp/big")
                && !exists(b, "tmp/copy") && !exists(b, "tmp/mpu") && !exists(b, "big/tagged"));
        // three more lifecycle days: what no rule matches is still there
        long passes = status().getLong("passes");
        long until = System.currentTimeMillis() + 6_000;
        await("three more days of passes", () -> System.currentTimeMillis() > until
                && status().getLong("passes") > passes + 3);
        assertEquals("kept", s3.getObjectAsBytes(q -> q.bucket(b).key("keep/c")).asUtf8String());
        assertTrue(exists(b, "big/small") && exists(b, "big/untagged"));
        assertTrue(metric("cairn_lifecycle_objects_expired_total") >= before + 5);
        assertS3Error(404, "NoSuchKey", () -> s3.getObject(q -> q.bucket(b).key("tmp/a")));
    }

    private static String ruleOf(String expiration) {
        assertNotNull(expiration);
        Matcher m = Pattern.compile("rule-id=\"([^\"]*)\"").matcher(expiration);
        assertTrue(m.find(), expiration);
        return m.group(1);
    }

    @Test
    void noncurrentVersionsExpireAndThenTheLoneDeleteMarkerGoes() throws Exception {
        String b = bucket("lc-versions");
        s3.putBucketVersioning(q -> q.bucket(b).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        double noncurrentBefore = metric("cairn_lifecycle_noncurrent_versions_expired_total");
        double markersBefore = metric("cairn_lifecycle_delete_markers_removed_total");
        lifecycle(b, rule("old", "").noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build(),
                rule("markers", "").expiration(e -> e.expiredObjectDeleteMarker(true)).build());
        for (int i = 0; i < 3; i++) {
            String body = "v" + i;
            s3.putObject(q -> q.bucket(b).key("k"), RequestBody.fromString(body));
        }
        String current = s3.headObject(q -> q.bucket(b).key("k")).versionId();
        await("only the current version is left", () -> versions(b, "k").size() == 1);
        assertEquals(current, versions(b, "k").get(0).versionId());
        assertEquals("v2", s3.getObjectAsBytes(q -> q.bucket(b).key("k")).asUtf8String());

        s3.deleteObject(q -> q.bucket(b).key("k"));
        await("the key has no version and no delete marker left", () -> {
            var listing = s3.listObjectVersions(q -> q.bucket(b).prefix("k"));
            return listing.versions().isEmpty() && listing.deleteMarkers().isEmpty();
        });
        assertTrue(metric("cairn_lifecycle_noncurrent_versions_expired_total") >= noncurrentBefore + 3);
        assertTrue(metric("cairn_lifecycle_delete_markers_removed_total") >= markersBefore + 1);
    }

    @Test
    void anAbandonedMultipartUploadIsAborted() throws Exception {
        String b = bucket("lc-uploads");
        double before = metric("cairn_lifecycle_uploads_aborted_total");
        lifecycle(b, rule("uploads", "staging/").abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)).build());
        String abandoned = s3.createMultipartUpload(q -> q.bucket(b).key("staging/big")).uploadId();
        s3.uploadPart(q -> q.bucket(b).key("staging/big").uploadId(abandoned).partNumber(1),
                RequestBody.fromString("part one"));
        String other = s3.createMultipartUpload(q -> q.bucket(b).key("elsewhere/big")).uploadId();
        await("the staging upload is aborted", () -> s3.listMultipartUploads(q -> q.bucket(b)).uploads().stream()
                .noneMatch(u -> u.uploadId().equals(abandoned)));
        assertS3Error(404, "NoSuchUpload", () -> s3.uploadPart(q -> q.bucket(b).key("staging/big")
                .uploadId(abandoned).partNumber(2), RequestBody.fromString("late")));
        assertTrue(s3.listMultipartUploads(q -> q.bucket(b)).uploads().stream()
                .anyMatch(u -> u.uploadId().equals(other)), "an upload no rule matches stays");
        assertTrue(metric("cairn_lifecycle_uploads_aborted_total") >= before + 1);
    }

    @Test
    void aLockedVersionOutlivesItsRulesUntilTheLockIsLifted() throws Exception {
        String b = TestServer.uniqueBucket("lc-locked");
        s3.createBucket(q -> q.bucket(b).objectLockEnabledForBucket(true));
        String held = s3.putObject(q -> q.bucket(b).key("k").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromString("held")).versionId();
        double lockedBefore = metric("cairn_lifecycle_locked_skipped_total");
        lifecycle(b, rule("all", "").expiration(e -> e.days(1))
                .noncurrentVersionExpiration(n -> n.noncurrentDays(1)).build());

        // the current version gets a delete marker (allowed under a hold); the version itself stays
        await("a delete marker covers the held version", () -> !exists(b, "k"));
        await("the worker met the hold", () -> {
            try {
                return metric("cairn_lifecycle_locked_skipped_total") >= lockedBefore + 2;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("held", s3.getObjectAsBytes(q -> q.bucket(b).key("k").versionId(held)).asUtf8String());

        s3.putObjectLegalHold(q -> q.bucket(b).key("k").versionId(held).legalHold(h -> h.status(
                ObjectLockLegalHoldStatus.OFF)).checksumAlgorithm(ChecksumAlgorithm.CRC32));
        await("the version goes once its hold is lifted", () -> versions(b, "k").isEmpty());
    }

    @Test
    void theAdminApiShowsTheWorker() throws Exception {
        JsonObject s = status();
        assertEquals(2, s.getLong("daySeconds"));
        assertEquals(250, s.getLong("passIntervalMillis"));
        assertTrue(List.of("idle", "scanning").contains(s.getString("state")), s.encode());
        long passes = s.getLong("passes");
        assertEquals(202, AdminHttp.root(server, "POST", "/admin/lifecycle/run", null).statusCode());
        await("another pass", () -> status().getLong("passes") > passes);
        JsonObject last = status().getJsonObject("lastPass");
        assertNotNull(last.getString("finished"));
        assertTrue(last.getLong("errors") == 0, last.encode());
        assertNotNull(status().getJsonObject("totals").getLong("objectsExpired"));
        assertEquals(401, AdminHttp.send(server, "GET", "/admin/lifecycle", null, null, null).statusCode());
    }
}
