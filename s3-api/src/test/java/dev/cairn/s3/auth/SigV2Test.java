package dev.cairn.s3.auth;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signature Version 2: the examples of AWS's "Signing and authenticating REST requests" page
 * (virtual-hosted bucket johnsmith, its documented signatures) and requests signed by botocore's
 * HmacV1Auth / HmacV1QueryAuth (what aws-cli v1 and boto3 send), path style.
 */
class SigV2Test {
    static final String DOC_AK = "AKIAIOSFODNN7EXAMPLE";
    static final String DOC_SK = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final SigV4Verifier DOCS = new SigV4Verifier(CredentialsProvider.rootOnly(DOC_AK, DOC_SK),
            Clock.fixed(Instant.parse("2007-03-27T19:40:00Z"), ZoneOffset.UTC), "us-east-1", "s3",
            List.of("s3.amazonaws.com"));
    static final Instant T0 = Instant.parse("2024-03-04T05:06:07Z");
    static final SigV4Verifier BOTO = new SigV4Verifier(SdkSigning.CREDS, Clock.fixed(T0, ZoneOffset.UTC),
            "us-east-1");

    private static SigV4Verifier docsAt(String now) {
        return new SigV4Verifier(CredentialsProvider.rootOnly(DOC_AK, DOC_SK), Clock.fixed(Instant.parse(now),
                ZoneOffset.UTC), "us-east-1", "s3", List.of("s3.amazonaws.com"));
    }

    private static TestRequest doc(String method, String path, String query, String date, String signature) {
        return new TestRequest(method, path, query).add("Host", "johnsmith.s3.amazonaws.com").add("Date", date)
                .add("Authorization", "AWS " + DOC_AK + ":" + signature);
    }

