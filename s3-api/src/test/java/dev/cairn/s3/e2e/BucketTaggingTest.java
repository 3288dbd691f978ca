package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bucket tagging: Put/Get/DeleteBucketTagging, at most 50 tags, NoSuchTagSet when there are none. */
class BucketTaggingTest {
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

    private static Map<String, String> tagsOf(String bucket) {
        return s3.getBucketTagging(r -> r.bucket(bucket)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private static void putTags(String bucket, List<Tag> tags) {
        s3.putBucketTagging(r -> r.bucket(bucket).tagging(t -> t.tagSet(tags)));
    }

    private static List<Tag> tags(int n) {
        List<Tag> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Tag.builder().key("key-" + i).value("value " + i).build());
        }
        return out;
    }

    @Test
    void bucketTagsAreStoredReplacedAndDeleted() {
        String b = newBucket("btags");

        putTags(b, tags(3));
        assertEquals(Map.of("key-0", "value 0", "key-1", "value 1", "key-2", "value 2"), tagsOf(b));
        putTags(b, List.of(Tag.builder().key("cost-center").value("42").build()));
        assertEquals(Map.of("cost-center", "42"), tagsOf(b));

        int status = s3.deleteBucketTagging(r -> r.bucket(b)).sdkHttpResponse().statusCode();
        assertEquals(204, status);
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(r -> r.bucket(b)));
    }

    @Test
    void bucketWithoutTagsAnswersNoSuchTagSet() {
        String b = newBucket("btags-none");
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(r -> r.bucket(b)));
    }

    @Test
    void fiftyBucketTagsAreAcceptedAndFiftyOneRefusedWithInvalidTag() {
        String b = newBucket("btags-limit");

        putTags(b, tags(50));
        assertEquals(50, tagsOf(b).size());
        assertS3Error(400, "InvalidTag", () -> putTags(b, tags(51)));
        assertEquals(50, tagsOf(b).size());
    }

    @Test
    void invalidBucketTagsAreRefusedWithInvalidTag() {
        String b = newBucket("btags-invalid");
        assertS3Error(400, "InvalidTag", () -> putTags(b, List.of(Tag.builder().key("aws:x").value("v").build())));
        assertS3Error(400, "InvalidTag", () -> putTags(b, List.of(Tag.builder().key("k").value("1").build(),
                Tag.builder().key("k").value("2").build())));
        assertS3Error(400, "InvalidTag", () -> putTags(b, List.of(Tag.builder().key("k".repeat(129)).value("").build())));
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(r -> r.bucket(b)));
    }

    @Test
    void taggingAMissingBucketIsNoSuchBucket() {
        String missing = TestServer.uniqueBucket("btags-missing");
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketTagging(r -> r.bucket(missing)));
        assertS3Error(404, "NoSuchBucket", () -> putTags(missing, tags(1)));
        assertS3Error(404, "NoSuchBucket", () -> s3.deleteBucketTagging(r -> r.bucket(missing)));
    }

    @Test
    void bucketTagsGoWithTheBucket() {
        String b = newBucket("btags-gone");
        putTags(b, tags(2));
        s3.deleteBucket(r -> r.bucket(b));
        s3.createBucket(r -> r.bucket(b));
        assertS3Error(404, "NoSuchTagSet", () -> s3.getBucketTagging(r -> r.bucket(b)));
    }
}
