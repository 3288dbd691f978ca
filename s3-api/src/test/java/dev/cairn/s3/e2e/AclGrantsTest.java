package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.OwnershipControls;
import software.amazon.awssdk.services.s3.model.OwnershipControlsRule;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Type;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ACLs enforced: in a bucket whose Object Ownership enables ACLs, grants to another user or to the
 * public groups allow what S3's ACL permissions allow, Block Public Access refuses or ignores
 * public grants, and an object written by another user belongs to it (ObjectWriter).
 */
class AclGrantsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static TestServer server;
    private static IamClient iam;
    private static S3Client alice;
    private static S3Client bob;
    private static String bobId;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        iam = server.iamClient();
        alice = user("alice");
        bob = user("bob");
        bobId = bob.listBuckets().owner().id();
    }

    @AfterAll
    static void stop() {
        iam.close();
        alice.close();
        bob.close();
        server.close();
    }

    private static S3Client user(String name) {
        iam.createUser(r -> r.userName(name));
        AccessKey key = iam.createAccessKey(r -> r.userName(name)).accessKey();
        return server.client(StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(),
                key.secretAccessKey())));
    }

    private static String aclBucket(String hint) {
        String b = TestServer.uniqueBucket(hint);
        alice.createBucket(r -> r.bucket(b).objectOwnership(ObjectOwnership.OBJECT_WRITER));
        return b;
    }

    @Test
    void bucketAndObjectGrantsToAUserAreEnforced() {
        String b = aclBucket("grants");
        S3Asserts.put(alice, b, "a.txt", "a".getBytes());
        assertS3Error(403, "AccessDenied", () -> bob.listObjectsV2(r -> r.bucket(b)));

        alice.putBucketAcl(r -> r.bucket(b).grantRead("id=" + bobId));
        assertEquals(List.of("a.txt"), bob.listObjectsV2(r -> r.bucket(b)).contents().stream().map(S3Object::key)
                .toList());
        // READ on the bucket lists it; reading an object takes a grant on the object
        assertS3Error(403, "AccessDenied", () -> bob.getObject(r -> r.bucket(b).key("a.txt")));
        alice.putObjectAcl(r -> r.bucket(b).key("a.txt").grantRead("id=" + bobId));
        assertEquals("a", bob.getObjectAsBytes(r -> r.bucket(b).key("a.txt")).asUtf8String());
        assertS3Error(403, "AccessDenied", () -> bob.putObject(r -> r.bucket(b).key("b.txt"),
                RequestBody.fromString("b")));
        assertS3Error(403, "AccessDenied", () -> bob.getObjectAcl(r -> r.bucket(b).key("a.txt")));

        List<Grant> grants = alice.getObjectAcl(r -> r.bucket(b).key("a.txt")).grants();
        assertTrue(grants.stream().anyMatch(g -> g.grantee().type() == Type.CANONICAL_USER
                && g.grantee().id().equals(bobId) && g.permission() == Permission.READ), grants.toString());
    }

    @Test
    void aWriteGrantLetsAnotherUserWriteObjectsItThenOwns() {
        String b = aclBucket("writes");
        alice.putBucketAcl(r -> r.bucket(b).grantWrite("id=" + bobId).grantFullControl("id="
                + alice.listBuckets().owner().id()));
        S3Asserts.put(bob, b, "from-bob.txt", "bob".getBytes());
        // the writer owns it, so it may read it back; the bucket owner may too
        assertEquals("bob", bob.getObjectAsBytes(r -> r.bucket(b).key("from-bob.txt")).asUtf8String());
        assertEquals(bobId, alice.getObjectAcl(r -> r.bucket(b).key("from-bob.txt")).owner().id());
        assertEquals("bob", alice.getObjectAsBytes(r -> r.bucket(b).key("from-bob.txt")).asUtf8String());
        bob.deleteObject(r -> r.bucket(b).key("from-bob.txt"));
    }

    @Test
    void publicGrantsAreBlockedIgnoredOrHonouredAsBlockPublicAccessSays() throws Exception {
        String b = aclBucket("public");
        S3Asserts.put(alice, b, "page.html", "<p>".getBytes());
        assertS3Error(403, "AccessDenied", () -> alice.putObjectAcl(r -> r.bucket(b).key("page.html")
                .acl(ObjectCannedACL.PUBLIC_READ)));
        assertS3Error(403, "AccessDenied", () -> alice.putBucketAcl(r -> r.bucket(b).acl(BucketCannedACL.PUBLIC_READ)));
        assertEquals(403, anonymousGet("/" + b + "/page.html"));

        // not blocked but ignored: the grant is stored and counts for nothing
        alice.putPublicAccessBlock(r -> r.bucket(b).publicAccessBlockConfiguration(c -> c.ignorePublicAcls(true)));
        alice.putObjectAcl(r -> r.bucket(b).key("page.html").acl(ObjectCannedACL.PUBLIC_READ));
        assertEquals(403, anonymousGet("/" + b + "/page.html"));

        alice.deletePublicAccessBlock(r -> r.bucket(b));
        assertEquals(200, anonymousGet("/" + b + "/page.html"));
        assertEquals(403, anonymousGet("/" + b));
        S3Asserts.put(alice, b, "public-at-once.html", "<p>".getBytes());
        alice.putObjectAcl(r -> r.bucket(b).key("public-at-once.html").acl(ObjectCannedACL.PUBLIC_READ));
        assertEquals(200, anonymousGet("/" + b + "/public-at-once.html"));
        alice.putObjectAcl(r -> r.bucket(b).key("page.html").acl(ObjectCannedACL.PRIVATE));
        assertEquals(403, anonymousGet("/" + b + "/page.html"));
    }

    @Test
    void bucketOwnerEnforcedCannotBeSetWhileTheAclSharesAndUnknownGranteesAreRefused() {
        String b = aclBucket("enforce");
        alice.putBucketAcl(r -> r.bucket(b).grantRead("id=" + bobId));
        OwnershipControls enforced = OwnershipControls.builder().rules(OwnershipControlsRule.builder()
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED).build()).build();
        assertS3Error(400, "InvalidBucketAclWithObjectOwnership", () -> alice.putBucketOwnershipControls(r -> r
                .bucket(b).ownershipControls(enforced)));
        assertS3Error(400, "InvalidArgument", () -> alice.putBucketAcl(r -> r.bucket(b).grantRead("id=nobody")));
        assertS3Error(400, "UnresolvableGrantByEmailAddress", () -> alice.putBucketAcl(r -> r.bucket(b)
                .grantRead("emailAddress=bob@example.com")));
        alice.putBucketAcl(r -> r.bucket(b).acl(BucketCannedACL.PRIVATE));
        alice.putBucketOwnershipControls(r -> r.bucket(b).ownershipControls(enforced));
        assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, alice.getBucketOwnershipControls(r -> r.bucket(b))
                .ownershipControls().rules().get(0).objectOwnership());
        alice.deleteBucketOwnershipControls(r -> r.bucket(b));
        assertS3Error(404, "OwnershipControlsNotFoundError", () -> alice.getBucketOwnershipControls(r -> r.bucket(b)));
    }

    private static int anonymousGet(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.endpoint() + path)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
