package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Consumer;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many users, one store, through the AWS SDK: root creates alice and bob with the IAM API;
 * alice's bucket is invisible to bob until a bucket policy allows him in; an explicit Deny beats
 * an Allow; a public-read policy lets an unsigned GET read an object and nothing else;
 * deactivated keys are refused; a user policy limited by s3:prefix lists only that prefix.
 */
class UsersAndPoliciesTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestServer server;
    private static IamClient iam;
    private static S3Client root;
    private static S3Client alice;
    private static S3Client bob;
    private static AccessKey bobKey;
    private static String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        iam = server.iamClient();
        root = server.client();
        alice = userClient("alice");
        bobKey = createUser("bob");
        bob = server.client(StaticCredentialsProvider.create(AwsBasicCredentials.create(bobKey.accessKeyId(),
                bobKey.secretAccessKey())));
        bucket = TestServer.uniqueBucket("alice");
        alice.createBucket(r -> r.bucket(bucket));
        S3Asserts.put(alice, bucket, "hello.txt", "hello".getBytes());
        S3Asserts.put(alice, bucket, "secret/plans.txt", "plans".getBytes());
    }

    @AfterAll
    static void stop() {
        iam.close();
        root.close();
        alice.close();
        bob.close();
        server.close();
    }

    private static AccessKey createUser(String name) {
        iam.createUser(r -> r.userName(name));
        return iam.createAccessKey(r -> r.userName(name)).accessKey();
    }

    private static S3Client userClient(String name) {
        AccessKey key = createUser(name);
        return server.client(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                key.secretAccessKey())));
    }

    /** Every operation of bob's on alice's bucket that must be refused while nothing grants it. */
    private static void bobIsDeniedEverything(String b) {
        S3Asserts.assertS3Status(403, () -> bob.headBucket(r -> r.bucket(b)));
        S3Asserts.assertS3Status(403, () -> bob.headObject(r -> r.bucket(b).key("hello.txt")));
        List<Consumer<S3Client>> calls = List.of(
                c -> c.listObjectsV2(r -> r.bucket(b)),
                c -> c.listObjects(r -> r.bucket(b)),
                c -> c.listObjects(r -> r.bucket(b).encodingType("xml")), // refused before its bad argument
                c -> c.getObject(r -> r.bucket(b).key("hello.txt")),
                c -> c.putObject(r -> r.bucket(b).key("bob.txt"), RequestBody.fromString("x")),
                c -> c.putObject(r -> r.bucket(b).key("bob.txt") // refused before the 501 for encryption
                        .serverSideEncryption(software.amazon.awssdk.services.s3.model.ServerSideEncryption.AES256),
                        RequestBody.fromString("x")),
                c -> c.deleteObject(r -> r.bucket(b).key("hello.txt")),
                c -> c.copyObject(r -> r.sourceBucket(b).sourceKey("hello.txt").destinationBucket(b)
                        .destinationKey("copy")),
                c -> c.getObjectTagging(r -> r.bucket(b).key("hello.txt")),
                c -> c.getObjectAcl(r -> r.bucket(b).key("hello.txt")),
                c -> c.getBucketAcl(r -> r.bucket(b)),
                c -> c.getBucketPolicy(r -> r.bucket(b)),
                c -> c.putBucketPolicy(r -> r.bucket(b).policy("{}")),
                c -> c.deleteBucketPolicy(r -> r.bucket(b)),
                c -> c.getBucketLocation(r -> r.bucket(b)),
                c -> c.getBucketTagging(r -> r.bucket(b)),
                c -> c.getPublicAccessBlock(r -> r.bucket(b)),
                c -> c.deletePublicAccessBlock(r -> r.bucket(b)),
                c -> c.listMultipartUploads(r -> r.bucket(b)),
                c -> c.createMultipartUpload(r -> r.bucket(b).key("mp")),
                c -> c.deleteBucket(r -> r.bucket(b)));
        for (Consumer<S3Client> call : calls) {
            assertS3Error(403, "AccessDenied", () -> call.accept(bob));
        }
        // DeleteObjects answers per key, as S3 does
        var result = bob.deleteObjects(r -> r.bucket(b).delete(d -> d.objects(o -> o.key("hello.txt"))));
        assertEquals("AccessDenied", result.errors().get(0).code());
    }

    @Test
    void aliceBucketIsInvisibleToBobUntilAPolicyLetsHimIn() {
        String b = TestServer.uniqueBucket("alice-private");
        alice.createBucket(r -> r.bucket(b));
        S3Asserts.put(alice, b, "hello.txt", "hello".getBytes());
        bobIsDeniedEverything(b);
        assertFalse(bob.listBuckets().buckets().stream().map(Bucket::name).anyMatch(b::equals));
        assertTrue(alice.listBuckets().buckets().stream().map(Bucket::name).anyMatch(b::equals));
        assertTrue(root.listBuckets().buckets().stream().map(Bucket::name).anyMatch(b::equals));
        assertEquals("hello", alice.getObjectAsBytes(r -> r.bucket(b).key("hello.txt")).asUtf8String());

        alice.putBucketPolicy(r -> r.bucket(b).policy("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},
                 "Action":["s3:GetObject","s3:ListBucket"],
                 "Resource":["arn:aws:s3:::%s","arn:aws:s3:::%s/*"]}]}""".formatted(b, b)));
        assertEquals("hello", bob.getObjectAsBytes(r -> r.bucket(b).key("hello.txt")).asUtf8String());
        assertEquals(List.of("hello.txt"), bob.listObjectsV2(r -> r.bucket(b)).contents().stream()
                .map(S3Object::key).toList());
        assertS3Error(403, "AccessDenied", () -> bob.putObject(r -> r.bucket(b).key("bob.txt"),
                RequestBody.fromString("x")));
        assertS3Error(403, "AccessDenied", () -> bob.deleteObject(r -> r.bucket(b).key("hello.txt")));
    }

    @Test
    void anExplicitDenyBeatsAnAllow() {
        String b = TestServer.uniqueBucket("deny");
        alice.createBucket(r -> r.bucket(b));
        S3Asserts.put(alice, b, "open/a.txt", "a".getBytes());
        S3Asserts.put(alice, b, "secret/b.txt", "b".getBytes());
        alice.putBucketPolicy(r -> r.bucket(b).policy("""
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/bob"},"Action":"s3:GetObject",
                  "Resource":"arn:aws:s3:::%s/*"},
                 {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/secret/*"}]}"""
                .formatted(b, b)));
        assertEquals("a", bob.getObjectAsBytes(r -> r.bucket(b).key("open/a.txt")).asUtf8String());
        assertS3Error(403, "AccessDenied", () -> bob.getObject(r -> r.bucket(b).key("secret/b.txt")));
        // the deny binds the owner too, but never locks the owner out of the policy itself
        assertS3Error(403, "AccessDenied", () -> alice.getObject(r -> r.bucket(b).key("secret/b.txt")));
        alice.deleteBucketPolicy(r -> r.bucket(b));
        assertEquals("b", alice.getObjectAsBytes(r -> r.bucket(b).key("secret/b.txt")).asUtf8String());

        // an identity policy's deny beats ownership
        iam.putUserPolicy(r -> r.userName("alice").policyName("no-deletes").policyDocument("""
                {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:DeleteObject",
                 "Resource":"arn:aws:s3:::%s/*"}]}""".formatted(b)));
        try {
            assertS3Error(403, "AccessDenied", () -> alice.deleteObject(r -> r.bucket(b).key("open/a.txt")));
            S3Asserts.put(alice, b, "open/c.txt", "c".getBytes());
        } finally {
            iam.deleteUserPolicy(r -> r.userName("alice").policyName("no-deletes"));
        }
        alice.deleteObject(r -> r.bucket(b).key("open/a.txt"));
    }

    @Test
    void aPublicReadPolicyLetsAnUnsignedGetReadAnObjectAndNothingElse() throws Exception {
        String b = TestServer.uniqueBucket("website");
        alice.createBucket(r -> r.bucket(b));
        S3Asserts.put(alice, b, "index.html", "<h1>hi</h1>".getBytes());
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Sid":"PublicRead","Effect":"Allow","Principal":"*",
                 "Action":"s3:GetObject","Resource":"arn:aws:s3:::%s/*"}]}""".formatted(b);
        // new buckets block public policies, as on AWS
        assertS3Error(403, "AccessDenied", () -> alice.putBucketPolicy(r -> r.bucket(b).policy(policy)));
        assertEquals(403, anonymous("GET", "/" + b + "/index.html").statusCode());
        alice.deletePublicAccessBlock(r -> r.bucket(b));
        alice.putBucketPolicy(r -> r.bucket(b).policy(policy));
        assertTrue(alice.getBucketPolicyStatus(r -> r.bucket(b)).policyStatus().isPublic());

        HttpResponse<String> get = anonymous("GET", "/" + b + "/index.html");
        assertEquals(200, get.statusCode());
        assertEquals("<h1>hi</h1>", get.body());
        for (String[] other : new String[][]{{"GET", "/" + b}, {"PUT", "/" + b + "/evil.html"},
                {"DELETE", "/" + b + "/index.html"}, {"GET", "/" + b + "?acl"}, {"GET", "/" + b + "/index.html?tagging"},
                {"GET", "/"}}) {
            HttpResponse<String> r = anonymous(other[0], other[1]);
            assertEquals(403, r.statusCode(), other[0] + " " + other[1]);
            assertTrue(r.body().contains("<Code>AccessDenied</Code>"), r.body());
        }
        // RestrictPublicBuckets voids the public policy for anonymous callers
        alice.putPublicAccessBlock(r -> r.bucket(b).publicAccessBlockConfiguration(c -> c
                .restrictPublicBuckets(true)));
        assertEquals(403, anonymous("GET", "/" + b + "/index.html").statusCode());
    }

    @Test
    void deactivatedKeysAreRefusedAndReactivatedOnesWork() {
        String b = TestServer.uniqueBucket("bob-own");
        bob.createBucket(r -> r.bucket(b));
        iam.updateAccessKey(r -> r.userName("bob").accessKeyId(bobKey.accessKeyId()).status(StatusType.INACTIVE));
        try {
            assertS3Error(403, "InvalidAccessKeyId", () -> bob.listObjectsV2(r -> r.bucket(b)));
            assertS3Error(403, "InvalidAccessKeyId", () -> bob.listBuckets());
        } finally {
            iam.updateAccessKey(r -> r.userName("bob").accessKeyId(bobKey.accessKeyId()).status(StatusType.ACTIVE));
        }
        assertEquals(0, bob.listObjectsV2(r -> r.bucket(b)).keyCount());
    }

    @Test
    void aUserPolicyLimitedToAPrefixListsOnlyThatPrefix() {
        String b = TestServer.uniqueBucket("shared");
        root.createBucket(r -> r.bucket(b));
        for (String k : List.of("home/alice/a.txt", "home/alice/docs/b.txt", "home/bob/c.txt", "top.txt")) {
            S3Asserts.put(root, b, k, k.getBytes());
        }
        S3Client carol = userClient("carol");
        iam.putUserPolicy(r -> r.userName("carol").policyName("home").policyDocument("""
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::%s",
                  "Condition":{"StringLike":{"s3:prefix":"home/alice/*"}}},
                 {"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],
                  "Resource":"arn:aws:s3:::%s/home/alice/*"}]}""".formatted(b, b)));
        assertEquals(List.of("home/alice/a.txt", "home/alice/docs/b.txt"), carol.listObjectsV2(r -> r.bucket(b)
                .prefix("home/alice/")).contents().stream().map(S3Object::key).toList());
        assertS3Error(403, "AccessDenied", () -> carol.listObjectsV2(r -> r.bucket(b)));
        assertS3Error(403, "AccessDenied", () -> carol.listObjectsV2(r -> r.bucket(b).prefix("home/bob/")));
        assertS3Error(403, "AccessDenied", () -> carol.listObjectsV2(r -> r.bucket(b).prefix("home/")));
        assertEquals("home/alice/a.txt", carol.getObjectAsBytes(r -> r.bucket(b).key("home/alice/a.txt"))
                .asUtf8String());
        assertS3Error(403, "AccessDenied", () -> carol.getObject(r -> r.bucket(b).key("home/bob/c.txt")));
        carol.close();
    }

    @Test
    void usersOwnTheBucketsTheyCreate() {
        String b = TestServer.uniqueBucket("owned");
        bob.createBucket(r -> r.bucket(b));
        String bobId = bob.listBuckets().owner().id();
        assertEquals(bobId, bob.getBucketAcl(r -> r.bucket(b)).owner().id());
        assertEquals("bob", bob.getBucketAcl(r -> r.bucket(b)).owner().displayName());
        assertFalse(bobId.equals(alice.listBuckets().owner().id()));
        // another user cannot take the name; its owner creating it again is fine (us-east-1)
        assertS3Error(409, "BucketAlreadyExists", () -> alice.createBucket(r -> r.bucket(b)));
        bob.createBucket(r -> r.bucket(b));
        // root owns everything, so it may empty and delete it
        root.deleteBucket(r -> r.bucket(b));
    }

    private static HttpResponse<String> anonymous(String method, String path) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(server.endpoint() + path));
        r.method(method, method.equals("PUT") ? HttpRequest.BodyPublishers.ofString("evil")
                : HttpRequest.BodyPublishers.noBody());
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }
}
