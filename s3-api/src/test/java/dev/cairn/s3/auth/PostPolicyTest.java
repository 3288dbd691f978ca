package dev.cairn.s3.auth;

import dev.cairn.s3.S3Exception;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Policy documents in the shape of the AWS "browser-based upload" example. */
class PostPolicyTest {
    private static final Instant NOW = Instant.parse("2015-12-29T12:00:00Z");

    private static PostPolicy policy(String json) {
        return PostPolicy.decode(Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static final String AWS_EXAMPLE = """
            { "expiration": "2015-12-30T12:00:00.000Z",
              "conditions": [
                {"bucket": "sigv4examplebucket"},
                ["starts-with", "$key", "user/user1/"],
                {"acl": "public-read"},
                {"success_action_redirect": "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"},
                ["starts-with", "$Content-Type", "image/"],
                {"x-amz-meta-uuid": "14365123651274"},
                {"x-amz-server-side-encryption": "AES256"},
                ["starts-with", "$x-amz-meta-tag", ""],
                {"x-amz-credential": "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"},
                {"x-amz-algorithm": "AWS4-HMAC-SHA256"},
                {"x-amz-date": "20151229T000000Z" },
                ["content-length-range", 1048576, 10485760]
              ]
            }""";

    private static Map<String, String> exampleForm() {
        return new java.util.HashMap<>(Map.ofEntries(
                Map.entry("key", "user/user1/photo.jpg"),
                Map.entry("acl", "public-read"),
                Map.entry("success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"),
                Map.entry("content-type", "image/jpeg"),
                Map.entry("x-amz-meta-uuid", "14365123651274"),
                Map.entry("x-amz-server-side-encryption", "AES256"),
                Map.entry("x-amz-meta-tag", ""),
                Map.entry("x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"),
                Map.entry("x-amz-algorithm", "AWS4-HMAC-SHA256"),
                Map.entry("x-amz-date", "20151229T000000Z"),
                Map.entry("policy", "..."),
                Map.entry("x-amz-signature", "...")));
    }

    @Test
    void awsExamplePolicyAcceptsItsForm() {
        PostPolicy p = policy(AWS_EXAMPLE);
        p.check(exampleForm(), "sigv4examplebucket", NOW);
        assertEquals(1048576, p.minLength());
        assertEquals(10485760, p.maxLength());
    }

    @Test
    void fieldNamesAndConditionNamesCompareCaseInsensitively() {
        PostPolicy p = policy("{\"expiration\": \"2016-01-01T00:00:00Z\", \"conditions\": [[\"eq\", \"$Cache-Control\", \"no-cache\"]]}");
        p.check(Map.of("cache-control", "no-cache"), "b", NOW);
    }

    @Test
    void conditionThatFailsNamesItselfInTheMessage() {
        Map<String, String> form = exampleForm();
        form.put("key", "user/user2/photo.jpg");
        S3Exception e = assertThrows(S3Exception.class, () -> policy(AWS_EXAMPLE).check(form, "sigv4examplebucket", NOW));
        assertEquals("AccessDenied", e.error().code());
        assertTrue(e.getMessage().startsWith("Invalid according to Policy: Policy Condition failed: [\"starts-with\""),
                e.getMessage());
    }

    @Test
    void wrongBucketFailsTheBucketCondition() {
        S3Exception e = assertThrows(S3Exception.class, () -> policy(AWS_EXAMPLE).check(exampleForm(), "other", NOW));
        assertEquals("AccessDenied", e.error().code());
    }

    @Test
    void fieldMissingFromTheFormFailsItsCondition() {
        Map<String, String> form = exampleForm();
        form.remove("x-amz-meta-uuid");
        assertThrows(S3Exception.class, () -> policy(AWS_EXAMPLE).check(form, "sigv4examplebucket", NOW));
    }

    @Test
    void fieldsNoConditionNamesAreRefusedExceptIgnoredOnes() {
        Map<String, String> form = exampleForm();
        form.put("x-ignore-tracking", "1");
        policy(AWS_EXAMPLE).check(form, "sigv4examplebucket", NOW);
        form.put("x-amz-meta-extra", "1");
        S3Exception e = assertThrows(S3Exception.class, () -> policy(AWS_EXAMPLE).check(form, "sigv4examplebucket", NOW));
        assertEquals("Invalid according to Policy: Extra input fields: x-amz-meta-extra", e.getMessage());
    }

    @Test
    void expiredPolicyIsRefused() {
        S3Exception e = assertThrows(S3Exception.class,
                () -> policy(AWS_EXAMPLE).check(exampleForm(), "sigv4examplebucket", Instant.parse("2015-12-31T00:00:00Z")));
        assertEquals("Invalid according to Policy: Policy expired.", e.getMessage());
    }

    @Test
    void documentsThatAreNotPoliciesAreInvalidPolicyDocument() {
        for (String bad : new String[]{"not json", "{\"conditions\": []}", "{\"expiration\": \"tomorrow\", \"conditions\": []}",
                "{\"expiration\": \"2016-01-01T00:00:00Z\"}",
                "{\"expiration\": \"2016-01-01T00:00:00Z\", \"conditions\": [[\"matches\", \"$key\", \"x\"]]}",
                "{\"expiration\": \"2016-01-01T00:00:00Z\", \"conditions\": [{\"a\": \"1\", \"b\": \"2\"}]}"}) {
            S3Exception e = assertThrows(S3Exception.class, () -> policy(bad), bad);
            assertEquals("InvalidPolicyDocument", e.error().code(), bad);
        }
        S3Exception notBase64 = assertThrows(S3Exception.class, () -> PostPolicy.decode("%%%"));
        assertEquals("InvalidPolicyDocument", notBase64.error().code());
    }
}
