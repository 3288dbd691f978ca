package dev.cairn.s3.e2e;

import dev.cairn.s3.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.util.Arrays;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.md5Base64;
import static dev.cairn.s3.e2e.S3Asserts.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Encryption and versions together: each version of a key keeps its own protection (SSE-S3,
 * SSE-C, none) and reads back by version id with the key it needs; a locked SSE-C version stays
 * locked and keeps needing its key.
 */
class EncryptedVersionsTest {
    private static TestServer server;
    private static S3Client s3;
    private static final byte[] KEY = randomBytes(32, 11);

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(64 * 1024)
                .withEncryption(new ServerConfig.Encryption(null, ServerSideEncryptionTest.MASTER_KEY, true, true)));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @Test
    void everyVersionKeepsItsOwnEncryptionAndReadsBackByVersionId() {
        String bucket = TestServer.uniqueBucket("encver");
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        byte[] first = randomBytes(200_000, 12);
        byte[] second = randomBytes(150_000, 13);
        byte[] third = randomBytes(90_000, 14);
        PutObjectResponse v1 = s3.putObject(b -> b.bucket(bucket).key("k").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(first));
        PutObjectResponse v2 = s3.putObject(b -> b.bucket(bucket).key("k").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(ServerSideEncryptionTest.b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY)),
                RequestBody.fromBytes(second));
        PutObjectResponse v3 = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromBytes(third));

        ResponseBytes<GetObjectResponse> got1 = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v1.versionId()));
        assertEquals(ServerSideEncryption.AES256, got1.response().serverSideEncryption());
        assertArrayEquals(first, got1.asByteArray());
        assertS3Error(400, "InvalidRequest", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v2.versionId())));
        byte[] got2 = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").versionId(v2.versionId())
                .sseCustomerAlgorithm("AES256").sseCustomerKey(ServerSideEncryptionTest.b64(KEY))
                .sseCustomerKeyMD5(md5Base64(KEY)).range("bytes=70000-80000")).asByteArray();
        assertArrayEquals(Arrays.copyOfRange(second, 70_000, 80_001), got2);
        ResponseBytes<GetObjectResponse> current = s3.getObjectAsBytes(b -> b.bucket(bucket).key("k"));
        assertNull(current.response().serverSideEncryption());
        assertEquals(v3.versionId(), current.response().versionId());
        assertArrayEquals(third, current.asByteArray());

        // removing the newest version makes the SSE-C one current again, and it still needs its key
        s3.deleteObject(b -> b.bucket(bucket).key("k").versionId(v3.versionId()));
        assertS3Error(400, "InvalidRequest", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("k")));
        assertArrayEquals(second, s3.getObjectAsBytes(b -> b.bucket(bucket).key("k").sseCustomerAlgorithm("AES256")
                .sseCustomerKey(ServerSideEncryptionTest.b64(KEY)).sseCustomerKeyMD5(md5Base64(KEY))).asByteArray());
    }

    @Test
    void aLegalHoldOnAnEncryptedVersionBlocksItsDeletion() {
        String bucket = TestServer.uniqueBucket("enclock");
        s3.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
        byte[] data = randomBytes(100_000, 15);
        PutObjectResponse put = s3.putObject(b -> b.bucket(bucket).key("held").serverSideEncryption(ServerSideEncryption.AES256)
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON).contentMD5(md5Base64(data)),
                RequestBody.fromBytes(data));
        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(b -> b.bucket(bucket).key("held").versionId(put.versionId())));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("held").versionId(put.versionId())).asByteArray());
        s3.putObjectLegalHold(b -> b.bucket(bucket).key("held").versionId(put.versionId())
                .legalHold(h -> h.status(ObjectLockLegalHoldStatus.OFF)));
        s3.deleteObject(b -> b.bucket(bucket).key("held").versionId(put.versionId()));
        assertS3Error(404, "NoSuchKey", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("held")));
    }
}
