package dev.cairn.s3.auth;

import dev.cairn.s3.iam.Principal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpMethod;

/** Every refusal of the verifier, with the S3 error code it answers. */
class SigV4VerifierErrorsTest {
    static final Instant T0 = SdkSigning.T0;
    static final SigV4Verifier AT_T0 = SdkSigning.verifierAt(T0);

    static TestRequest signedGet() {
        return SdkSigning.sign(SdkHttpMethod.GET, "http://127.0.0.1:9000/bucket/key?tagging",
                Map.of("x-amz-meta-a", "1"), new byte[0]).view();
    }

    static String authorization(TestRequest r) {
        return r.header("Authorization");
    }

    static S3Exception refused(SigV4Verifier verifier, TestRequest r, S3ErrorCode code) {
        S3Exception e = assertThrows(S3Exception.class, () -> verifier.verify(r));
        assertEquals(code, e.error(), e.getMessage());
        return e;
    }

    static S3Exception refused(TestRequest r, S3ErrorCode code) {
        return refused(AT_T0, r, code);
    }

    @Test
    void anonymousRequestsAreNotAuthenticated() {
        assertNull(AT_T0.verify(new TestRequest("GET", "/bucket/key", "x=1").header("Host", "h")));
        assertNull(AT_T0.verify(new TestRequest("GET", "/", null)));
        assertNotNull(AT_T0.verify(signedGet()));
    }

