package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import java.util.ArrayList;
import java.util.List;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Status;
import static dev.cairn.s3.e2e.S3Asserts.checksumOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * GetObject and HeadObject with {@code partNumber}: the part's checksum under
 * {@code x-amz-checksum-mode: ENABLED}, and the answers to part numbers the object does not have.
 * Parts are S3's 5 MiB minimum on a server with 256 KiB chunks.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PartReadsTest {
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

    /** A two-part object uploaded with {@code alg} checksums of type {@code type}; returns the parts' bytes. */
    private List<byte[]> uploadTwoParts(String key, String alg, ChecksumType type) {
        List<byte[]> data = List.of(S3Asserts.randomBytes(5 * MIB, 11), S3Asserts.randomBytes(MIB + 3, 12));
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)
                .checksumAlgorithm(S3Asserts.sdkAlgorithm(alg)).checksumType(type)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            int n = i + 1;
            UploadPartRequest.Builder b = UploadPartRequest.builder().bucket(bucket).key(key).uploadId(id).partNumber(n);
            var up = s3.uploadPart(S3Asserts.withChecksum(b, alg, S3Asserts.checksum(alg, data.get(i))).build(),
                    RequestBody.fromBytes(data.get(i)));
            parts.add(S3Asserts.withChecksum(CompletedPart.builder().partNumber(n).eTag(up.eTag()), alg,
                    checksumOf(up, alg)).build());
        }
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id).multipartUpload(m -> m.parts(parts)));
        return data;
    }

    @Test
    void partReadsWithChecksumModeReturnThePartsChecksumAndTheObjectsChecksumType() {
        for (var c : List.of(new Object[] {"CRC32", ChecksumType.COMPOSITE}, new Object[] {"CRC32C", ChecksumType.FULL_OBJECT})) {
            String alg = (String) c[0];
            ChecksumType type = (ChecksumType) c[1];
            String key = "parts-" + alg;
            List<byte[]> data = uploadTwoParts(key, alg, type);
            for (int n = 1; n <= 2; n++) {
                int part = n;
                String expected = S3Asserts.checksum(alg, data.get(n - 1));
                HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key).partNumber(part)
                        .checksumMode(ChecksumMode.ENABLED));
                assertEquals(expected, checksumOf(head, alg), alg + " HEAD part " + n);
                assertEquals(type, head.checksumType(), alg + " HEAD part " + n);
                var get = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).partNumber(part)
                        .checksumMode(ChecksumMode.ENABLED));
                assertEquals(expected, checksumOf(get.response(), alg), alg + " GET part " + n);
                assertEquals(type, get.response().checksumType(), alg + " GET part " + n);
                assertArrayEquals(data.get(n - 1), get.asByteArray());
                assertNull(checksumOf(s3.headObject(r -> r.bucket(bucket).key(key).partNumber(part)), alg),
                        "only with checksum mode");
            }
        }
    }

    @Test
    void partOneOfAnObjectUploadedInOnePieceIsTheWholeObjectWithItsChecksum() {
        byte[] data = S3Asserts.randomBytes(100_000, 5);
        s3.putObject(r -> r.bucket(bucket).key("single").checksumCRC32(S3Asserts.checksum("CRC32", data)),
                RequestBody.fromBytes(data));
        var get = s3.getObjectAsBytes(r -> r.bucket(bucket).key("single").partNumber(1)
                .checksumMode(ChecksumMode.ENABLED));
        assertArrayEquals(data, get.asByteArray());
        assertEquals(S3Asserts.checksum("CRC32", data), get.response().checksumCRC32());
        assertEquals(ChecksumType.FULL_OBJECT, get.response().checksumType());
        assertEquals(1, get.response().partsCount());
    }

    /** AWS answers 400 InvalidPart for a part the object does not have, not 416. */
    @Test
    void aPartNumberBeyondTheObjectsPartsIsInvalidPart() {
        uploadTwoParts("two", "CRC32", ChecksumType.COMPOSITE);
        S3Asserts.put(s3, bucket, "one", "single".getBytes());
        assertS3Error(400, "InvalidPart", () -> s3.getObject(r -> r.bucket(bucket).key("two").partNumber(3)));
        assertS3Status(400, () -> s3.headObject(r -> r.bucket(bucket).key("two").partNumber(3)));
        assertS3Error(400, "InvalidPart", () -> s3.getObject(r -> r.bucket(bucket).key("one").partNumber(2)));
        assertS3Status(400, () -> s3.headObject(r -> r.bucket(bucket).key("one").partNumber(2)));
    }

    @Test
    void aPartNumberWithARangeIsInvalidRequest() {
        S3Asserts.put(s3, bucket, "one", "single".getBytes());
        assertS3Error(400, "InvalidRequest", () -> s3.getObject(r -> r.bucket(bucket).key("one").partNumber(1)
                .range("bytes=0-1")));
    }
}
