package dev.cairn.s3.e2e;

import dev.cairn.s3.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.md5Base64;
import static dev.cairn.s3.e2e.S3Asserts.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SSE-S3, SSE-C, SSE-KMS (Cairn's keyring) and bucket default encryption end to end with the AWS
 * SDK: what each answers, the AWS errors for a missing, wrong or mistyped SSE-C key, and the
 * bytes and ranges read back. The server has 64 KiB chunks so objects span many chunks; it runs
 * plain HTTP with SSE-C allowed (SSE-C over TLS is in the tools module's TLS tests).
 */
class ServerSideEncryptionTest {
    static final String MASTER_KEY = Base64.getEncoder().encodeToString(randomBytes(32, 99));
    private static TestServer server;
    private static S3Client s3;
    private static String bucket;
    private static final byte[] KEY = randomBytes(32, 1);
    private static final byte[] OTHER_KEY = randomBytes(32, 2);

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(64 * 1024)
                .withEncryption(new ServerConfig.Encryption(null, MASTER_KEY, true, true)));
        s3 = server.client();
        bucket = TestServer.uniqueBucket("sse");
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    @Test
    void sseS3AnswersTheHeaderAndReadsBackEveryRange() {
        byte[] data = randomBytes(300_000, 3);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("s3").serverSideEncryption(
                ServerSideEncryption.AES256), RequestBody.fromBytes(data));
        assertEquals(ServerSideEncryption.AES256, put.serverSideEncryption());
        assertEquals("\"" + S3Asserts.md5Hex(data) + "\"", put.eTag());
        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("s3"));
        assertEquals(ServerSideEncryption.AES256, head.serverSideEncryption());
        assertEquals(data.length, head.contentLength());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("s3"));
        assertEquals(ServerSideEncryption.AES256, got.response().serverSideEncryption());
        assertArrayEquals(data, got.asByteArray());
        for (int[] r : new int[][]{{0, 0}, {65_530, 65_540}, {100_000, 299_999}, {131_072, 196_607}}) {
            byte[] part = s3.getObjectAsBytes(b -> b.bucket(bucket).key("s3").range("bytes=" + r[0] + "-" + r[1]))
                    .asByteArray();
            assertArrayEquals(Arrays.copyOfRange(data, r[0], r[1] + 1), part, "range " + r[0] + "-" + r[1]);
        }
    }

    @Test
    void sseCNeedsTheKeyOnEveryReadAndAnswersAwsErrors() {
        byte[] data = randomBytes(200_000, 4);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY)), RequestBody.fromBytes(data));
        assertEquals("AES256", put.sseCustomerAlgorithm());
        assertEquals(md5Base64(KEY), put.sseCustomerKeyMD5());
        assertNull(put.serverSideEncryption());

        assertS3Error(400, "InvalidRequest", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c")));
        S3Asserts.assertS3Status(400, () -> s3.headObject(b -> b.bucket(bucket).key("c")));
        assertS3Error(403, "AccessDenied", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(OTHER_KEY)).sseCustomerKeyMD5(md5Base64(OTHER_KEY))));
        S3Asserts.assertS3Status(403, () -> s3.headObject(b -> b.bucket(bucket).key("c")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(OTHER_KEY)).sseCustomerKeyMD5(md5Base64(OTHER_KEY))));
        assertS3Error(400, "InvalidArgument", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("c")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(OTHER_KEY))));
        assertS3Error(400, "InvalidEncryptionAlgorithmError", () -> s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("c").sseCustomerAlgorithm("AES128").sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))));

        HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY)));
        assertEquals(md5Base64(KEY), head.sseCustomerKeyMD5());
        byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY)).range("bytes=70000-140000")).asByteArray();
        assertArrayEquals(Arrays.copyOfRange(data, 70_000, 140_001), got);

        S3Asserts.assertS3Error(400, "InvalidRequest", () -> s3.getObjectAttributes(b -> b.bucket(bucket).key("c")
                .objectAttributes(software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE)));
        assertEquals(data.length, s3.getObjectAttributes(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))
                .objectAttributes(software.amazon.awssdk.services.s3.model.ObjectAttributes.OBJECT_SIZE)).objectSize());

        // a key sent for an object that has none is refused, not ignored
        s3.putObject(b -> b.bucket(bucket).key("plain-for-c"), RequestBody.fromBytes(data));
        assertS3Error(400, "InvalidRequest", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("plain-for-c")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))));
    }

    @Test
    void sseCMultipartNeedsTheKeyOnEachPartAndReadsAcrossParts() {
        String key = "c-mpu";
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))).uploadId();
        byte[] p1 = randomBytes(5 * 1024 * 1024, 5);
        byte[] p2 = randomBytes(100_000, 6);
        assertS3Error(400, "InvalidRequest", () -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .partNumber(1), RequestBody.fromBytes(p1)));
        assertS3Error(403, "AccessDenied", () -> s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .partNumber(1).sseCustomerAlgorithm("AES256").sseCustomerKey(b64(OTHER_KEY))
                .sseCustomerKeyMD5(md5Base64(OTHER_KEY)), RequestBody.fromBytes(p1)));
        List<CompletedPart> parts = new ArrayList<>();
        int n = 1;
        for (byte[] p : List.of(p1, p2)) {
            int number = n++;
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY)),
                    RequestBody.fromBytes(p)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        byte[] all = new byte[p1.length + p2.length];
        System.arraycopy(p1, 0, all, 0, p1.length);
        System.arraycopy(p2, 0, all, p1.length, p2.length);
        assertS3Error(400, "InvalidRequest", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
        byte[] got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))).asByteArray();
        assertArrayEquals(all, got);
        int from = p1.length - 1000;
        byte[] across = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))
                .range("bytes=" + from + "-" + (p1.length + 999))).asByteArray();
        assertArrayEquals(Arrays.copyOfRange(all, from, p1.length + 1000), across);
    }

    @Test
    void copiesReencryptBetweenKeysAndNeedTheSourceKey() {
        byte[] data = randomBytes(150_000, 7);
        s3.putObject(b -> b.bucket(bucket).key("copy-src").sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY))
                .sseCustomerKeyMD5(md5Base64(KEY)), RequestBody.fromBytes(data));
        assertS3Error(400, "InvalidRequest", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src")
                .destinationBucket(bucket).destinationKey("copy-dst")));
        assertS3Error(403, "AccessDenied", () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src")
                .destinationBucket(bucket).destinationKey("copy-dst")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(b64(OTHER_KEY))
                .copySourceSSECustomerKeyMD5(md5Base64(OTHER_KEY))));
        // SSE-C source -> SSE-C target under another key
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copy-dst").copySourceSSECustomerAlgorithm("AES256")
                .copySourceSSECustomerKey(b64(KEY)).copySourceSSECustomerKeyMD5(md5Base64(KEY))
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(OTHER_KEY)).sseCustomerKeyMD5(md5Base64(OTHER_KEY)));
        assertS3Error(403, "AccessDenied", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy-dst")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy-dst")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(OTHER_KEY))
                .sseCustomerKeyMD5(md5Base64(OTHER_KEY))).asByteArray());
        // SSE-C source -> SSE-S3 target
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("copy-src").destinationBucket(bucket)
                .destinationKey("copy-s3").copySourceSSECustomerAlgorithm("AES256")
                .copySourceSSECustomerKey(b64(KEY)).copySourceSSECustomerKeyMD5(md5Base64(KEY))
                .serverSideEncryption(ServerSideEncryption.AES256));
        ResponseBytes<GetObjectResponse> s3copy = s3.getObjectAsBytes(b -> b.bucket(bucket).key("copy-s3"));
        assertEquals(ServerSideEncryption.AES256, s3copy.response().serverSideEncryption());
        assertArrayEquals(data, s3copy.asByteArray());
        // UploadPartCopy of a range of the SSE-S3 copy into an SSE-C upload
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("part-copy").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))).uploadId();
        String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey("copy-s3").destinationBucket(bucket)
                .destinationKey("part-copy").uploadId(uploadId).partNumber(1).copySourceRange("bytes=1000-100999")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY)))
                .copyPartResult().eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("part-copy").uploadId(uploadId)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertArrayEquals(Arrays.copyOfRange(data, 1000, 101_000), s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("part-copy").sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY))
                .sseCustomerKeyMD5(md5Base64(KEY))).asByteArray());
    }

    @Test
    void sseKmsUsesKeyringKeysAndRefusesUnknownOnes() {
        assertS3Error(400, "KMS.NotFoundException", () -> s3.putObject(b -> b.bucket(bucket).key("kms-unknown")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId("no-such-key"),
                RequestBody.fromBytes(new byte[10])));
        String keyId = server.server().protection().keys().keyring().create();
        byte[] data = randomBytes(100_000, 8);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("kms").serverSideEncryption(
                ServerSideEncryption.AWS_KMS).ssekmsKeyId("arn:aws:kms:us-east-1:000000000000:key/" + keyId),
                RequestBody.fromBytes(data));
        assertEquals(ServerSideEncryption.AWS_KMS, put.serverSideEncryption());
        assertEquals(keyId, put.ssekmsKeyId());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket(bucket).key("kms"));
        assertEquals(keyId, got.response().ssekmsKeyId());
        assertArrayEquals(data, got.asByteArray());
        assertS3Error(501, "NotImplemented", () -> s3.putObject(b -> b.bucket(bucket).key("kms-context")
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(keyId)
                .ssekmsEncryptionContext(b64("{\"a\":\"b\"}".getBytes())), RequestBody.fromBytes(new byte[10])));
    }

    @Test
    void bucketDefaultEncryptionAppliesToNewObjects() {
        String b2 = TestServer.uniqueBucket("sse-default");
        s3.createBucket(b -> b.bucket(b2));
        assertS3Error(404, "ServerSideEncryptionConfigurationNotFoundError",
                () -> s3.getBucketEncryption(b -> b.bucket(b2)));
        s3.putBucketEncryption(b -> b.bucket(b2).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        assertEquals(ServerSideEncryption.AES256, s3.getBucketEncryption(b -> b.bucket(b2))
                .serverSideEncryptionConfiguration().rules().get(0).applyServerSideEncryptionByDefault().sseAlgorithm());
        byte[] data = randomBytes(70_000, 9);
        assertEquals(ServerSideEncryption.AES256, s3.putObject(b -> b.bucket(b2).key("inherits"),
                RequestBody.fromBytes(data)).serverSideEncryption());
        assertEquals(ServerSideEncryption.AES256, s3.headObject(b -> b.bucket(b2).key("inherits"))
                .serverSideEncryption());
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(b2).key("inherits")).asByteArray());
        assertS3Error(400, "KMS.NotFoundException", () -> s3.putBucketEncryption(b -> b.bucket(b2)
                .serverSideEncryptionConfiguration(c -> c.rules(r -> r.applyServerSideEncryptionByDefault(
                        d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID("missing"))))));
        s3.deleteBucketEncryption(b -> b.bucket(b2));
        assertS3Error(404, "ServerSideEncryptionConfigurationNotFoundError",
                () -> s3.getBucketEncryption(b -> b.bucket(b2)));
        assertNull(s3.putObject(b -> b.bucket(b2).key("after"), RequestBody.fromBytes(data)).serverSideEncryption());
    }

    @Test
    void aFlippedBitInAStoredPieceIsCaughtNeverReturned() throws Exception {
        java.util.Set<java.nio.file.Path> before = PieceFiles.under(server.dataDir());
        byte[] data = randomBytes(200_000, 10);
        s3.putObject(b -> b.bucket(bucket).key("tampered").sseCustomerAlgorithm("AES256").sseCustomerKey(b64(KEY))
                .sseCustomerKeyMD5(md5Base64(KEY)), RequestBody.fromBytes(data));
        java.util.Set<java.nio.file.Path> pieces = PieceFiles.under(server.dataDir());
        pieces.removeAll(before);
        assertEquals(4, pieces.size(), "200 KB in 64 KiB chunks, one copy each: " + pieces);
        for (java.nio.file.Path p : pieces) {
            PieceFiles.flipBitInTheMiddle(p);
        }
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("tampered").sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))));
        assertTrue(e instanceof software.amazon.awssdk.core.exception.SdkException, e.toString());
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("tampered").sseCustomerAlgorithm("AES256")
                        .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY)).range("bytes=70000-70100")));
    }

    @Test
    void sseCOverPlainHttpIsRefusedWithoutTheSwitch() {
        try (TestServer strict = TestServer.start(c -> c.withEncryption(
                new ServerConfig.Encryption(null, MASTER_KEY, true, false)));
             S3Client client = strict.client()) {
            String b = TestServer.uniqueBucket("strict");
            client.createBucket(x -> x.bucket(b));
            software.amazon.awssdk.services.s3.model.S3Exception e = assertS3Error(400, "InvalidRequest",
                    () -> client.putObject(x -> x.bucket(b).key("c").sseCustomerAlgorithm("AES256")
                            .sseCustomerKey(b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY)),
                            RequestBody.fromBytes(new byte[10])));
            assertTrue(e.awsErrorDetails().errorMessage().contains("secure connection"));
            // SSE-S3 needs no TLS
            client.putObject(x -> x.bucket(b).key("s3").serverSideEncryption(ServerSideEncryption.AES256),
                    RequestBody.fromBytes(new byte[10]));
        }
    }

    @Test
    void withoutAMasterKeySseS3IsRefusedClearly() {
        try (TestServer keyless = TestServer.start(); S3Client client = keyless.client()) {
            String b = TestServer.uniqueBucket("keyless");
            client.createBucket(x -> x.bucket(b));
            software.amazon.awssdk.services.s3.model.S3Exception e = assertS3Error(501, "NotImplemented",
                    () -> client.putObject(x -> x.bucket(b).key("s3").serverSideEncryption(ServerSideEncryption.AES256),
                            RequestBody.fromBytes(new byte[10])));
            assertTrue(e.awsErrorDetails().errorMessage().contains("master key"));
        }
    }
}
