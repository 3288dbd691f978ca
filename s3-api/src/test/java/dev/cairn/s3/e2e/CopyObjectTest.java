package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.md5Hex;
import static dev.cairn.s3.e2e.S3Asserts.quoted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * CopyObject with the SDK: within and across buckets, the metadata directive, the copy-source
 * conditions, checksums, the CopyObjectResult document and the errors AWS answers.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CopyObjectTest {
    private static final int CHUNK = 64 * 1024;

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

    private byte[] putSource(String key, int size) {
        byte[] data = S3Asserts.randomBytes(size, key.hashCode());
        s3.putObject(r -> r.bucket(bucket).key(key).contentType("text/x-source").metadata(Map.of("origin", "src")),
                RequestBody.fromBytes(data));
        return data;
    }

    @Test
    void copyToAnotherBucketStreamsEveryChunkAndAnswersCopyObjectResult() {
        byte[] data = putSource("big", 7 * CHUNK / 2 + 11);
        String other = TestServer.uniqueBucket("copy-target");
        s3.createBucket(r -> r.bucket(other));
        CopyObjectResponse copied = s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("big")
                .destinationBucket(other).destinationKey("copy/of/big"));
        assertEquals(quoted(md5Hex(data)), copied.copyObjectResult().eTag());
        assertNotNull(copied.copyObjectResult().lastModified());
        assertArrayEquals(data, S3Asserts.get(s3, other, "copy/of/big"));
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "big"), "the source is untouched");
    }

    @Test
    void defaultCopyDirectiveKeepsTheSourcesMetadataAndContentType() {
        putSource("src", 1000);
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("dst")
                .metadata(Map.of("ignored", "yes")).contentType("text/ignored"));
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("dst"));
        assertEquals(Map.of("origin", "src"), head.metadata());
        assertEquals("text/x-source", head.contentType());
    }

    @Test
    void replaceDirectiveTakesTheRequestsMetadataAndContentType() {
        byte[] data = putSource("src", 1000);
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("dst")
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("fresh", "1")).contentType("text/plain"));
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("dst"));
        assertEquals(Map.of("fresh", "1"), head.metadata());
        assertEquals("text/plain", head.contentType());
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "dst"));
    }

    @Test
    void copyOntoItselfWithoutReplaceIsInvalidRequest() {
        putSource("self", 100);
        assertS3Error(400, "InvalidRequest", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("self")
                .destinationBucket(bucket).destinationKey("self")));
    }

    @Test
    void unknownMetadataDirectiveIsInvalidArgument() {
        putSource("src", 100);
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri("/dst"),
                Map.of("x-amz-copy-source", "/" + bucket + "/src", "x-amz-metadata-directive", "MERGE"), null));
        assertRawError(400, "InvalidArgument", r);
    }

    @Test
    void copySourceConditionsThatHoldCopyAndThatFailArePreconditionFailed() {
        putSource("src", 500);
        String etag = s3.headObject(r -> r.bucket(bucket).key("src")).eTag();
        Instant past = Instant.now().minus(1, ChronoUnit.DAYS);
        Instant future = Instant.now().plus(1, ChronoUnit.DAYS);

        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("a")
                .copySourceIfMatch(etag).copySourceIfUnmodifiedSince(future));
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("b")
                .copySourceIfNoneMatch("\"0123\"").copySourceIfModifiedSince(past));

        assertS3Error(412, "PreconditionFailed", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("c").copySourceIfMatch("\"0123\"")));
        assertS3Error(412, "PreconditionFailed", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("c").copySourceIfNoneMatch(etag)));
        assertS3Error(412, "PreconditionFailed", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("c").copySourceIfUnmodifiedSince(past)));
        assertS3Error(412, "PreconditionFailed", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(bucket).destinationKey("c").copySourceIfModifiedSince(future)));
        assertS3Error(404, "NoSuchKey", () -> s3.headObject(r -> r.bucket(bucket).key("c")));
    }

    @Test
    void copySourceRangeIsRefusedOnCopyObject() {
        putSource("src", 100);
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri("/dst"),
                Map.of("x-amz-copy-source", "/" + bucket + "/src", "x-amz-copy-source-range", "bytes=0-9"), null));
        assertRawError(400, "InvalidRequest", r);
        assertS3Error(404, "NoSuchKey", () -> s3.headObject(h -> h.bucket(bucket).key("dst")));
    }

    @Test
    void copyFromAMissingKeyOrBucketIsNoSuchKeyOrNoSuchBucket() {
        assertS3Error(404, "NoSuchKey", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("absent")
                .destinationBucket(bucket).destinationKey("dst")));
        assertS3Error(404, "NoSuchBucket", () -> s3.copyObject(r -> r.sourceBucket(TestServer.uniqueBucket("absent"))
                .sourceKey("k").destinationBucket(bucket).destinationKey("dst")));
        putSource("src", 10);
        assertS3Error(404, "NoSuchBucket", () -> s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src")
                .destinationBucket(TestServer.uniqueBucket("absent")).destinationKey("dst")));
    }

    @Test
    void checksumIsCarriedOverAndRecomputedWhenAnotherAlgorithmIsAsked() {
        byte[] data = S3Asserts.randomBytes(3 * CHUNK + 5, 77);
        s3.putObject(r -> r.bucket(bucket).key("src").checksumAlgorithm(ChecksumAlgorithm.CRC32_C),
                RequestBody.fromBytes(data));

        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("same"));
        HeadObjectResponse same = s3.headObject(r -> r.bucket(bucket).key("same").checksumMode(ChecksumMode.ENABLED));
        assertEquals(S3Asserts.checksum("CRC32C", data), same.checksumCRC32C());

        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("sha")
                .checksumAlgorithm(ChecksumAlgorithm.SHA256));
        HeadObjectResponse sha = s3.headObject(r -> r.bucket(bucket).key("sha").checksumMode(ChecksumMode.ENABLED));
        assertEquals(S3Asserts.checksum("SHA256", data), sha.checksumSHA256());
        assertNull(sha.checksumCRC32C());
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "sha"));
    }

    private URI uri(String path) {
        return URI.create(server.endpoint() + "/" + bucket + path);
    }
}
