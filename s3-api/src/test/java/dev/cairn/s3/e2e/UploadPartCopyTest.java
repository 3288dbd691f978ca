package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** UploadPartCopy with and without x-amz-copy-source-range, streamed chunk by chunk into the part. */
class UploadPartCopyTest {
    private static final int MIB = 1024 * 1024;
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(256 * 1024));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @Test
    void partsCopiedFromRangesOfAnObjectAssembleIntoIt() throws Exception {
        String bucket = TestServer.uniqueBucket("part-copy");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] source = new byte[6 * MIB + 12_345];
        new Random(5).nextBytes(source);
        s3.putObject(b -> b.bucket(bucket).key("src"), RequestBody.fromBytes(source));
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("dst")).uploadId();
        int split = 5 * MIB + 100; // not chunk-aligned
        var p1 = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket)
                .destinationKey("dst").uploadId(id).partNumber(1).copySourceRange("bytes=0-" + (split - 1)));
        var p2 = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket)
                .destinationKey("dst").uploadId(id).partNumber(2)
                .copySourceRange("bytes=" + split + "-" + (source.length - 1)));
        String md5First = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest(Arrays.copyOfRange(source, 0, split)));
        assertEquals("\"" + md5First + "\"", p1.copyPartResult().eTag());
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("dst").uploadId(id).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(p1.copyPartResult().eTag()).build(),
                CompletedPart.builder().partNumber(2).eTag(p2.copyPartResult().eTag()).build())));
        assertArrayEquals(source, s3.getObjectAsBytes(b -> b.bucket(bucket).key("dst")).asByteArray());
    }

    @Test
    void aWholeObjectBecomesAPartWithoutARange() {
        String bucket = TestServer.uniqueBucket("part-copy-whole");
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("small"), RequestBody.fromString("tiny inline object"));
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("dst")).uploadId();
        var p = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("small").destinationBucket(bucket)
                .destinationKey("dst").uploadId(id).partNumber(1));
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("dst").uploadId(id).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(p.copyPartResult().eTag()).build())));
        assertEquals("tiny inline object", s3.getObjectAsBytes(b -> b.bucket(bucket).key("dst")).asUtf8String());
    }

    @Test
    void badRangesAndMissingUploadsAreRefused() {
        String bucket = TestServer.uniqueBucket("part-copy-bad");
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("src"), RequestBody.fromBytes(new byte[1000]));
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key("dst")).uploadId();
        S3Exception outside = assertThrows(S3Exception.class, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                .sourceKey("src").destinationBucket(bucket).destinationKey("dst").uploadId(id).partNumber(1)
                .copySourceRange("bytes=0-1000")));
        assertEquals(400, outside.statusCode());
        assertEquals("InvalidArgument", outside.awsErrorDetails().errorCode());
        S3Exception noUpload = assertThrows(S3Exception.class, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                .sourceKey("src").destinationBucket(bucket).destinationKey("dst")
                .uploadId("0123456789abcdef0123456789abcdef").partNumber(1)));
        assertEquals(404, noUpload.statusCode());
        assertEquals("NoSuchUpload", noUpload.awsErrorDetails().errorCode());
        S3Exception noSource = assertThrows(S3Exception.class, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                .sourceKey("missing").destinationBucket(bucket).destinationKey("dst").uploadId(id).partNumber(1)));
        assertEquals("NoSuchKey", noSource.awsErrorDetails().errorCode());
    }
}
