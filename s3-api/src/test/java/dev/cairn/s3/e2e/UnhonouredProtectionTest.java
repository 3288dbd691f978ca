package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cairn takes encryption headers only on the operations that honour them. A request that carries
 * an encryption header elsewhere is refused with 501 NotImplemented naming the header, and nothing is stored: a
 * silent 200 would tell a backup tool its data is encrypted or immutable when it is neither. Lock
 * headers on a bucket without object lock are InvalidRequest, as on AWS.
 */
class UnhonouredProtectionTest {
    private static TestServer server;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
        bucket = TestServer.uniqueBucket("unhonoured");
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static void assertRefusedAndNotStored(String key, String header, org.junit.jupiter.api.function.Executable put) {
        S3Exception e = assertS3Error(501, "NotImplemented", put);
        assertTrue(e.awsErrorDetails().errorMessage().contains(header), e.awsErrorDetails().errorMessage());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key(key)));
    }

    @Test
    void encryptionHeadersOnOperationsThatDoNotTakeThemAreRefused() {
        s3.putObject(b -> b.bucket(bucket).key("listed"), RequestBody.fromBytes(randomBytes(100, 1)));
        S3Exception e = assertS3Error(501, "NotImplemented", () -> s3.putObjectTagging(b -> b.bucket(bucket)
                .key("listed").tagging(t -> t.tagSet(x -> x.key("a").value("b")))
                .overrideConfiguration(o -> o.putHeader("x-amz-server-side-encryption", "AES256"))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("x-amz-server-side-encryption"));
        assertS3Error(501, "NotImplemented", () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key("listed")
                .overrideConfiguration(o -> o.putHeader("x-amz-server-side-encryption", "AES256"))));
    }

    @Test
    void objectLockHeadersOnABucketWithoutLockAreInvalidAndNothingIsStored() {
        S3Exception e = assertS3Error(400, "InvalidRequest", () -> s3.putObject(
                b -> b.bucket(bucket).key("locked").objectLockMode(ObjectLockMode.COMPLIANCE)
                        .objectLockRetainUntilDate(Instant.now().plus(30, ChronoUnit.DAYS)),
                RequestBody.fromBytes(randomBytes(1000, 5))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("Object Lock"), e.awsErrorDetails().errorMessage());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("locked")));
        assertS3Error(400, "InvalidRequest", () -> s3.putObject(
                b -> b.bucket(bucket).key("held").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON),
                RequestBody.fromBytes(randomBytes(1000, 6))));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("held")));
    }

    @Test
    void objectLockHeadersOnAMultipartUploadToABucketWithoutLockAreInvalid() {
        S3Exception e = assertS3Error(400, "InvalidRequest", () -> s3.createMultipartUpload(b -> b.bucket(bucket)
                .key("mpu").objectLockMode(ObjectLockMode.GOVERNANCE)
                .objectLockRetainUntilDate(Instant.now().plus(1, ChronoUnit.DAYS))));
        assertTrue(e.awsErrorDetails().errorMessage().contains("Object Lock"), e.awsErrorDetails().errorMessage());
        assertTrue(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().isEmpty());
    }

    @Test
    void plainWritesStillWork() {
        byte[] data = randomBytes(5000, 7);
        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromBytes(data));
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("plain")).asByteArray());
        String unlocked = TestServer.uniqueBucket("unlocked");
        s3.createBucket(b -> b.bucket(unlocked).objectLockEnabledForBucket(false));
        s3.headBucket(b -> b.bucket(unlocked));
    }
}
