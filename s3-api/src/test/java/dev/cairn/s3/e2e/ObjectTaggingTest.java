package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Object tagging: Put/Get/DeleteObjectTagging, x-amz-tagging on writes, x-amz-tagging-count on reads, AWS's limits. */
class ObjectTaggingTest {
    private static final int CHUNK = 64 * 1024;
    private static TestServer server;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(CHUNK));
        s3 = server.client();
        bucket = TestServer.uniqueBucket("tagging");
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static Map<String, String> tagsOf(String key) {
        return s3.getObjectTagging(r -> r.bucket(bucket).key(key)).tagSet().stream()
                .collect(Collectors.toMap(Tag::key, Tag::value));
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static void putTags(String key, List<Tag> tags) {
        s3.putObjectTagging(r -> r.bucket(bucket).key(key).tagging(t -> t.tagSet(tags)));
    }

    private static Optional<String> tagCountHeader(String key) {
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
        return head.sdkHttpResponse().firstMatchingHeader("x-amz-tagging-count");
    }

    @Test
    void tagsGivenWithPutObjectAreReturnedAndCountedOnGetAndHead() {
        s3.putObject(r -> r.bucket(bucket).key("with-tags").tagging("project=cairn&team=storage%20core&empty="),
                RequestBody.fromString("tagged"));

        assertEquals(Map.of("project", "cairn", "team", "storage core", "empty", ""), tagsOf("with-tags"));
        assertEquals(3, s3.getObject(r -> r.bucket(bucket).key("with-tags")).response().tagCount());
        assertEquals(Optional.of("3"), tagCountHeader("with-tags"));
    }

    @Test
    void objectWithoutTagsHasAnEmptyTagSetAndNoTagCount() {
        S3Asserts.put(s3, bucket, "untagged", "plain".getBytes());
        assertEquals(Map.of(), tagsOf("untagged"));
        assertEquals(Optional.empty(), tagCountHeader("untagged"));
    }

    @Test
    void putObjectTaggingReplacesTheTagSetAndKeepsDataEtagAndLastModified() throws Exception {
        byte[] data = S3Asserts.randomBytes(3 * CHUNK + 5, 11);
        String etag = S3Asserts.put(s3, bucket, "retag", data).eTag();
        HeadObjectResponse before = s3.headObject(r -> r.bucket(bucket).key("retag"));
        Thread.sleep(1100); // Last-Modified has whole seconds: a rewrite would show

        putTags("retag", List.of(tag("a", "1"), tag("b", "2")));
        putTags("retag", List.of(tag("c", "3")));

        assertEquals(Map.of("c", "3"), tagsOf("retag"));
        HeadObjectResponse after = s3.headObject(r -> r.bucket(bucket).key("retag"));
        assertEquals(etag, after.eTag());
        assertEquals(before.lastModified(), after.lastModified());
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "retag"));
    }

    @Test
    void deleteObjectTaggingRemovesEveryTagAndKeepsTheObject() {
        s3.putObject(r -> r.bucket(bucket).key("untag").tagging("x=y"), RequestBody.fromString("keep me"));

        int status = s3.deleteObjectTagging(r -> r.bucket(bucket).key("untag")).sdkHttpResponse().statusCode();

        assertEquals(204, status);
        assertEquals(Map.of(), tagsOf("untag"));
        assertEquals(Optional.empty(), tagCountHeader("untag"));
        assertArrayEquals("keep me".getBytes(), S3Asserts.get(s3, bucket, "untag"));
    }

    @Test
    void tagsOverTheLimitAreRefusedWithInvalidTag() {
        S3Asserts.put(s3, bucket, "eleven", "x".getBytes());
        List<Tag> eleven = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            eleven.add(tag("k" + i, "v"));
            header.append(i == 0 ? "" : "&").append("k").append(i).append("=v");
        }

        assertS3Error(400, "InvalidTag", () -> putTags("eleven", eleven));
        assertS3Error(400, "InvalidTag", () -> s3.putObject(r -> r.bucket(bucket).key("eleven-put")
                .tagging(header.toString()), RequestBody.fromString("x")));

        assertEquals(Map.of(), tagsOf("eleven"));
        assertFalse(S3Asserts.allKeys(s3, bucket).contains("eleven-put"));
        putTags("eleven", eleven.subList(0, 10));
        assertEquals(10, tagsOf("eleven").size());
    }

    @Test
    void tagsBreakingAwsRulesAreRefusedWithInvalidTag() {
        S3Asserts.put(s3, bucket, "rules", "x".getBytes());
        String longKey = "k".repeat(129);
        String longValue = "v".repeat(257);

        assertS3Error(400, "InvalidTag", () -> putTags("rules", List.of(tag(longKey, "v"))));
        assertS3Error(400, "InvalidTag", () -> putTags("rules", List.of(tag("k", longValue))));
        assertS3Error(400, "InvalidTag", () -> putTags("rules", List.of(tag("same", "1"), tag("same", "2"))));
        assertS3Error(400, "InvalidTag", () -> putTags("rules", List.of(tag("aws:owner", "me"))));
        assertS3Error(400, "InvalidTag", () -> putTags("rules", List.of(tag("", "v"))));
        assertS3Error(400, "InvalidTag", () -> putTags("rules", List.of(tag("semi;colon", "v"))));
        assertS3Error(400, "InvalidTag", () -> s3.putObject(r -> r.bucket(bucket).key("rules-put")
                .tagging("aws:x=1"), RequestBody.fromString("x")));

        // the limits are Unicode characters, not bytes: 128 and 256 of them are fine
        putTags("rules", List.of(tag("\u00e9".repeat(128), "\u00fc".repeat(256)), tag("a-b_c.d:e/f=g+h@i j", "")));
        assertEquals(2, tagsOf("rules").size());
    }

    @Test
    void malformedTaggingDocumentIsRefusedWithMalformedXml() {
        S3Asserts.put(s3, bucket, "malformed", "x".getBytes());
        URI uri = URI.create(server.endpoint() + "/" + bucket + "/malformed?tagging");
        for (String body : List.of("<Tagging><Nope/></Tagging>", "not xml",
                "<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>")) {
            RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri, Map.of(), body.getBytes()));
            assertRawError(400, "MalformedXML", r);
        }
        assertEquals(Map.of(), tagsOf("malformed"));
    }

    @Test
    void taggingAMissingObjectIsNoSuchKey() {
        assertS3Error(404, "NoSuchKey", () -> s3.getObjectTagging(r -> r.bucket(bucket).key("absent")));
        assertS3Error(404, "NoSuchKey", () -> putTags("absent", List.of(tag("a", "b"))));
        assertS3Error(404, "NoSuchKey", () -> s3.deleteObjectTagging(r -> r.bucket(bucket).key("absent")));
        assertFalse(S3Asserts.allKeys(s3, bucket).contains("absent"));
        assertS3Error(404, "NoSuchBucket", () -> s3.getObjectTagging(r -> r.bucket("no-such-bucket-tags").key("k")));
    }

    @Test
    void tagsGivenWhenAMultipartUploadStartsLandOnTheCompletedObject() {
        String key = "multipart-tags";
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).tagging("stage=final&n=2"))
                .uploadId();
        byte[] part = S3Asserts.randomBytes(5 * 1024 * 1024, 3);
        String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(part)).eTag();
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));

        assertEquals(Map.of("stage", "final", "n", "2"), tagsOf(key));
        assertS3Error(400, "InvalidTag", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(key)
                .tagging("aws:reserved=1")));
    }

    @Test
    void taggingHeaderWithDuplicateKeysOrBadEncodingIsInvalidArgument() {
        assertS3Error(400, "InvalidArgument", () -> s3.putObject(r -> r.bucket(bucket).key("bad-header")
                .tagging("dup=1&dup=2"), RequestBody.fromString("x")));
        assertS3Error(400, "InvalidArgument", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key("bad-header")
                .tagging("k=%ZZ")));
        assertFalse(S3Asserts.allKeys(s3, bucket).contains("bad-header"));
    }

    @Test
    void copyObjectCopiesTagsByDefaultAndReplacesThemWhenAsked() {
        s3.putObject(r -> r.bucket(bucket).key("copy-src").tagging("origin=src"), RequestBody.fromString("data"));

        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copy-default"));
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copy-replaced").taggingDirective(TaggingDirective.REPLACE).tagging("fresh=yes"));
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copy-cleared").taggingDirective(TaggingDirective.REPLACE));

        assertEquals(Map.of("origin", "src"), tagsOf("copy-default"));
        assertEquals(Map.of("fresh", "yes"), tagsOf("copy-replaced"));
        assertEquals(Map.of(), tagsOf("copy-cleared"));
        assertEquals(Map.of("origin", "src"), tagsOf("copy-src"));
        assertS3Error(400, "InvalidArgument", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("copy-src")
                .destinationBucket(bucket).destinationKey("copy-bad").taggingDirective("MERGE")));
    }

    @Test
    void copyingAnObjectOntoItselfWithNewTagsReplacesOnlyItsTags() {
        s3.putObject(r -> r.bucket(bucket).key("self").tagging("v=1"), RequestBody.fromString("self data"));
        String etag = s3.headObject(r -> r.bucket(bucket).key("self")).eTag();

        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("self").destinationBucket(bucket).destinationKey("self")
                .taggingDirective(TaggingDirective.REPLACE).tagging("v=2"));

        assertEquals(Map.of("v", "2"), tagsOf("self"));
        assertEquals(etag, s3.headObject(r -> r.bucket(bucket).key("self")).eTag());
        assertTrue(new String(S3Asserts.get(s3, bucket, "self")).equals("self data"));
    }
}
