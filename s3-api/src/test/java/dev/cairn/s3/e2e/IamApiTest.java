package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every IAM Query API call Cairn serves, through the SDK's IAM client against the admin port:
 * users, access keys and their rotation, inline policies, managed policies attached to users,
 * and IAM's error codes (EntityAlreadyExists, NoSuchEntity, DeleteConflict,
 * MalformedPolicyDocument, InvalidClientTokenId, AccessDenied) with their statuses.
 */
class IamApiTest {
    private static final String READ_ALL = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:ListBucket",
             "s3:GetObject"],"Resource":"*"}]}""";
    private static TestServer server;
    private static IamClient iam;
    private static S3Client root;
    private static String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        iam = server.iamClient();
        root = server.client();
        bucket = TestServer.uniqueBucket("iam-api");
        root.createBucket(r -> r.bucket(bucket));
        S3Asserts.put(root, bucket, "a.txt", "a".getBytes());
    }

    @AfterAll
    static void stop() {
        iam.close();
        root.close();
        server.close();
    }

    private static void assertIamError(int status, String code, Executable call) {
        IamException e = assertThrows(IamException.class, call);
        assertEquals(status, e.statusCode(), e.getMessage());
        assertEquals(code, e.awsErrorDetails().errorCode(), e.getMessage());
    }

    private static S3Client s3As(AccessKey key) {
        return server.client(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                key.secretAccessKey())));
    }

    private static IamClient iamAs(AccessKey key) {
        return IamClient.builder().endpointOverride(server.adminEndpoint())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                        key.secretAccessKey())))
                .build();
    }

    @Test
    void usersAreCreatedListedAndDeletedOnlyWhenNothingHangsOnThem() {
        User dora = iam.createUser(r -> r.userName("dora").path("/team/")).user();
        assertEquals("arn:aws:iam::000000000000:user/team/dora", dora.arn());
        assertIamError(409, "EntityAlreadyExists", () -> iam.createUser(r -> r.userName("dora")));
        assertIamError(400, "ValidationError", () -> iam.createUser(r -> r.userName("bad name!")));
        assertEquals(dora.userId(), iam.getUser(r -> r.userName("dora")).user().userId());
        assertTrue(iam.listUsers().users().stream().anyMatch(u -> u.userName().equals("dora")));
        assertTrue(iam.listUsers(r -> r.pathPrefix("/team/")).users().stream().allMatch(u -> u.path()
                .equals("/team/")));

        AccessKey key = iam.createAccessKey(r -> r.userName("dora")).accessKey();
        iam.putUserPolicy(r -> r.userName("dora").policyName("read").policyDocument(READ_ALL));
        assertIamError(409, "DeleteConflict", () -> iam.deleteUser(r -> r.userName("dora")));
        iam.deleteAccessKey(r -> r.userName("dora").accessKeyId(key.accessKeyId()));
        assertIamError(409, "DeleteConflict", () -> iam.deleteUser(r -> r.userName("dora")));
        iam.deleteUserPolicy(r -> r.userName("dora").policyName("read"));
        iam.deleteUser(r -> r.userName("dora"));
        assertIamError(404, "NoSuchEntity", () -> iam.getUser(r -> r.userName("dora")));
        assertIamError(404, "NoSuchEntity", () -> iam.deleteUser(r -> r.userName("dora")));
        assertFalse(iam.listUsers().users().stream().anyMatch(u -> u.userName().equals("dora")));
    }

    @Test
    void accessKeysRotateAndADeletedKeyIsRefused() {
        iam.createUser(r -> r.userName("erin"));
        iam.putUserPolicy(r -> r.userName("erin").policyName("read").policyDocument(READ_ALL));
        AccessKey old = iam.createAccessKey(r -> r.userName("erin")).accessKey();
        AccessKey fresh = iam.createAccessKey(r -> r.userName("erin")).accessKey();
        assertNotEquals(old.accessKeyId(), fresh.accessKeyId());
        List<String> ids = iam.listAccessKeys(r -> r.userName("erin")).accessKeyMetadata().stream()
                .map(AccessKeyMetadata::accessKeyId).sorted().toList();
        assertEquals(List.of(old.accessKeyId(), fresh.accessKeyId()).stream().sorted().toList(), ids);
        assertIamError(409, "LimitExceeded", () -> iam.createAccessKey(r -> r.userName("erin")));

        try (S3Client withOld = s3As(old); S3Client withFresh = s3As(fresh)) {
            assertEquals(1, withOld.listObjectsV2(r -> r.bucket(bucket)).keyCount());
            iam.updateAccessKey(r -> r.userName("erin").accessKeyId(old.accessKeyId()).status(StatusType.INACTIVE));
            assertS3Error(403, "InvalidAccessKeyId", () -> withOld.listObjectsV2(r -> r.bucket(bucket)));
            assertEquals(1, withFresh.listObjectsV2(r -> r.bucket(bucket)).keyCount());
            iam.deleteAccessKey(r -> r.userName("erin").accessKeyId(old.accessKeyId()));
            assertS3Error(403, "InvalidAccessKeyId", () -> withOld.listObjectsV2(r -> r.bucket(bucket)));
            assertEquals(List.of(fresh.accessKeyId()), iam.listAccessKeys(r -> r.userName("erin"))
                    .accessKeyMetadata().stream().map(AccessKeyMetadata::accessKeyId).toList());
        }
        assertIamError(404, "NoSuchEntity",
                () -> iam.deleteAccessKey(r -> r.userName("erin").accessKeyId(old.accessKeyId())));
        assertIamError(400, "ValidationError", () -> iam.updateAccessKey(r -> r.userName("erin")
                .accessKeyId(fresh.accessKeyId()).status("Paused")));
    }

    @Test
    void inlinePoliciesAreStoredListedAndValidated() {
        iam.createUser(r -> r.userName("fred"));
        iam.putUserPolicy(r -> r.userName("fred").policyName("read").policyDocument(READ_ALL));
        iam.putUserPolicy(r -> r.userName("fred").policyName("another").policyDocument(READ_ALL));
        assertEquals(List.of("another", "read"), iam.listUserPolicies(r -> r.userName("fred")).policyNames().stream()
                .sorted().toList());
        String doc = iam.getUserPolicy(r -> r.userName("fred").policyName("read")).policyDocument();
        assertTrue(URLDecoder.decode(doc, StandardCharsets.UTF_8).contains("s3:ListAllMyBuckets"), doc);
        assertIamError(400, "MalformedPolicyDocument", () -> iam.putUserPolicy(r -> r.userName("fred")
                .policyName("bad").policyDocument("{\"Statement\":[{\"Effect\":\"Perhaps\",\"Action\":\"*\"}]}")));
        assertIamError(404, "NoSuchEntity", () -> iam.getUserPolicy(r -> r.userName("fred").policyName("bad")));
        assertIamError(404, "NoSuchEntity", () -> iam.putUserPolicy(r -> r.userName("nobody").policyName("read")
                .policyDocument(READ_ALL)));
        iam.deleteUserPolicy(r -> r.userName("fred").policyName("another"));
        assertEquals(List.of("read"), iam.listUserPolicies(r -> r.userName("fred")).policyNames());
        assertIamError(404, "NoSuchEntity", () -> iam.deleteUserPolicy(r -> r.userName("fred")
                .policyName("another")));
    }

    @Test
    void anAttachedManagedPolicyGrantsUntilDetached() {
        iam.createUser(r -> r.userName("gina"));
        AccessKey key = iam.createAccessKey(r -> r.userName("gina")).accessKey();
        Policy policy = iam.createPolicy(r -> r.policyName("ReadEverything").policyDocument(READ_ALL)).policy();
        assertEquals("arn:aws:iam::000000000000:policy/ReadEverything", policy.arn());
        assertIamError(409, "EntityAlreadyExists",
                () -> iam.createPolicy(r -> r.policyName("ReadEverything").policyDocument(READ_ALL)));
        assertIamError(400, "MalformedPolicyDocument",
                () -> iam.createPolicy(r -> r.policyName("Broken").policyDocument("not json")));

        try (S3Client gina = s3As(key)) {
            assertS3Error(403, "AccessDenied", () -> gina.getObject(r -> r.bucket(bucket).key("a.txt")));
            iam.attachUserPolicy(r -> r.userName("gina").policyArn(policy.arn()));
            assertEquals(List.of(policy.arn()), iam.listAttachedUserPolicies(r -> r.userName("gina"))
                    .attachedPolicies().stream().map(AttachedPolicy::policyArn).toList());
            assertEquals(1, iam.getPolicy(r -> r.policyArn(policy.arn())).policy().attachmentCount());
            assertEquals("a", gina.getObjectAsBytes(r -> r.bucket(bucket).key("a.txt")).asUtf8String());
            assertIamError(409, "DeleteConflict", () -> iam.deletePolicy(r -> r.policyArn(policy.arn())));

            iam.detachUserPolicy(r -> r.userName("gina").policyArn(policy.arn()));
            assertS3Error(403, "AccessDenied", () -> gina.getObject(r -> r.bucket(bucket).key("a.txt")));
        }
        iam.deletePolicy(r -> r.policyArn(policy.arn()));
        assertIamError(404, "NoSuchEntity", () -> iam.getPolicy(r -> r.policyArn(policy.arn())));
        assertIamError(404, "NoSuchEntity", () -> iam.attachUserPolicy(r -> r.userName("gina")
                .policyArn(policy.arn())));
    }

    @Test
    void onlyRootOrAUserAllowedByPolicyManagesIdentities() {
        iam.createUser(r -> r.userName("hank"));
        AccessKey key = iam.createAccessKey(r -> r.userName("hank")).accessKey();
        try (IamClient hank = iamAs(key)) {
            assertIamError(403, "AccessDenied", () -> hank.createUser(r -> r.userName("hanks-friend")));
            assertIamError(403, "AccessDenied", () -> hank.listUsers());
            iam.putUserPolicy(r -> r.userName("hank").policyName("own-keys").policyDocument("""
                    {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListAccessKeys",
                     "iam:CreateAccessKey"],"Resource":"arn:aws:iam::*:user/${aws:username}"}]}"""));
            assertEquals(1, hank.listAccessKeys().accessKeyMetadata().size());
            assertIamError(403, "AccessDenied", () -> hank.listAccessKeys(r -> r.userName("gina")));
        }
        try (IamClient stranger = iamAs(AccessKey.builder().accessKeyId("AKIANOBODY0000000000")
                .secretAccessKey("nothing").build())) {
            assertIamError(403, "InvalidClientTokenId", stranger::listUsers);
        }
    }
}
