package dev.cairn.s3.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;

/** Requests signed by the AWS SDK for Java v2 (its signer, its S3 client, its presigner) must verify. */
class SdkSignedRequestsTest {
    static final String ENDPOINT = "http://127.0.0.1:9000";
    static final List<String> KEYS = List.of("plain.txt", "with space.txt", "ünïcødé/日本語/ключ", "plus+sign",
            "tilde~dash-under_dot.", "equals=and&amp", "star*paren()!'", "percent%25literal%", "dir/sub/./../x",
            "semi;colon,comma:at@dollar$", "quote\"hash#question?");

    static CapturingHttpClient http;
    static S3Client s3;
    static S3Client s3WhenRequired;

    @BeforeAll
    static void client() {
        http = new CapturingHttpClient();
        s3 = newClient(RequestChecksumCalculation.WHEN_SUPPORTED);
        s3WhenRequired = newClient(RequestChecksumCalculation.WHEN_REQUIRED);
    }

    static S3Client newClient(RequestChecksumCalculation checksums) {
        return S3Client.builder()
                .endpointOverride(URI.create(ENDPOINT))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(checksums)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(SdkSigning.AK, SdkSigning.SK)))
                .httpClient(http)
                .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterAll
    static void close() {
        s3.close();
        s3WhenRequired.close();
    }

    static AuthResult verifyNow(CapturingHttpClient.Captured c) {
        return new SigV4Verifier(SdkSigning.CREDS, Clock.systemUTC(), "us-east-1").verify(SdkSigning.view(c.request()));
    }

    @Test
    void signerWithAwkwardPathsAndQueries() {
        String[] paths = {"/", "/bucket", "/bucket/", "/bucket/a%20b", "/bucket/%C3%BC%E6%97%A5", "/bucket/a%2Bb",
            "/bucket/a~b", "/bucket/a%2Fb", "/bucket/a%3Db", "/bucket/a%2525", "/bucket//double//slash", "/bucket/%2A%28%29"};
        String[] queries = {null, "acl", "acl=", "uploads", "prefix=a%20b&delimiter=%2F", "list-type=2&prefix=%C3%BC&start-after=x%3Dy%26z",
            "partNumber=1&uploadId=abc~_-.", "b=2&a=1&a=0", "versions&key-marker=&version-id-marker=", "x=a%2Bb", "empty=&flag"};
        SigV4Verifier verifier = SdkSigning.verifierAt(SdkSigning.T0);
        for (String path : paths) {
            for (String query : queries) {
                for (boolean signedPayload : new boolean[] {true, false}) {
                    // The SDK only leaves the payload unsigned over HTTPS.
                    String uri = (signedPayload ? ENDPOINT : "https://127.0.0.1:9443") + path + (query == null ? "" : "?" + query);
                    SdkSigning.Signed s = SdkSigning.sign(SdkHttpMethod.GET, uri,
                            Map.of("x-amz-meta-Thing", "  a   b\t c ", "Content-Type", "text/plain"), new byte[0],
                            r -> r.putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED,
                                    signedPayload));
                    AuthResult result;
                    try {
                        result = verifier.verify(s.view());
                    } catch (S3Exception e) {
                        throw new AssertionError(uri + " " + e.extra(), e);
                    }
                    assertNotNull(result, uri);
                    assertEquals(signedPayload ? PayloadMode.SIGNED : PayloadMode.UNSIGNED, result.payloadMode(), uri);
                    assertEquals("20240304/eu-west-3/s3/aws4_request", result.signing().scope());
                }
            }
        }
    }

    @Test
    void literalPlusInQueryIsAPlus() {
        SdkSigning.Signed s = SdkSigning.sign(SdkHttpMethod.GET, ENDPOINT + "/bucket?prefix=a%2Bb", Map.of(), new byte[0]);
        TestRequest view = s.view();
        assertNotNull(SdkSigning.verifierAt(SdkSigning.T0).verify(view));
        assertNotNull(SdkSigning.verifierAt(SdkSigning.T0).verify(view.withQuery("prefix=a+b")));
        // ... and not a space: a client that signed "a b" but sent '+' is refused.
        SdkSigning.Signed space = SdkSigning.sign(SdkHttpMethod.GET, ENDPOINT + "/bucket?prefix=a%20b", Map.of(), new byte[0]);
        S3Exception e = assertThrows(S3Exception.class,
                () -> SdkSigning.verifierAt(SdkSigning.T0).verify(space.view().withQuery("prefix=a+b")));
        assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, e.error());
    }

    @Test
    void s3ClientOperations() {
        http.requests.clear();
        for (String key : KEYS) {
            s3WhenRequired.putObject(b -> b.bucket("bucket").key(key).contentType("text/plain").metadata(Map.of("m", "v  w")),
                    RequestBody.fromString("hello " + key));
            // Sync client over HTTP without checksums: aws-chunked, chunk signatures, no trailer.
            AuthResult put = verifyNow(http.last());
            assertEquals(PayloadMode.STREAMING_SIGNED, put.payloadMode(), key);
            AwsDocExamplesTest.Decoded d = AwsDocExamplesTest.decodeAndVerify(put, http.last().body(), List.of(5));
            assertEquals(("hello " + key).getBytes(StandardCharsets.UTF_8).length, d.length);
            s3.headObject(b -> b.bucket("bucket").key(key));
            verifyNow(http.last());
            s3.getObject(b -> b.bucket("bucket").key(key).range("bytes=0-3"));
            verifyNow(http.last());
            s3.deleteObject(b -> b.bucket("bucket").key(key).versionId("v1~"));
            verifyNow(http.last());
        }
        http.responseBody = "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></ListBucketResult>";
        try {
            s3.listObjectsV2(b -> b.bucket("bucket").prefix("a b+c/ü=").delimiter("/").startAfter("x&y").maxKeys(5));
            verifyNow(http.last());
            s3.listObjects(b -> b.bucket("bucket").prefix("~!*'();:@&=+$,/?#[]").marker("m"));
            verifyNow(http.last());
        } finally {
            http.responseBody = "";
        }
        try {
            s3.deleteObjects(b -> b.bucket("bucket").delete(Delete.builder()
                    .objects(ObjectIdentifier.builder().key("a").build(), ObjectIdentifier.builder().key("b c").build()).build()));
        } catch (RuntimeException ignored) {
            // empty response XML; the request was captured
        }
        AuthResult delete = verifyNow(http.last());
        assertEquals("POST", http.last().request().method().name());
        assertNotNull(delete);
        s3.createBucket(b -> b.bucket("new-bucket"));
        verifyNow(http.last());
    }

    /** The SDK's defaults over HTTP: aws-chunked, chunk signatures, CRC32 trailer with a trailer signature. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8191, 131072, 131073, 300_000})
    void s3ClientDefaultPutIsSignedStreamingWithTrailer(int size) {
        byte[] data = new byte[size];
        new java.util.Random(size).nextBytes(data);
        s3.putObject(b -> b.bucket("bucket").key("k e y+" + size), RequestBody.fromBytes(data));
        CapturingHttpClient.Captured c = http.last();
        AuthResult result = verifyNow(c);
        assertEquals(PayloadMode.STREAMING_SIGNED_TRAILER, result.payloadMode());
        assertEquals("x-amz-checksum-crc32", c.request().firstMatchingHeader("x-amz-trailer").orElseThrow());
        AwsDocExamplesTest.Decoded d = AwsDocExamplesTest.decodeAndVerify(result, c.body(), List.of(1000, 1, 7, 65536));
        assertEquals(size, d.length);
        assertEquals(ChecksumAlgorithm.encode(ChecksumAlgorithm.CRC32.digest(data)), d.trailers.get("x-amz-checksum-crc32"));
        assertEquals(Long.parseLong(c.request().firstMatchingHeader("x-amz-decoded-content-length").orElseThrow()), d.length);
    }

    @Test
    void presignedGetAndPut() {
        Instant before = Instant.now();
        try (S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(URI.create(ENDPOINT))
                .region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(SdkSigning.AK, SdkSigning.SK)))
                .build()) {
            for (String key : KEYS) {
                PresignedGetObjectRequest get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(10))
                        .getObjectRequest(g -> g.bucket("bucket").key(key).responseContentType("text/plain; charset=utf-8")));
                TestRequest view = fromPresigned("GET", get.url().toString(), get.signedHeaders());
                AuthResult ok = new SigV4Verifier(SdkSigning.CREDS, Clock.systemUTC(), "us-east-1").verify(view);
                assertTrue(ok.presigned());
                assertEquals(PayloadMode.UNSIGNED, ok.payloadMode());
                assertNull(ok.payloadSha256Hex());

                // Expired 10 minutes later (plus clock tolerance), valid just before.
                S3Exception expired = assertThrows(S3Exception.class,
                        () -> new SigV4Verifier(SdkSigning.CREDS, Clock.fixed(before.plus(Duration.ofMinutes(11)),
                                java.time.ZoneOffset.UTC), "us-east-1").verify(view));
                assertEquals(S3ErrorCode.ACCESS_DENIED, expired.error());
                assertEquals("Request has expired", expired.getMessage());

                PresignedPutObjectRequest put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofHours(1))
                        .putObjectRequest(g -> g.bucket("bucket").key(key).contentType("application/octet-stream")
                                .metadata(Map.of("owner", "me"))));
                TestRequest putView = fromPresigned("PUT", put.url().toString(), put.signedHeaders());
                assertTrue(putView.header("x-amz-meta-owner") != null || put.url().getQuery().contains("x-amz-meta-owner"));
                AuthResult putOk = new SigV4Verifier(SdkSigning.CREDS, Clock.systemUTC(), "us-east-1").verify(putView);
                assertEquals(PayloadMode.UNSIGNED, putOk.payloadMode());
                // Content-Type is signed: a different one is refused.
                S3Exception e = assertThrows(S3Exception.class, () -> new SigV4Verifier(SdkSigning.CREDS, Clock.systemUTC(), "us-east-1")
                        .verify(putView.replaceHeader("Content-Type", "text/html")));
                assertEquals(S3ErrorCode.SIGNATURE_DOES_NOT_MATCH, e.error());
            }
        }
    }

    static TestRequest fromPresigned(String method, String url, Map<String, List<String>> signedHeaders) {
        URI uri = URI.create(url);
        TestRequest r = new TestRequest(method, uri.getRawPath(), uri.getRawQuery());
        signedHeaders.forEach((name, values) -> values.forEach(v -> r.add(name, v)));
        if (r.header("host") == null) {
            r.add("Host", uri.getHost() + ":" + uri.getPort());
        }
        return r;
    }

    @Test
    void signerStreamingAllModes() {
        byte[] data = new byte[200_000];
        new java.util.Random(7).nextBytes(data);
        software.amazon.awssdk.checksums.spi.ChecksumAlgorithm[] trailers = {null,
            software.amazon.awssdk.checksums.DefaultChecksumAlgorithm.CRC32,
            software.amazon.awssdk.checksums.DefaultChecksumAlgorithm.CRC32C,
            software.amazon.awssdk.checksums.DefaultChecksumAlgorithm.SHA1,
            software.amazon.awssdk.checksums.DefaultChecksumAlgorithm.SHA256};
        for (var trailer : trailers) {
            for (boolean signed : new boolean[] {true, false}) {
                if (!signed && trailer == null) {
                    continue; // the SDK signs the payload instead
                }
                // The SDK only skips payload signing over HTTPS.
                String uri = (signed ? "http" : "https") + "://127.0.0.1:9000/bucket/obj%20ect";
                SdkSigning.Signed s = SdkSigning.signChunked(uri, data, signed, trailer);
                AuthResult result = SdkSigning.verifierAt(SdkSigning.T0).verify(s.view());
                PayloadMode expected = signed
                        ? (trailer == null ? PayloadMode.STREAMING_SIGNED : PayloadMode.STREAMING_SIGNED_TRAILER)
                        : PayloadMode.STREAMING_UNSIGNED_TRAILER;
                assertEquals(expected, result.payloadMode());
                AwsDocExamplesTest.Decoded d = AwsDocExamplesTest.decodeAndVerify(result, s.body(), List.of(3, 4096, 17, 100_000));
                assertEquals(data.length, d.length);
                if (trailer != null) {
                    ChecksumAlgorithm alg = ChecksumAlgorithm.fromName(trailer.algorithmId()).orElseThrow();
                    assertEquals(ChecksumAlgorithm.encode(alg.digest(data)), d.trailers.get(alg.headerName()));
                }
            }
        }
    }

    @Test
    void bodyFramingAsTheSdkSendsIt() {
        byte[] data = "hello world 12345678".getBytes(StandardCharsets.US_ASCII);
        String unsigned = new String(SdkSigning.signChunked("https://h/b/k", data, false,
                software.amazon.awssdk.checksums.DefaultChecksumAlgorithm.CRC32).body(), StandardCharsets.ISO_8859_1);
        assertEquals("14\r\nhello world 12345678\r\n0\r\nx-amz-checksum-crc32:Wwzelw==\r\n\r\n", unsigned);
        String signed = new String(SdkSigning.signChunked("http://h/b/k", data, true,
                software.amazon.awssdk.checksums.DefaultChecksumAlgorithm.CRC32).body(), StandardCharsets.ISO_8859_1);
        assertTrue(signed.matches("14;chunk-signature=[0-9a-f]{64}\r\nhello world 12345678\r\n"
                + "0;chunk-signature=[0-9a-f]{64}\r\nx-amz-checksum-crc32:Wwzelw==\r\n"
                + "x-amz-trailer-signature:[0-9a-f]{64}\r\n\r\n"), signed);
        assertTrue(Arrays.equals(data, "hello world 12345678".getBytes(StandardCharsets.US_ASCII)));
    }
}
