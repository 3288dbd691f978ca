package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Range GETs (satisfiable, clamped, across chunk boundaries, unsatisfiable, malformed) and
 * conditional requests: If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since on
 * GET and HEAD with S3's precedence rules, and the conditional writes S3 supports (PUT with
 * If-None-Match: * or If-Match, DELETE with If-Match). 64 KiB chunks.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RangeAndConditionalRequestsTest {
    static final int CHUNK = 64 * 1024;

    private static TestServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(CHUNK));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @BeforeEach
    void bucket(TestInfo info) {
        bucket = TestServer.uniqueBucket(info.getTestMethod().orElseThrow().getName());
        s3.createBucket(r -> r.bucket(bucket));
    }

    private PutObjectResponse put(String key, byte[] data) {
        return S3Asserts.put(s3, bucket, key, data);
    }

    private ResponseBytes<GetObjectResponse> getRange(String key, String range) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).range(range));
    }

    // ------------------------------------------------------------------ ranges

    @Test
    void rangeGetServesFirstLastAndSuffixBytesWith206AndContentRange() {
        byte[] data = "0123456789".getBytes();
        put("r", data);

        var ab = getRange("r", "bytes=2-5");
        assertEquals(206, ab.response().sdkHttpResponse().statusCode());
        assertEquals("2345", ab.asUtf8String());
        assertEquals("bytes 2-5/10", ab.response().contentRange());
        assertEquals(4L, ab.response().contentLength());

        var from = getRange("r", "bytes=7-");
        assertEquals("789", from.asUtf8String());
        assertEquals("bytes 7-9/10", from.response().contentRange());

        var suffix = getRange("r", "bytes=-3");
        assertEquals("789", suffix.asUtf8String());
        assertEquals("bytes 7-9/10", suffix.response().contentRange());

        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("r").range("bytes=2-5"));
        assertEquals(206, head.sdkHttpResponse().statusCode());
        assertEquals(4L, head.contentLength());
        assertEquals("bytes 2-5/10", head.contentRange());
    }

    @Test
    void rangeEndingPastTheObjectIsClampedToItsSize() {
        put("r", "0123456789".getBytes());

        var tail = getRange("r", "bytes=5-1000");
        assertEquals(206, tail.response().sdkHttpResponse().statusCode());
        assertEquals("56789", tail.asUtf8String());
        assertEquals("bytes 5-9/10", tail.response().contentRange());

        var bigSuffix = getRange("r", "bytes=-1000");
        assertEquals("0123456789", bigSuffix.asUtf8String());
        assertEquals("bytes 0-9/10", bigSuffix.response().contentRange());
    }

    @Test
    void rangesAcrossChunkBoundariesReturnExactlyThoseBytes() {
        byte[] data = S3Asserts.randomBytes(5 * CHUNK + 123, 3);
        put("big", data);
        Random random = new Random(4);

        List<int[]> ranges = new ArrayList<>(List.of(
                new int[] {CHUNK - 1, CHUNK}, new int[] {CHUNK, 2 * CHUNK - 1}, new int[] {1, 4 * CHUNK + 7},
                new int[] {2 * CHUNK - 10, 3 * CHUNK + 10}, new int[] {data.length - 1, data.length - 1},
                new int[] {0, data.length - 1}));
        for (int i = 0; i < 10; i++) {
            int a = random.nextInt(data.length);
            ranges.add(new int[] {a, a + random.nextInt(data.length - a)});
        }
        for (int[] r : ranges) {
            var got = getRange("big", "bytes=" + r[0] + "-" + r[1]);
            assertArrayEquals(Arrays.copyOfRange(data, r[0], r[1] + 1), got.asByteArray(), "range " + r[0] + "-" + r[1]);
            assertEquals("bytes " + r[0] + "-" + r[1] + "/" + data.length, got.response().contentRange());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=10-", "bytes=10-20", "bytes=999-", "bytes=-0"})
    void unsatisfiableRangeIsInvalidRangeWithContentRangeOfTheSize(String range) {
        put("r", "0123456789".getBytes());

        var e = assertS3Error(416, "InvalidRange", () -> getRange("r", range));

        assertEquals("bytes */10", e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Content-Range").orElse(null));
    }

    @Test
    void unsatisfiableRangeOnTheWireCarriesContentRangeAndAnErrorDocument() {
        put("r", "0123456789".getBytes());

        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/" + bucket + "/r"), Map.of("Range", "bytes=20-30"), null));

        S3Asserts.assertRawError(416, "InvalidRange", r);
        assertEquals("bytes */10", r.header("Content-Range"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=abc", "bytes=5-2", "bytes=0-1,3-4", "items=0-1", "bytes=", "bytes=--1", "bytes=1-x",
            "0-5"})
    void malformedRangeIsIgnoredAndTheWholeObjectServed(String range) {
        put("r", "0123456789".getBytes());

        var got = getRange("r", range);

        assertEquals(200, got.response().sdkHttpResponse().statusCode());
        assertEquals("0123456789", got.asUtf8String());
        assertNull(got.response().contentRange());
    }

    // ------------------------------------------------------------------ conditional requests

    private HeadObjectResponse putForConditions() {
        put("c", "conditional".getBytes());
        return s3.headObject(r -> r.bucket(bucket).key("c"));
    }

    @Test
    void ifMatchWithTheCurrentEtagServesTheObject() {
        String etag = putForConditions().eTag();

        assertEquals("conditional", s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").ifMatch(etag)).asUtf8String());
        assertEquals(200, s3.headObject(r -> r.bucket(bucket).key("c").ifMatch(etag)).sdkHttpResponse().statusCode());
        assertEquals(200, s3.headObject(r -> r.bucket(bucket).key("c").ifMatch("*")).sdkHttpResponse().statusCode());
        assertEquals(200, s3.headObject(r -> r.bucket(bucket).key("c").ifMatch("\"nope\", " + etag))
                .sdkHttpResponse().statusCode());
    }

    @Test
    void ifMatchWithAnotherEtagIsPreconditionFailed() {
        putForConditions();

        assertS3Error(412, "PreconditionFailed",
                () -> s3.getObject(r -> r.bucket(bucket).key("c").ifMatch("\"0123456789abcdef0123456789abcdef\"")));
        assertS3Status(412, () -> s3.headObject(r -> r.bucket(bucket).key("c").ifMatch("\"other\"")));
    }

    @Test
    void ifNoneMatchWithTheCurrentEtagIsNotModifiedWithTheEtag() {
        String etag = putForConditions().eTag();

        var e = assertS3Status(304, () -> s3.getObject(r -> r.bucket(bucket).key("c").ifNoneMatch(etag)));
        assertEquals(etag, e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("ETag").orElse(null));
        assertS3Status(304, () -> s3.headObject(r -> r.bucket(bucket).key("c").ifNoneMatch(etag)));
        assertS3Status(304, () -> s3.headObject(r -> r.bucket(bucket).key("c").ifNoneMatch("*")));
    }

    @Test
    void ifNoneMatchWithAnotherEtagServesTheObject() {
        putForConditions();

        assertEquals("conditional",
                s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").ifNoneMatch("\"other\"")).asUtf8String());
    }

    @Test
    void ifModifiedSinceTheLastModificationIsNotModifiedAndSinceEarlierServes() {
        Instant lastModified = putForConditions().lastModified();

        assertS3Status(304, () -> s3.getObject(r -> r.bucket(bucket).key("c").ifModifiedSince(lastModified)));
        assertS3Status(304, () -> s3.headObject(r -> r.bucket(bucket).key("c").ifModifiedSince(lastModified)));
        assertEquals("conditional", s3.getObjectAsBytes(r -> r.bucket(bucket).key("c")
                .ifModifiedSince(lastModified.minusSeconds(1))).asUtf8String());
    }

    @Test
    void ifUnmodifiedSinceBeforeTheLastModificationIsPreconditionFailed() {
        Instant lastModified = putForConditions().lastModified();

        assertS3Error(412, "PreconditionFailed", () -> s3.getObject(r -> r.bucket(bucket).key("c")
                .ifUnmodifiedSince(lastModified.minusSeconds(1))));
        assertS3Status(412, () -> s3.headObject(r -> r.bucket(bucket).key("c")
                .ifUnmodifiedSince(lastModified.minusSeconds(1))));
        assertEquals("conditional", s3.getObjectAsBytes(r -> r.bucket(bucket).key("c")
                .ifUnmodifiedSince(lastModified)).asUtf8String());
    }

    @Test
    void ifMatchThatHoldsOverridesAFailingIfUnmodifiedSince() {
        HeadObjectResponse head = putForConditions();

        var got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").ifMatch(head.eTag())
                .ifUnmodifiedSince(head.lastModified().minusSeconds(3600)));

        assertEquals(200, got.response().sdkHttpResponse().statusCode());
        assertEquals("conditional", got.asUtf8String());
    }

    @Test
    void ifNoneMatchThatFailsOverridesAHoldingIfModifiedSince() {
        HeadObjectResponse head = putForConditions();

        assertS3Status(304, () -> s3.getObject(r -> r.bucket(bucket).key("c").ifNoneMatch(head.eTag())
                .ifModifiedSince(head.lastModified().minusSeconds(3600))));
    }

    @Test
    void ifNoneMatchThatHoldsMakesIfModifiedSinceIrrelevant() {
        HeadObjectResponse head = putForConditions();

        var got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").ifNoneMatch("\"other\"")
                .ifModifiedSince(head.lastModified().plusSeconds(3600)));

        assertEquals("conditional", got.asUtf8String());
    }

    @Test
    void failingIfMatchWinsOverAMatchingIfNoneMatch() {
        HeadObjectResponse head = putForConditions();

        assertS3Error(412, "PreconditionFailed", () -> s3.getObject(r -> r.bucket(bucket).key("c")
                .ifMatch("\"other\"").ifNoneMatch(head.eTag())));
    }

    @Test
    void unparseableConditionalDatesAreIgnored() {
        putForConditions();

        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/" + bucket + "/c"),
                Map.of("If-Modified-Since", "yesterday", "If-Unmodified-Since", "not a date"), null));

        assertEquals(200, r.status(), r::toString);
        assertEquals("conditional", r.text());
    }

    @Test
    void conditionsOnAMissingKeyAreNoSuchKey() {
        assertS3Error(404, "NoSuchKey", () -> s3.getObject(r -> r.bucket(bucket).key("missing").ifMatch("\"x\"")));
        assertS3Error(404, "NoSuchKey", () -> s3.getObject(r -> r.bucket(bucket).key("missing").ifNoneMatch("\"x\"")));
    }

    @Test
    void conditionalPutIfNoneMatchStarCreatesOnlyWhenTheKeyIsFree() {
        s3.putObject(r -> r.bucket(bucket).key("once").ifNoneMatch("*"), RequestBody.fromString("first"));

        assertS3Error(412, "PreconditionFailed", () -> s3.putObject(r -> r.bucket(bucket).key("once").ifNoneMatch("*"),
                RequestBody.fromBytes(S3Asserts.randomBytes(3 * CHUNK, 9))));

        assertEquals("first", s3.getObjectAsBytes(r -> r.bucket(bucket).key("once")).asUtf8String());
    }

    @Test
    void conditionalPutIfMatchReplacesOnlyTheExpectedVersion() {
        String etag = put("v", "version 1".getBytes()).eTag();

        assertS3Error(412, "PreconditionFailed", () -> s3.putObject(r -> r.bucket(bucket).key("v")
                .ifMatch("\"0123456789abcdef0123456789abcdef\""), RequestBody.fromString("lost update")));
        s3.putObject(r -> r.bucket(bucket).key("v").ifMatch(etag), RequestBody.fromString("version 2"));

        assertEquals("version 2", s3.getObjectAsBytes(r -> r.bucket(bucket).key("v")).asUtf8String());
    }

    @Test
    void conditionalDeleteIfMatchDeletesOnlyTheExpectedVersion() {
        String etag = put("d", "x".getBytes()).eTag();

        assertS3Error(412, "PreconditionFailed", () -> s3.deleteObject(r -> r.bucket(bucket).key("d")
                .ifMatch("\"0123456789abcdef0123456789abcdef\"")));
        assertEquals(List.of("d"), S3Asserts.allKeys(s3, bucket));

        s3.deleteObject(r -> r.bucket(bucket).key("d").ifMatch(etag));
        assertEquals(List.of(), S3Asserts.allKeys(s3, bucket));
    }
}
