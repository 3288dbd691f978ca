package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AccessControlPolicy;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Grantee;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Owner;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ACLs of buckets with ACLs disabled (BucketOwnerEnforced, what a new bucket gets): every bucket
 * and object reports the owner's FULL_CONTROL; ACLs that share nothing are accepted and change
 * nothing; everything sharing more is 400 AccessControlListNotSupported on the ACL operations and
 * on every write that takes ACL headers (InvalidBucketAclWithObjectOwnership on CreateBucket).
 * AccessTest covers buckets with ACLs enabled, where grants are enforced.
 */
class AclTest {
    private static TestServer server;
    private static S3Client s3;
    private static String bucket;
    private static Owner owner;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
        bucket = TestServer.uniqueBucket("acl");
        s3.createBucket(b -> b.bucket(bucket));
        S3Asserts.put(s3, bucket, "object", "data".getBytes());
        owner = s3.listBuckets().owner();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static void assertOwnerFullControl(Owner policyOwner, List<Grant> grants) {
        assertEquals(owner.id(), policyOwner.id());
        assertEquals(1, grants.size());
        Grant g = grants.get(0);
        assertEquals(Type.CANONICAL_USER, g.grantee().type());
        assertEquals(owner.id(), g.grantee().id());
        assertEquals(Permission.FULL_CONTROL, g.permission());
    }

    private static AccessControlPolicy policy(Grant... grants) {
        return AccessControlPolicy.builder().owner(owner).grants(grants).build();
    }

    private static Grant grant(Grantee grantee, Permission permission) {
        return Grant.builder().grantee(grantee).permission(permission).build();
    }

    private static Grantee ownerGrantee() {
        return Grantee.builder().type(Type.CANONICAL_USER).id(owner.id()).build();
    }

    @Test
    void bucketAclIsTheOwnerWithFullControl() {
        GetBucketAclResponse acl = s3.getBucketAcl(r -> r.bucket(bucket));
        assertOwnerFullControl(acl.owner(), acl.grants());
    }

    @Test
    void objectAclIsTheOwnerWithFullControl() {
        GetObjectAclResponse acl = s3.getObjectAcl(r -> r.bucket(bucket).key("object"));
        assertOwnerFullControl(acl.owner(), acl.grants());
    }