    @Test
    void awsDocumentationExamples() {
        assertTrue(DOCS.verify(doc("GET", "/photos/puppy.jpg", null, "Tue, 27 Mar 2007 19:36:42 +0000",
                "bWq2s1WEIj+Ydj0vQ697zp+IXMU=")).sigV2());
        AuthResult put = docsAt("2007-03-27T21:15:00Z").verify(doc("PUT", "/photos/puppy.jpg", null,
                "Tue, 27 Mar 2007 21:15:45 +0000", "MyyxeRY7whkBe+bq8fHCL/2kKUg=").header("Content-Type", "image/jpeg")
                .header("Content-Length", "94328"));
        assertEquals(PayloadMode.UNSIGNED, put.payloadMode());
        assertEquals(DOC_AK, DOCS.verify(doc("GET", "/", "prefix=photos&max-keys=50&marker=puppy",
                "Tue, 27 Mar 2007 19:42:41 +0000", "htDYFYduRNen8P9ZfE/s9SuKy0U=")
                .header("User-Agent", "Mozilla/5.0")).accessKeyId());
        assertEquals(DOC_AK, DOCS.verify(doc("GET", "/", "acl", "Tue, 27 Mar 2007 19:44:46 +0000",
                "c2WLPFtWHVgbEmeEG93a4cG37dM=")).accessKeyId());
        // x-amz-date: the documented DELETE signs its value as the date line
        TestRequest delete = new TestRequest("DELETE", "/johnsmith/photos/puppy.jpg", null)
                .add("Host", "s3.amazonaws.com").add("Date", "Tue, 27 Mar 2007 21:20:27 +0000")
                .add("x-amz-date", "Tue, 27 Mar 2007 19:40:26 +0000")
                .add("Authorization", "AWS " + DOC_AK + ":" + SigV2.sign(DOC_SK,
                        "DELETE\n\n\n\nx-amz-date:Tue, 27 Mar 2007 19:40:26 +0000\n/johnsmith/photos/puppy.jpg"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(DOCS.verify(delete).sigV2());
    }

    @Test
    void documentedPutIsRefusedOnceTooOld() {
        S3Exception e = assertThrows(S3Exception.class, () -> DOCS.verify(doc("PUT", "/photos/puppy.jpg", null,
                "Tue, 27 Mar 2007 21:15:45 +0000", "MyyxeRY7whkBe+bq8fHCL/2kKUg=").header("Content-Type", "image/jpeg")));
        assertEquals(S3ErrorCode.REQUEST_TIME_TOO_SKEWED, e.error());
    }

    @Test
    void botocoreHeaderAuth() {
        TestRequest part = new TestRequest("PUT", "/bucket/dir/a%20b%C3%BC",
                "partNumber=2&uploadId=0123456789abcdef0123456789abcdef")
                .add("Host", "127.0.0.1:9000").add("Content-Type", "text/plain").add("x-amz-meta-Owner", " me ")
                .add("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==").add("Date", "Mon, 04 Mar 2024 05:06:07 GMT")
                .add("Authorization", "AWS AKIDCAIRNTEST:/dy4K3jDZp57d16b4Vf5kywVHz8=");
        AuthResult ok = BOTO.verify(part);
        assertFalse(ok.presigned());
        assertEquals("AWS", ok.signatureVersion());
        assertEquals(SdkSigning.AK, ok.principal().accessKeyId());
        S3Exception tampered = assertThrows(S3Exception.class,
                () -> BOTO.verify(part.replaceHeader("x-amz-meta-Owner", "you")));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, tampered.error());
        assertThrows(S3Exception.class, () -> BOTO.verify(part.withQuery("partNumber=3&uploadId=0123456789abcdef0123456789abcdef")));
        assertTrue(BOTO.verify(new TestRequest("GET", "/bucket", "acl").add("Host", "127.0.0.1:9000")
                .add("Date", "Mon, 04 Mar 2024 05:06:07 GMT")
                .add("Authorization", "AWS AKIDCAIRNTEST:jL+yCZfTqhWamdu6lcrlFFQYM7s=")).sigV2());
    }

    @Test
    void botocorePresignedUrls() {
        TestRequest get = new TestRequest("GET", "/bucket/a%20b.txt",
                "AWSAccessKeyId=AKIDCAIRNTEST&Signature=HdLlAD%2B%2FQXYuyJDxY18Vpb7MXBM%3D&Expires=1709532367")
                .add("Host", "127.0.0.1:9000");
        AuthResult ok = BOTO.verify(get);
        assertTrue(ok.presigned());
        assertTrue(ok.sigV2());
        TestRequest disposition = new TestRequest("GET", "/bucket/k", "response-content-disposition=attachment%3B%20"
                + "filename%3Dx.txt&AWSAccessKeyId=AKIDCAIRNTEST&Signature=hT5h5q%2FpZhQdrTYCLrG8sPKbZno%3D"
                + "&Expires=1709532367").add("Host", "127.0.0.1:9000");
        assertTrue(BOTO.verify(disposition).presigned());
        // another object, or a later expiry, is not what was signed
        S3Exception other = assertThrows(S3Exception.class, () -> BOTO.verify(get.withPath("/bucket/c.txt")));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, other.error());
        assertThrows(S3Exception.class, () -> BOTO.verify(get.withQuery(
                "AWSAccessKeyId=AKIDCAIRNTEST&Signature=HdLlAD%2B%2FQXYuyJDxY18Vpb7MXBM%3D&Expires=1709532999")));
        // an hour and a second after it was made it has expired
        SigV4Verifier later = new SigV4Verifier(SdkSigning.CREDS, Clock.fixed(Instant.ofEpochSecond(1709532368),
                ZoneOffset.UTC), "us-east-1");
        S3Exception expired = assertThrows(S3Exception.class, () -> later.verify(get));
        assertEquals(S3ErrorCode.ACCESS_DENIED, expired.error());
        assertEquals("Request has expired", expired.getMessage());
        S3Exception unknown = assertThrows(S3Exception.class, () -> BOTO.verify(get.withQuery(
                "AWSAccessKeyId=NOBODY&Signature=HdLlAD%2B%2FQXYuyJDxY18Vpb7MXBM%3D&Expires=1709532367")));
        assertEquals(S3ErrorCode.INVALID_ACCESS_KEY_ID, unknown.error());
    }

    @Test
    void postPolicySignedWithSha1() {
        String policy = "eyJleHBpcmF0aW9uIjoiMjAzMC0wMS0wMVQwMDowMDowMFoiLCJjb25kaXRpb25zIjpbXX0=";
        String signature = SigV2.sign(SdkSigning.SK, policy.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(SdkSigning.AK, BOTO.verifyPostSignatureV2(SdkSigning.AK, policy, signature).accessKeyId());
        S3Exception e = assertThrows(S3Exception.class, () -> BOTO.verifyPostSignatureV2(SdkSigning.AK,
                policy.replace('e', 'f'), signature));
        assertEquals(S3ErrorCode.ACCESS_DENIED, e.error());
    }
}
