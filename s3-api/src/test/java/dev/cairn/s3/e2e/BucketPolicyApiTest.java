package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bucket policy and Block Public Access operations as the SDK calls them: Put, Get and
 * Delete, GetBucketPolicyStatus, MalformedPolicy for documents that are not policies, and
 * NoSuchBucketPolicy / NoSuchPublicAccessBlockConfiguration when there is none; and S3 requests
 * signed the SigV2 way in the Authorization header ({@code AWS AK:signature}), accepted when
 * right and refused when tampered with.
 */
class BucketPolicyApiTest {
    private static TestServer server;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
        bucket = TestServer.uniqueBucket("policy-api");
        s3.createBucket(r -> r.bucket(bucket));
        S3Asserts.put(s3, bucket, "k.txt", "hello".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static String publicRead(String b) {
        return """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                 "Resource":"arn:aws:s3:::%s/*"}]}""".formatted(b);
    }

    @Test
    void policiesArePutReadStatusCheckedAndDeleted() {
        String b = TestServer.uniqueBucket("policy");
        s3.createBucket(r -> r.bucket(b));
        assertS3Error(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(r -> r.bucket(b)));
        // new buckets block public policies, as on AWS
        assertTrue(s3.getPublicAccessBlock(r -> r.bucket(b)).publicAccessBlockConfiguration().blockPublicPolicy());
        assertS3Error(403, "AccessDenied", () -> s3.putBucketPolicy(r -> r.bucket(b).policy(publicRead(b))));

        s3.deletePublicAccessBlock(r -> r.bucket(b));
        assertS3Error(404, "NoSuchPublicAccessBlockConfiguration", () -> s3.getPublicAccessBlock(r -> r.bucket(b)));
        s3.putBucketPolicy(r -> r.bucket(b).policy(publicRead(b)));
        assertTrue(s3.getBucketPolicy(r -> r.bucket(b)).policy().contains("arn:aws:s3:::" + b + "/*"));
        assertTrue(s3.getBucketPolicyStatus(r -> r.bucket(b)).policyStatus().isPublic());

        String onlyRoot = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
                 "Principal":{"AWS":"arn:aws:iam::000000000000:root"},"Action":"s3:GetObject",
                 "Resource":"arn:aws:s3:::%s/*"}]}""".formatted(b);
        s3.putBucketPolicy(r -> r.bucket(b).policy(onlyRoot));
        assertFalse(s3.getBucketPolicyStatus(r -> r.bucket(b)).policyStatus().isPublic());

        PublicAccessBlockConfiguration block = PublicAccessBlockConfiguration.builder().blockPublicAcls(true)
                .ignorePublicAcls(false).blockPublicPolicy(true).restrictPublicBuckets(false).build();
        s3.putPublicAccessBlock(r -> r.bucket(b).publicAccessBlockConfiguration(block));
        assertEquals(block, s3.getPublicAccessBlock(r -> r.bucket(b)).publicAccessBlockConfiguration());

        s3.deleteBucketPolicy(r -> r.bucket(b));
        assertS3Error(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(r -> r.bucket(b)));
    }

    @Test
    void documentsThatAreNotPoliciesAreMalformedAndStoreNothing() {
        String b = TestServer.uniqueBucket("malformed");
        s3.createBucket(r -> r.bucket(b));
        for (String bad : new String[]{
                "not json",
                "{\"Statement\":[]}",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\",\"Principal\":\"*\","
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + b + "/*\"}]}",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::another-bucket/*\"}]}",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":{\"AWS\":\"arn:aws:iam::000000000000:user/nobody-here\"},"
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::" + b + "/*\"}]}"}) {
            assertS3Error(400, "MalformedPolicy", () -> s3.putBucketPolicy(r -> r.bucket(b).policy(bad)));
        }
        assertS3Error(404, "NoSuchBucketPolicy", () -> s3.getBucketPolicy(r -> r.bucket(b)));
    }

    /** A SigV2 header signature: base64 HMAC-SHA1 of verb, MD5, type, date and the resource. */
    private static String sigV2(String secret, String method, String date, String resource) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String toSign = method + "\n\n\n" + date + "\n" + resource;
        return Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sigV2HeaderSignedRequestsAreAcceptedAndTamperedOnesAreNot() throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String resource = "/" + bucket + "/k.txt";
        URI uri = server.endpoint().resolve(resource);
        String signature = sigV2(TestServer.SECRET_KEY, "GET", date, resource);
        RawHttp.Response ok = RawHttp.send(RawHttp.unsigned(SdkHttpMethod.GET, uri, Map.of("Date", date,
                "Authorization", "AWS " + TestServer.ACCESS_KEY + ":" + signature), null));
        assertEquals(200, ok.status(), ok::toString);
        assertEquals("hello", ok.text());

        RawHttp.Response otherKey = RawHttp.send(RawHttp.unsigned(SdkHttpMethod.GET,
                server.endpoint().resolve("/" + bucket + "/other.txt"), Map.of("Date", date,
                        "Authorization", "AWS " + TestServer.ACCESS_KEY + ":" + signature), null));
        assertRawError(403, "SignatureDoesNotMatch", otherKey);
        String wrongSecret = sigV2("not-the-secret", "GET", date, resource);
        assertRawError(403, "SignatureDoesNotMatch", RawHttp.send(RawHttp.unsigned(SdkHttpMethod.GET, uri,
                Map.of("Date", date, "Authorization", "AWS " + TestServer.ACCESS_KEY + ":" + wrongSecret), null)));
        assertRawError(403, "InvalidAccessKeyId", RawHttp.send(RawHttp.unsigned(SdkHttpMethod.GET, uri,
                Map.of("Date", date, "Authorization", "AWS AKIANOBODY0000000000:" + signature), null)));
        String old = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusHours(1));
        assertRawError(403, "RequestTimeTooSkewed", RawHttp.send(RawHttp.unsigned(SdkHttpMethod.GET, uri,
                Map.of("Date", old, "Authorization", "AWS " + TestServer.ACCESS_KEY + ":"
                        + sigV2(TestServer.SECRET_KEY, "GET", old, resource)), null)));
    }
}