    @Test
    void aclOfAMissingObjectOrBucketIsNoSuchKeyOrNoSuchBucket() {
        assertS3Error(404, "NoSuchKey", () -> s3.getObjectAcl(r -> r.bucket(bucket).key("absent")));
        assertS3Error(404, "NoSuchKey", () -> s3.putObjectAcl(r -> r.bucket(bucket).key("absent")
                .acl(ObjectCannedACL.PRIVATE)));
        String missing = TestServer.uniqueBucket("acl-missing");
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketAcl(r -> r.bucket(missing)));
        assertS3Error(404, "NoSuchBucket", () -> s3.putBucketAcl(r -> r.bucket(missing).acl(BucketCannedACL.PRIVATE)));
    }

    @Test
    void ownerOnlyCannedAclsAreAccepted() {
        s3.putBucketAcl(r -> r.bucket(bucket).acl(BucketCannedACL.PRIVATE));
        for (ObjectCannedACL acl : List.of(ObjectCannedACL.PRIVATE, ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL,
                ObjectCannedACL.BUCKET_OWNER_READ)) {
            s3.putObjectAcl(r -> r.bucket(bucket).key("object").acl(acl));
            s3.putObject(r -> r.bucket(bucket).key("canned-" + acl).acl(acl), RequestBody.fromString("x"));
        }
        String b = TestServer.uniqueBucket("acl-private");
        s3.createBucket(r -> r.bucket(b).acl(BucketCannedACL.PRIVATE));
        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("object").destinationBucket(b).destinationKey("copy")
                .acl(ObjectCannedACL.PRIVATE));
        s3.createMultipartUpload(r -> r.bucket(b).key("mpu").acl(ObjectCannedACL.BUCKET_OWNER_FULL_CONTROL));

        assertTrue(S3Asserts.allKeys(s3, bucket).contains("canned-private"));
        assertOwnerFullControl(s3.getObjectAcl(r -> r.bucket(b).key("copy")).owner(),
                s3.getObjectAcl(r -> r.bucket(b).key("copy")).grants());
    }

    @Test
    void policyGrantingOnlyTheOwnerFullControlIsAccepted() {
        s3.putBucketAcl(r -> r.bucket(bucket).accessControlPolicy(policy(grant(ownerGrantee(),
                Permission.FULL_CONTROL))));
        s3.putObjectAcl(r -> r.bucket(bucket).key("object").accessControlPolicy(policy(grant(ownerGrantee(),
                Permission.FULL_CONTROL))));
        GetBucketAclResponse acl = s3.getBucketAcl(r -> r.bucket(bucket));
        assertOwnerFullControl(acl.owner(), acl.grants());
    }

    @ParameterizedTest
    @ValueSource(strings = {"public-read", "public-read-write", "authenticated-read", "log-delivery-write"})
    void cannedAclsSharingMoreAreRefusedWhileTheBucketDisablesAcls(String canned) {
        String newBucket = TestServer.uniqueBucket("acl-refused");
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putBucketAcl(r -> r.bucket(bucket).acl(canned)));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putObjectAcl(r -> r.bucket(bucket).key("object")
                .acl(canned)));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putObject(r -> r.bucket(bucket).key("refused")
                .acl(canned), RequestBody.fromString("x")));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.copyObject(r -> r.sourceBucket(bucket)
                .sourceKey("object").destinationBucket(bucket).destinationKey("refused").acl(canned)));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.createMultipartUpload(r -> r.bucket(bucket)
                .key("refused").acl(canned)));
        assertS3Error(400, "InvalidBucketAclWithObjectOwnership", () -> s3.createBucket(r -> r.bucket(newBucket)
                .acl(canned)));

        assertFalse(S3Asserts.allKeys(s3, bucket).contains("refused"));
        assertEquals(0, s3.listMultipartUploads(r -> r.bucket(bucket).prefix("refused")).uploads().size());
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(newBucket)));
        GetObjectAclResponse acl = s3.getObjectAcl(r -> r.bucket(bucket).key("object"));
        assertOwnerFullControl(acl.owner(), acl.grants());
    }

    @Test
    void awsExecReadIsNotImplemented() {
        assertS3Error(501, "NotImplemented", () -> s3.putObject(r -> r.bucket(bucket).key("exec")
                .acl(ObjectCannedACL.AWS_EXEC_READ), RequestBody.fromString("x")));
    }

    @Test
    void grantHeadersSharingMoreAreRefusedWhileTheBucketDisablesAcls() {
        String everyone = "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"";
        String newBucket = TestServer.uniqueBucket("acl-grant");
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putObject(r -> r.bucket(bucket).key("granted")
                .grantRead(everyone), RequestBody.fromString("x")));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.copyObject(r -> r.sourceBucket(bucket)
                .sourceKey("object").destinationBucket(bucket).destinationKey("granted").grantReadACP(everyone)));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.createMultipartUpload(r -> r.bucket(bucket)
                .key("granted").grantWriteACP(everyone)));
        assertS3Error(400, "InvalidBucketAclWithObjectOwnership", () -> s3.createBucket(r -> r.bucket(newBucket)
                .grantWrite(everyone)));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putBucketAcl(r -> r.bucket(bucket)
                .grantRead(everyone)));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putObjectAcl(r -> r.bucket(bucket).key("object")
                .grantRead(everyone)));
        // a grant to the owner alone shares nothing: accepted, and changes nothing
        s3.putObject(r -> r.bucket(bucket).key("owner-granted").grantFullControl("id=" + owner.id()),
                RequestBody.fromString("x"));

        assertFalse(S3Asserts.allKeys(s3, bucket).contains("granted"));
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(newBucket)));
    }

    @Test
    void policyGrantingAnyoneElseIsRefusedWhileTheBucketDisablesAcls() {
        Grantee allUsers = Grantee.builder().type(Type.GROUP).uri("http://acs.amazonaws.com/groups/global/AllUsers")
                .build();
        Grantee stranger = Grantee.builder().type(Type.CANONICAL_USER).id("someone-else").build();

        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putBucketAcl(r -> r.bucket(bucket)
                .accessControlPolicy(policy(grant(ownerGrantee(), Permission.FULL_CONTROL),
                        grant(allUsers, Permission.READ)))));
        assertS3Error(400, "AccessControlListNotSupported", () -> s3.putObjectAcl(r -> r.bucket(bucket).key("object")
                .accessControlPolicy(policy(grant(stranger, Permission.FULL_CONTROL)))));
    }

    @Test
    void malformedAclDocumentIsMalformedAclError() {
        URI uri = URI.create(server.endpoint() + "/" + bucket + "?acl");
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri, Map.of(),
                "<AccessControlPolicy><Nope/></AccessControlPolicy>".getBytes()));
        assertRawError(400, "MalformedACLError", r);
        RawHttp.Response empty = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri, Map.of(), new byte[0]));
        assertRawError(400, "MalformedACLError", empty);
    }
}
