package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A CompleteMultipartUpload retried after it succeeded (its answer lost to a timeout, or two
 * completions racing) answers 200 with the same ETag, checksum and location, as AWS does while
 * the upload id is recent, also after a restart; a retry naming other parts, or another key, is
 * NoSuchUpload. Parts are 5 MiB on a server with 256 KiB chunks.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CompleteRetryTest {
    static final int MIB = 1024 * 1024;

    private static TestServer server;
    private static S3Client s3;
    private String bucket;

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

    @BeforeEach
    void bucket(TestInfo info) {
        bucket = TestServer.uniqueBucket(info.getTestMethod().orElseThrow().getName());
        s3.createBucket(r -> r.bucket(bucket));
    }

    private record Upload(String id, List<CompletedPart> parts, byte[] bytes) {
    }

    /** An upload of two parts with CRC32 checksums, not yet completed. */
    private Upload upload(String key) {
        List<byte[]> data = List.of(S3Asserts.randomBytes(5 * MIB, key.hashCode()), S3Asserts.randomBytes(MIB, 7));
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            int n = i + 1;
            var up = s3.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(id).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32).build(), RequestBody.fromBytes(data.get(i)));
            parts.add(CompletedPart.builder().partNumber(n).eTag(up.eTag()).checksumCRC32(up.checksumCRC32()).build());
        }
        return new Upload(id, parts, S3Asserts.concat(data));
    }

    private CompleteMultipartUploadResponse complete(String key, Upload u, List<CompletedPart> parts) {
        return s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(u.id()).ifNoneMatch("*")
                .multipartUpload(m -> m.parts(parts)));
    }

    private static void assertSameAnswer(CompleteMultipartUploadResponse expected, CompleteMultipartUploadResponse got) {
        assertEquals(200, got.sdkHttpResponse().statusCode());
        assertEquals(expected.eTag(), got.eTag());
        assertEquals(expected.checksumCRC32(), got.checksumCRC32());
        assertEquals(expected.checksumType(), got.checksumType());
        assertEquals(expected.location(), got.location());
        assertEquals(expected.bucket(), got.bucket());
        assertEquals(expected.key(), got.key());
    }

    @Test
    void aRetriedCompleteAnswers200WithTheSameEtagChecksumAndLocation() {
        Upload u = upload("retried");
        CompleteMultipartUploadResponse first = complete("retried", u, u.parts());

        // the same request again, If-None-Match: * included: the completion it asks for happened
        CompleteMultipartUploadResponse retry = complete("retried", u, u.parts());

        assertSameAnswer(first, retry);
        assertArrayEquals(u.bytes(), S3Asserts.get(s3, bucket, "retried"));
        assertEquals(first.eTag(), s3.headObject(r -> r.bucket(bucket).key("retried")).eTag());

        server.restart();
        try (S3Client again = server.client()) {
            CompleteMultipartUploadResponse afterRestart = again.completeMultipartUpload(r -> r.bucket(bucket)
                    .key("retried").uploadId(u.id()).multipartUpload(m -> m.parts(u.parts())));
            assertSameAnswer(first, afterRestart);
        }
        s3.close();
        s3 = server.client();
    }

    @Test
    void aRetryNamingOtherPartsOrAnotherKeyIsNoSuchUpload() {
        Upload u = upload("other-parts");
        CompleteMultipartUploadResponse first = complete("other-parts", u, u.parts());

        assertS3Error(404, "NoSuchUpload", () -> complete("other-parts", u, u.parts().subList(0, 1)));
        List<CompletedPart> wrongEtag = List.of(u.parts().get(0),
                u.parts().get(1).toBuilder().eTag("\"0123456789abcdef0123456789abcdef\"").build());
        assertS3Error(404, "NoSuchUpload", () -> complete("other-parts", u, wrongEtag));
        assertS3Error(404, "NoSuchUpload", () -> complete("another-key", u, u.parts()));

        assertEquals(first.eTag(), s3.headObject(r -> r.bucket(bucket).key("other-parts")).eTag());
        assertArrayEquals(u.bytes(), S3Asserts.get(s3, bucket, "other-parts"));
        assertEquals(List.of("other-parts"), S3Asserts.allKeys(s3, bucket));
    }

    @Test
    void racingCompletesOfOneUploadAllAnswerTheSameEtag() throws Exception {
        Upload u = upload("raced");
        int clients = 6;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<CompleteMultipartUploadResponse>> answers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return s3.completeMultipartUpload(r -> r.bucket(bucket).key("raced").uploadId(u.id())
                        .multipartUpload(m -> m.parts(u.parts())));
            }));
        }
        go.countDown();
        CompleteMultipartUploadResponse first = answers.get(0).get(60, TimeUnit.SECONDS);
        for (Future<CompleteMultipartUploadResponse> f : answers) {
            assertSameAnswer(first, f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertArrayEquals(u.bytes(), S3Asserts.get(s3, bucket, "raced"));
    }
}
