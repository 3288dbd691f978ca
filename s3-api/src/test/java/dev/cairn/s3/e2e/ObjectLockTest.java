package dev.cairn.s3.e2e;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.GetObjectLockConfigurationResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

/**
 * S3 object lock end to end with the AWS SDK: a bucket created with object lock is versioned and
 * stays so; a version under COMPLIANCE retention or a legal hold cannot be deleted by anyone, root
 * included, and its retention cannot be shortened; GOVERNANCE gives way only to a request that
 * bypasses it and holds s3:BypassGovernanceRetention; default retention applies to new versions;
 * lock parameters need Content-MD5 or a checksum, as on AWS.
 */
class ObjectLockTest {
    private static TestServer server;
    private static S3Client s3;
    private static IamClient iam;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
        iam = server.iamClient();
    }

    @AfterAll
    static void stop() {
        iam.close();
        s3.close();
        server.close();
    }

    private static String lockedBucket(String hint) {
        String b = TestServer.uniqueBucket(hint);
        s3.createBucket(r -> r.bucket(b).objectLockEnabledForBucket(true));
        return b;
    }

    /** A PUT with a lock, carrying a CRC32 checksum as AWS requires. */
    private static String putLocked(String bucket, String key, byte[] data, ObjectLockMode mode, Instant until) {
        return s3.putObject(r -> r.bucket(bucket).key(key).objectLockMode(mode).objectLockRetainUntilDate(until)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(data)).versionId();
    }

    @Test
    void aBucketCreatedWithObjectLockIsVersionedForGood() {
        String b = lockedBucket("lock-bucket");
        assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket(b)).status());
        GetObjectLockConfigurationResponse config = s3.getObjectLockConfiguration(r -> r.bucket(b));
        assertEquals(ObjectLockEnabled.ENABLED, config.objectLockConfiguration().objectLockEnabled());
        assertNull(config.objectLockConfiguration().rule());
        assertS3Error(409, "InvalidBucketState", () -> s3.putBucketVersioning(r -> r.bucket(b)
                .versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED))));

        String plain = TestServer.uniqueBucket("lock-none");
        s3.createBucket(r -> r.bucket(plain));
        assertS3Error(404, "ObjectLockConfigurationNotFoundError", () -> s3.getObjectLockConfiguration(r -> r.bucket(plain)));
        assertS3Error(409, "InvalidBucketState", () -> s3.putObjectLockConfiguration(r -> r.bucket(plain)
                .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED))));
        s3.putObject(r -> r.bucket(plain).key("k"), RequestBody.fromString("x"));
        assertS3Error(400, "InvalidRequest", () -> s3.getObjectRetention(r -> r.bucket(plain).key("k")));
    }

    @Test
    void complianceRetentionProtectsAVersionFromEveryoneRootIncluded() {
        String b = lockedBucket("lock-compliance");
        byte[] data = S3Asserts.randomBytes(100_000, 11);
        Instant until = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String v = putLocked(b, "k", data, ObjectLockMode.COMPLIANCE, until);

        HeadObjectResponse head = s3.headObject(r -> r.bucket(b).key("k").versionId(v));
        assertEquals(ObjectLockMode.COMPLIANCE, head.objectLockMode());
        assertEquals(until, head.objectLockRetainUntilDate());
        assertEquals(ObjectLockRetentionMode.COMPLIANCE, s3.getObjectRetention(r -> r.bucket(b).key("k"))
                .retention().mode());

        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(r -> r.bucket(b).key("k").versionId(v)));
        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(r -> r.bucket(b).key("k").versionId(v)
                .bypassGovernanceRetention(true)));
        var multi = s3.deleteObjects(r -> r.bucket(b).delete(d -> d.objects(o -> o.key("k").versionId(v))));
        assertEquals("AccessDenied", multi.errors().get(0).code());
        assertS3Error(403, "AccessDenied", () -> s3.putObjectRetention(r -> r.bucket(b).key("k").versionId(v)
                .retention(t -> t.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until.minusSeconds(3600)))));
        assertS3Error(403, "AccessDenied", () -> s3.putObjectRetention(r -> r.bucket(b).key("k").versionId(v)
                .bypassGovernanceRetention(true)
                .retention(t -> t.mode(ObjectLockRetentionMode.GOVERNANCE).retainUntilDate(until))));
        s3.putObjectRetention(r -> r.bucket(b).key("k").versionId(v)
                .retention(t -> t.mode(ObjectLockRetentionMode.COMPLIANCE).retainUntilDate(until.plusSeconds(3600))));
        assertEquals(until.plusSeconds(3600), s3.getObjectRetention(r -> r.bucket(b).key("k").versionId(v))
                .retention().retainUntilDate());

        assertTrue(s3.deleteObject(r -> r.bucket(b).key("k")).deleteMarker(), "a delete marker on top is allowed");
        assertArrayEquals(data, s3.getObjectAsBytes(r -> r.bucket(b).key("k").versionId(v)).asByteArray(),
                "the locked version's data is still there");
        assertTrue(server.server().metadata().garbage(Long.MAX_VALUE, 100).due().isEmpty(),
                "no chunk of the locked version is queued for collection");
    }

    @Test
    void governanceGivesWayOnlyToABypassWithItsPermission() throws Exception {
        String b = lockedBucket("lock-governance");
        Instant until = Instant.now().plus(1, ChronoUnit.DAYS);
        String v = putLocked(b, "k", "governed".getBytes(), ObjectLockMode.GOVERNANCE, until);
        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(r -> r.bucket(b).key("k").versionId(v)));

        String policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:DeleteObject",
                "s3:DeleteObjectVersion","s3:PutObject"],"Resource":"arn:aws:s3:::%s/*"}]}""".formatted(b);
        try (S3Client carol = userWith("carol-" + b, policy)) {
            assertS3Error(403, "AccessDenied", () -> carol.deleteObject(r -> r.bucket(b).key("k").versionId(v)
                    .bypassGovernanceRetention(true)));
        }
        s3.deleteObject(r -> r.bucket(b).key("k").versionId(v).bypassGovernanceRetention(true));
        assertS3Error(404, "NoSuchVersion", () -> s3.getObject(r -> r.bucket(b).key("k").versionId(v)));
    }

    private static S3Client userWith(String name, String policy) {
        iam.createUser(r -> r.userName(name));
        iam.putUserPolicy(r -> r.userName(name).policyName("p").policyDocument(policy));
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        return server.client(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                key.secretAccessKey())));
    }

    @Test
    void aLegalHoldBlocksDeletionUntilLifted() {
        String b = lockedBucket("lock-hold");
        String v = s3.putObject(r -> r.bucket(b).key("k").objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromString("held")).versionId();
        assertEquals(ObjectLockLegalHoldStatus.ON, s3.headObject(r -> r.bucket(b).key("k")).objectLockLegalHoldStatus());
        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(r -> r.bucket(b).key("k").versionId(v)
                .bypassGovernanceRetention(true)));
        s3.putObjectLegalHold(r -> r.bucket(b).key("k").versionId(v).legalHold(h -> h.status("OFF")));
        assertEquals(ObjectLockLegalHoldStatus.OFF, s3.getObjectLegalHold(r -> r.bucket(b).key("k")).legalHold()
                .status());
        s3.deleteObject(r -> r.bucket(b).key("k").versionId(v));
        s3.deleteBucket(r -> r.bucket(b));
    }

    @Test
    void defaultRetentionLocksNewVersions() {
        String b = lockedBucket("lock-default");
        s3.putObjectLockConfiguration(r -> r.bucket(b).objectLockConfiguration(c -> c
                .objectLockEnabled(ObjectLockEnabled.ENABLED)
                .rule(rule -> rule.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(2)))));
        assertEquals(2, s3.getObjectLockConfiguration(r -> r.bucket(b)).objectLockConfiguration().rule()
                .defaultRetention().days());
        Instant before = Instant.now();
        String v = s3.putObject(r -> r.bucket(b).key("k").checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromString("defaulted")).versionId();
        HeadObjectResponse head = s3.headObject(r -> r.bucket(b).key("k").versionId(v));
        assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
        Duration held = Duration.between(before, head.objectLockRetainUntilDate());
        assertTrue(held.compareTo(Duration.ofDays(2).minusMinutes(1)) > 0 && held.compareTo(Duration.ofDays(2)
                .plusMinutes(1)) < 0, held.toString());
        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(r -> r.bucket(b).key("k").versionId(v)));

        RawHttp.Response noDigest = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + b + "/raw"), Map.of(), "no digest".getBytes()));
        assertRawError(400, "InvalidRequest", noDigest);
    }

    @Test
    void badLockHeadersAreInvalidArgument() {
        String b = lockedBucket("lock-bad");
        assertS3Error(400, "InvalidArgument", () -> s3.putObject(r -> r.bucket(b).key("k")
                .objectLockMode(ObjectLockMode.GOVERNANCE).checksumAlgorithm(ChecksumAlgorithm.CRC32),
                RequestBody.fromString("x")));
        assertS3Error(400, "InvalidArgument", () -> putLocked(b, "k", "x".getBytes(), ObjectLockMode.GOVERNANCE,
                Instant.now().minus(1, ChronoUnit.DAYS)));
        assertS3Error(400, "InvalidRequest", () -> s3.putObject(r -> r.bucket(b).key("k")
                .objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(Instant.now().plusSeconds(60)),
                RequestBody.fromString("no checksum")));
        assertTrue(s3.listObjectVersions(r -> r.bucket(b)).versions().isEmpty(), "nothing was stored");
    }

    @Test
    void aMultipartUploadGetsTheLockItAskedForWhenItStarted() {
        String b = lockedBucket("lock-mpu");
        Instant until = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String id = s3.createMultipartUpload(r -> r.bucket(b).key("big").contentType("application/x-tar")
                .objectLockMode(ObjectLockMode.COMPLIANCE).objectLockRetainUntilDate(until)
                .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)).uploadId();
        String etag = s3.uploadPart(r -> r.bucket(b).key("big").uploadId(id).partNumber(1),
                RequestBody.fromString("only part")).eTag();
        String v = s3.completeMultipartUpload(r -> r.bucket(b).key("big").uploadId(id)
                .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag)))).versionId();

        HeadObjectResponse head = s3.headObject(r -> r.bucket(b).key("big").versionId(v));
        assertEquals(ObjectLockMode.COMPLIANCE, head.objectLockMode());
        assertEquals(until, head.objectLockRetainUntilDate());
        assertEquals(ObjectLockLegalHoldStatus.ON, head.objectLockLegalHoldStatus());
        assertEquals("application/x-tar", head.contentType());
        assertTrue(head.metadata().isEmpty(), "the lock is not shown as metadata: " + head.metadata());
        assertS3Error(403, "AccessDenied", () -> s3.deleteObject(r -> r.bucket(b).key("big").versionId(v)));

        // a lock the upload could never have is refused when it starts, and no upload is left
        assertS3Error(400, "InvalidArgument", () -> s3.createMultipartUpload(r -> r.bucket(b).key("past")
                .objectLockMode(ObjectLockMode.GOVERNANCE).objectLockRetainUntilDate(Instant.now().minusSeconds(60))));
        assertS3Error(400, "InvalidArgument", () -> s3.createMultipartUpload(r -> r.bucket(b).key("half")
                .objectLockMode(ObjectLockMode.GOVERNANCE)));
        assertTrue(s3.listMultipartUploads(r -> r.bucket(b)).uploads().isEmpty());
    }
}
