package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CreateBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation/Versioning, and what missing buckets answer. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BucketOperationsTest {
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

    private static String newBucket(String hint) {
        String b = TestServer.uniqueBucket(hint);
        s3.createBucket(r -> r.bucket(b));
        return b;
    }

    @Test
    void createBucketTwiceByOwnerSucceedsAsUsEast1Does() {
        String b = newBucket("twice");
        S3Asserts.put(s3, b, "k", new byte[] {1, 2, 3});

        s3.createBucket(r -> r.bucket(b));

        // the second create must not have reset the bucket
        assertArrayEquals(new byte[] {1, 2, 3}, S3Asserts.get(s3, b, "k"));
        long listed = s3.listBuckets().buckets().stream().filter(x -> x.name().equals(b)).count();
        assertEquals(1, listed);
    }

    @Test
    void createdBucketIsListedWithCreationDateAndOwner() {
        Instant before = Instant.now().minusSeconds(2);
        String b = newBucket("listed");

        ListBucketsResponse list = s3.listBuckets();

        Bucket bucket = list.buckets().stream().filter(x -> x.name().equals(b)).findFirst().orElseThrow();
        assertTrue(!bucket.creationDate().isBefore(before) && bucket.creationDate().isBefore(Instant.now().plusSeconds(2)),
                "creation date " + bucket.creationDate());
        assertNotNull(list.owner());
        assertNotNull(list.owner().id());
    }

    @Test
    void headBucketAnswersOkWithRegionForExistingBucket() {
        String b = newBucket("head");

        HeadBucketResponse head = s3.headBucket(r -> r.bucket(b));

        assertEquals(200, head.sdkHttpResponse().statusCode());
        assertEquals("us-east-1", head.bucketRegion());
    }

    @Test
    void headBucketOfMissingBucketIsNotFound() {
        var e = assertS3Error(404, "NoSuchBucket", () -> s3.headBucket(r -> r.bucket(TestServer.uniqueBucket("nope"))));
        assertInstanceOf(NoSuchBucketException.class, e);
    }

    @Test
    void deleteEmptyBucketRemovesIt() {
        String b = newBucket("del");

        var response = s3.deleteBucket(r -> r.bucket(b));

        assertEquals(204, response.sdkHttpResponse().statusCode());
        assertS3Error(404, "NoSuchBucket", () -> s3.headBucket(r -> r.bucket(b)));
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(x -> x.name().equals(b)));
        assertS3Error(404, "NoSuchBucket", () -> s3.listObjectsV2(r -> r.bucket(b)));
    }

    @Test
    void deleteBucketWithObjectsIsBucketNotEmptyAndKeepsEverything() {
        String b = newBucket("notempty");
        S3Asserts.put(s3, b, "keep", "data".getBytes());

        assertS3Error(409, "BucketNotEmpty", () -> s3.deleteBucket(r -> r.bucket(b)));

        assertArrayEquals("data".getBytes(), S3Asserts.get(s3, b, "keep"));
    }

    @Test
    void deleteMissingBucketIsNoSuchBucket() {
        assertS3Error(404, "NoSuchBucket", () -> s3.deleteBucket(r -> r.bucket(TestServer.uniqueBucket("gone"))));
    }

    @Test
    void bucketLocationOfUsEast1BucketIsEmpty() {
        String b = newBucket("loc");

        var location = s3.getBucketLocation(r -> r.bucket(b));

        String constraint = location.locationConstraintAsString();
        assertTrue(constraint == null || constraint.isEmpty(), "us-east-1 is an empty LocationConstraint, got " + constraint);
    }

    @Test
    void createBucketWithAnotherRegionsConstraintIsIllegalLocationConstraint() {
        String b = TestServer.uniqueBucket("eu");

        assertS3Error(400, "IllegalLocationConstraintException", () -> s3.createBucket(r -> r.bucket(b)
                .createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.EU_WEST_1))));

        assertS3Error(404, "NoSuchBucket", () -> s3.headBucket(r -> r.bucket(b)));
    }

    @Test
    void versioningOfANewBucketHasNoStatus() {
        String b = newBucket("ver");

        var v = s3.getBucketVersioning(r -> r.bucket(b));

        assertEquals(200, v.sdkHttpResponse().statusCode());
        assertEquals(null, v.status());
    }

    @Test
    void operationsOnAMissingBucketAreNoSuchBucket() {
        String b = TestServer.uniqueBucket("missing");

        assertS3Error(404, "NoSuchBucket", () -> s3.listObjects(r -> r.bucket(b)));
        assertS3Error(404, "NoSuchBucket", () -> s3.listObjectsV2(r -> r.bucket(b)));
        assertS3Error(404, "NoSuchBucket", () -> s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("x")));
        assertS3Error(404, "NoSuchBucket", () -> s3.getObject(r -> r.bucket(b).key("k")));
        assertS3Error(404, "NoSuchBucket", () -> s3.deleteObject(r -> r.bucket(b).key("k")));
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketLocation(r -> r.bucket(b)));
        assertS3Error(404, "NoSuchBucket", () -> s3.listMultipartUploads(r -> r.bucket(b)));
        assertS3Error(404, "NoSuchBucket", () -> s3.createMultipartUpload(r -> r.bucket(b).key("k")));
        assertS3Error(404, "NoSuchBucket", () -> s3.deleteObjects(r -> r.bucket(b)
                .delete(d -> d.objects(o -> o.key("k")))));
        // none of this may have created the bucket
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(x -> x.name().equals(b)));
    }

    @Test
    void unimplementedBucketOperationsAreNotImplemented() {
        String b = newBucket("nyi");

        assertS3Error(501, "NotImplemented", () -> s3.getBucketWebsite(r -> r.bucket(b)));
        assertS3Error(501, "NotImplemented", () -> s3.getBucketAnalyticsConfiguration(r -> r.bucket(b).id("a")));
        assertS3Error(501, "NotImplemented", () -> s3.getBucketLogging(r -> r.bucket(b)));
    }

    @Test
    void notImplementedAnswerIsAnS3ErrorDocumentNamingTheOperation() {
        String b = newBucket("nyixml");

        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/" + b + "?website"), Map.of(), null));

        assertEquals(501, r.status());
        assertEquals("NotImplemented", r.errorCode());
        assertTrue(r.header("Content-Type").startsWith("application/xml"), r.header("Content-Type"));
        assertTrue(r.text().contains("GetBucketWebsite"), r.text());
        assertTrue(r.text().contains("<RequestId>" + r.header("x-amz-request-id") + "</RequestId>"), r.text());
    }

    @Test
    void bucketsAndObjectsSurviveARestart() {
        String b = newBucket("restart");
        byte[] small = "inline".getBytes();
        byte[] large = S3Asserts.randomBytes(5 * 1024 * 1024 + 17, 7);
        S3Asserts.put(s3, b, "small", small);
        S3Asserts.put(s3, b, "large", large);
        String uploadId = s3.createMultipartUpload(r -> r.bucket(b).key("unfinished")).uploadId();
        String partEtag = s3.uploadPart(r -> r.bucket(b).key("unfinished").uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(large)).eTag();

        s3.close();
        server.restart();
        s3 = server.client();

        assertEquals(200, s3.headBucket(r -> r.bucket(b)).sdkHttpResponse().statusCode());
        assertArrayEquals(small, S3Asserts.get(s3, b, "small"));
        assertArrayEquals(large, S3Asserts.get(s3, b, "large"));
        assertEquals(List.of("large", "small"), S3Asserts.allKeys(s3, b));
        assertEquals(partEtag, s3.listParts(r -> r.bucket(b).key("unfinished").uploadId(uploadId)).parts().get(0).eTag());
        s3.completeMultipartUpload(r -> r.bucket(b).key("unfinished").uploadId(uploadId).multipartUpload(m -> m.parts(
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(1).eTag(partEtag).build())));
        assertArrayEquals(large, S3Asserts.get(s3, b, "unfinished"));
    }
}