    @Test
    void bothMechanismsAtOnce() {
        TestRequest r = signedGet();
        S3Exception e = refused(r.withQuery("tagging&X-Amz-Algorithm=AWS4-HMAC-SHA256"), S3ErrorCode.INVALID_ARGUMENT);
        assertTrue(e.getMessage().startsWith("Only one auth mechanism allowed"));
        assertEquals("Authorization", e.extra().get("ArgumentName"));
        refused(r.withQuery("X-Amz-Signature=abc"), S3ErrorCode.INVALID_ARGUMENT);
        refused(r.withQuery("AWSAccessKeyId=a&Signature=b&Expires=1"), S3ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void otherSchemes() {
        TestRequest r = signedGet();
        // SigV2 is verified (SigV2Test): a wrong signature does not match, an old Expires has expired
        S3Exception v2 = refused(r.replaceHeader("Authorization", "AWS AKIDCAIRNTEST:frJIUN8DYpKDtOLCwo//yllqDzg="),
                S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertTrue(v2.extra().get("StringToSign").startsWith("GET\n"));
        S3Exception expired = refused(new TestRequest("GET", "/b/k",
                "AWSAccessKeyId=AKIDCAIRNTEST&Expires=1700000000&Signature=abc%3D"), S3ErrorCode.ACCESS_DENIED);
        assertEquals("Request has expired", expired.getMessage());
        refused(r.replaceHeader("Authorization", "Bearer abc"), S3ErrorCode.INVALID_ARGUMENT);
        refused(r.replaceHeader("Authorization", ""), S3ErrorCode.INVALID_ARGUMENT);
        refused(r.replaceHeader("Authorization", "AWS4-HMAC-SHA256X Credential=a"), S3ErrorCode.INVALID_ARGUMENT);
        refused(r.replaceHeader("Authorization", authorization(r).replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")),
                S3ErrorCode.NOT_IMPLEMENTED);
    }

    @Test
    void malformedAuthorizationHeader() {
        TestRequest r = signedGet();
        String auth = authorization(r);
        String[] bad = {
            auth.replaceAll(", ?Signature=[0-9a-f]+", ""),
            auth.replaceAll("SignedHeaders=[^,]+, ?", ""),
            auth.replace("Credential=", "Cred="),
            auth.replace("Credential=AKIDCAIRNTEST/", "Credential="),
            auth.replace("/20240304/", "/2024034/"),
            auth.replace("/20240304/", "/20241304/"),
            auth.replace("/eu-west-3/s3/", "/eu-west-3/ec2/"),
            auth.replace("/aws4_request", "/aws5_request"),
            auth.replace("/aws4_request", "/aws4_request/extra"),
            auth.replace("/eu-west-3/", "//"),
            auth.replaceAll("SignedHeaders=[^,]+", "SignedHeaders=host;;x-amz-date"),
            auth + ", Signature=abc",
            "AWS4-HMAC-SHA256 garbage",
        };
        for (String b : bad) {
            refused(r.replaceHeader("Authorization", b), S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        }
        // The scope date must be the day of X-Amz-Date.
        S3Exception e = refused(r.replaceHeader("Authorization", auth.replace("/20240304/", "/20240305/")),
                S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        assertTrue(e.getMessage().contains("Date is not the same as X-Amz-Date"));
        // Components in another order and with extra spaces are fine.
        String[] parts = auth.substring("AWS4-HMAC-SHA256 ".length()).split(", ?");
        assertNotNull(AT_T0.verify(r.replaceHeader("Authorization",
                "AWS4-HMAC-SHA256  " + parts[2] + " ,  " + parts[0] + ",   " + parts[1])));
    }

    @Test
    void dateHeader() {
        TestRequest r = signedGet();
        S3Exception e = refused(r.removeHeader("x-amz-date"), S3ErrorCode.ACCESS_DENIED);
        assertEquals("AWS authentication requires a valid Date or x-amz-date header", e.getMessage());
        refused(signedGet().replaceHeader("X-Amz-Date", "2024-03-04T05:06:07Z"), S3ErrorCode.ACCESS_DENIED);
        refused(signedGet().replaceHeader("X-Amz-Date", "20240304T250607Z"), S3ErrorCode.ACCESS_DENIED);
        refused(signedGet().removeHeader("x-amz-date").header("Date", "yesterday"), S3ErrorCode.ACCESS_DENIED);
        // A valid Date header stands in for x-amz-date (the signature then fails, as x-amz-date was signed).
        refused(signedGet().removeHeader("x-amz-date").header("Date", "Mon, 04 Mar 2024 05:06:07 GMT"),
                S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void contentSha256Header() {
        S3Exception missing = refused(signedGet().removeHeader("x-amz-content-sha256"), S3ErrorCode.INVALID_REQUEST);
        assertEquals("Missing required header for this request: x-amz-content-sha256", missing.getMessage());
        S3Exception bad = refused(signedGet().replaceHeader("x-amz-content-sha256", "abc"), S3ErrorCode.INVALID_ARGUMENT);
        assertEquals("x-amz-content-sha256", bad.extra().get("ArgumentName"));
        refused(signedGet().replaceHeader("x-amz-content-sha256", "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"),
                S3ErrorCode.NOT_IMPLEMENTED);
        refused(signedGet().replaceHeader("x-amz-content-sha256", "unsigned-payload"), S3ErrorCode.INVALID_ARGUMENT);
        // A valid but different hash: the signature no longer matches.
        refused(signedGet().replaceHeader("x-amz-content-sha256", "0".repeat(64)), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    @Test
    void unknownAccessKey() {
        SigV4Verifier nobody = new SigV4Verifier(ak -> Optional.empty(), Clock.fixed(T0, ZoneOffset.UTC), SdkSigning.REGION);
        S3Exception e = refused(nobody, signedGet(), S3ErrorCode.INVALID_ACCESS_KEY_ID);
        assertEquals("AKIDCAIRNTEST", e.extra().get("AWSAccessKeyId"));
    }

    @ParameterizedTest
    @ValueSource(ints = {-3600, -901, 901, 86400})
    void skewedClock(int seconds) {
        S3Exception e = refused(SdkSigning.verifierAt(T0.plusSeconds(seconds)), signedGet(), S3ErrorCode.REQUEST_TIME_TOO_SKEWED);
        assertEquals("20240304T050607Z", e.extra().get("RequestTime"));
        assertEquals("900000", e.extra().get("MaxAllowedSkewMilliseconds"));
    }

    @ParameterizedTest
    @ValueSource(ints = {-900, -60, 0, 60, 900})
    void toleratedSkew(int seconds) {
        assertNotNull(SdkSigning.verifierAt(T0.plusSeconds(seconds)).verify(signedGet()));
    }

    @Test
    void tampering() {
        TestRequest r = signedGet();
        refused(r.replaceHeader("x-amz-meta-a", "2"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.replaceHeader("Host", "127.0.0.1:9001"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.withPath("/bucket/kex"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.withQuery("tagging&versionId=1"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.withQuery(null), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        S3Exception e = refused(r.withMethod("DELETE"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        assertEquals("AKIDCAIRNTEST", e.extra().get("AWSAccessKeyId"));
        assertTrue(e.extra().get("CanonicalRequest").startsWith("DELETE\n/bucket/key\ntagging=\n"));
        String auth = authorization(r);
        String sig = auth.substring(auth.length() - 64);
        String flipped = (sig.charAt(0) == 'a' ? "b" : "a") + sig.substring(1);
        refused(r.replaceHeader("Authorization", auth.replace(sig, flipped)), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.replaceHeader("Authorization", auth.replace(sig, sig.toUpperCase())), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.replaceHeader("Authorization", auth.replace(sig, sig.substring(1))), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        SigV4Verifier otherSecret = new SigV4Verifier(ak -> Optional.of(new CredentialsProvider.SigningKey("not-the-secret", Principal.root(ak))), Clock.fixed(T0, ZoneOffset.UTC), SdkSigning.REGION);
        refused(otherSecret, r, S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        // A request signed for another region is refused naming the region expected, as S3 does.
        S3Exception region = refused(r.replaceHeader("Authorization", auth.replace("/eu-west-3/", "/us-east-1/")),
                S3ErrorCode.AUTHORIZATION_HEADER_MALFORMED);
        assertEquals("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-3'",
                region.getMessage());
        assertEquals("eu-west-3", region.extra().get("Region"));
    }

    @Test
    void unsignedAmzHeaders() {
        S3Exception e = refused(signedGet().header("x-amz-acl", "public-read").header("X-Amz-Meta-B", "x"),
                S3ErrorCode.ACCESS_DENIED);
        assertEquals("There were headers present in the request which were not signed", e.getMessage());
        assertEquals("x-amz-acl, x-amz-meta-b", e.extra().get("HeadersNotSigned"));
        // Other unsigned headers are fine (User-Agent, Expect...).
        assertNotNull(AT_T0.verify(signedGet().header("User-Agent", "x").header("Expect", "100-continue")
                .header("X-Amzn-Trace-Id", "t")));
        // A repeated signed header: values join with ',' in the canonical request.
        refused(signedGet().header("x-amz-meta-a", "again"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
    }

    // ---- presigned URLs -------------------------------------------------------------------

    static TestRequest presigned(Duration expires) {
        return SdkSigning.sign(SdkHttpMethod.GET, "http://127.0.0.1:9000/bucket/a%20b?versionId=3", Map.of(), null,
                r -> r.putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AUTH_LOCATION,
                                software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.EXPIRATION_DURATION,
                                expires)
                        // as the S3 presigner does: UNSIGNED-PAYLOAD
                        .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED,
                                false)).view();
    }

    @Test
    void presignedValid() {
        TestRequest r = presigned(Duration.ofHours(1));
        assertTrue(r.rawQuery().contains("X-Amz-Expires=3600"), r.rawQuery());
        AuthResult result = AT_T0.verify(r);
        assertTrue(result.presigned());
        assertEquals(PayloadMode.UNSIGNED, result.payloadMode());
        assertNotNull(SdkSigning.verifierAt(T0.plusSeconds(3600)).verify(r));
        assertNotNull(SdkSigning.verifierAt(T0.minusSeconds(900)).verify(r));
    }

    @Test
    void presignedExpiryAndFuture() {
        TestRequest r = presigned(Duration.ofHours(1));
        S3Exception expired = refused(SdkSigning.verifierAt(T0.plusSeconds(3601)), r, S3ErrorCode.ACCESS_DENIED);
        assertEquals("Request has expired", expired.getMessage());
        assertEquals("3600", expired.extra().get("X-Amz-Expires"));
        assertEquals("2024-03-04T06:06:07Z", expired.extra().get("Expires"));
        S3Exception future = refused(SdkSigning.verifierAt(T0.minusSeconds(901)), r, S3ErrorCode.ACCESS_DENIED);
        assertEquals("Request is not valid yet", future.getMessage());
        // The presigned URL of a week is valid for a week, no skew check.
        TestRequest week = presigned(Duration.ofDays(7));
        assertNotNull(SdkSigning.verifierAt(T0.plus(Duration.ofDays(7))).verify(week));
    }

    @Test
    void presignedParameterErrors() {
        TestRequest r = presigned(Duration.ofHours(1));
        String q = r.rawQuery();
        for (String p : new String[] {"X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders",
            "X-Amz-Signature", "X-Amz-Algorithm"}) {
            String without = q.replaceAll("(^|&)" + p + "=[^&]*", "");
            S3Exception e = refused(r.withQuery(without), S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
            assertTrue(e.getMessage().startsWith("Query-string authentication version 4 requires"), e.getMessage());
        }
        String[][] bad = {
            {"X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Algorithm=AWS4-HMAC-SHA1"},
            {"X-Amz-Expires=3600", "X-Amz-Expires=0"},
            {"X-Amz-Expires=3600", "X-Amz-Expires=-1"},
            {"X-Amz-Expires=3600", "X-Amz-Expires=604801"},
            {"X-Amz-Expires=3600", "X-Amz-Expires=soon"},
            {"X-Amz-Date=20240304T050607Z", "X-Amz-Date=20240304"},
            {"X-Amz-Date=20240304T050607Z", "X-Amz-Date=20240305T050607Z"},
            {"%2Fs3%2F", "%2Fiam%2F"},
            {"%2Faws4_request", "%2Faws4"},
            {"X-Amz-Credential=AKIDCAIRNTEST%2F", "X-Amz-Credential=AKIDCAIRNTEST%2Fx%2F"},
            {"X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=host%3B"},
        };
        for (String[] b : bad) {
            assertTrue(q.contains(b[0]), b[0] + " in " + q);
            refused(r.withQuery(q.replace(b[0], b[1])), S3ErrorCode.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        }
        assertNotNull(SdkSigning.verifierAt(T0).verify(presigned(Duration.ofSeconds(604800))));
    }

    @Test
    void presignedTampering() {
        TestRequest r = presigned(Duration.ofHours(1));
        refused(r.withQuery(r.rawQuery().replace("versionId=3", "versionId=4")), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.withQuery(r.rawQuery() + "&extra=1"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.withQuery(r.rawQuery().replace("X-Amz-Expires=3600", "X-Amz-Expires=7200")),
                S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.withPath("/bucket/a%20c"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.replaceHeader("Host", "evil:9000"), S3ErrorCode.SIGNATURE_DOES_NOT_MATCH);
        refused(r.header("x-amz-acl", "public-read"), S3ErrorCode.ACCESS_DENIED);
        SigV4Verifier nobody = new SigV4Verifier(ak -> Optional.empty(), Clock.fixed(T0, ZoneOffset.UTC), SdkSigning.REGION);
        refused(nobody, presigned(Duration.ofHours(1)), S3ErrorCode.INVALID_ACCESS_KEY_ID);
    }

    @Test
    void signingKeyCacheIsBounded() {
        SigV4Verifier v = SdkSigning.verifierAt(T0);
        for (int i = 0; i < SigningKeys.MAX_ENTRIES + 10; i++) {
            String secret = "s" + i;
            SigV4Verifier each = new SigV4Verifier(ak -> Optional.of(new CredentialsProvider.SigningKey(secret, Principal.root(ak))), Clock.fixed(T0, ZoneOffset.UTC), SdkSigning.REGION);
            assertThrows(S3Exception.class, () -> each.verify(signedGet()));
        }
        assertNotNull(v.verify(signedGet()));
        assertEquals(1, v.cachedSigningKeys());
        SigningKeys keys = new SigningKeys();
        for (int i = 0; i < SigningKeys.MAX_ENTRIES * 2; i++) {
            keys.signingKey("secret" + i, "20240304", "us-east-1", "s3");
        }
        assertTrue(keys.cachedEntries() <= SigningKeys.MAX_ENTRIES);
        assertTrue(keys.signingKey("a", "20240304", "r", "s3") == keys.signingKey("a", "20240304", "r", "s3"));
    }
}
