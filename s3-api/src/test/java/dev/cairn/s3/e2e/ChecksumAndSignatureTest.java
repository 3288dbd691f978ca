package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.presigner.PresignedRequest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.assertStoreUnchanged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integrity and authentication: wrong and malformed checksums and Content-MD5, presigned URLs
 * (working, expired, tampered, incomplete), unknown keys, anonymous requests, clock skew,
 * payload hashes and chunk signatures that do not match.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChecksumAndSignatureTest {
    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final byte[] KNOWN = "the known content".getBytes();

    private static TestServer server;
    private static S3Client s3;
    private static S3Presigner presigner;
    private static HttpClient http;
    private String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
        presigner = server.presigner();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() {
        presigner.close();
        s3.close();
        server.close();
    }

    @BeforeEach
    void bucket(TestInfo info) {
        bucket = TestServer.uniqueBucket(info.getTestMethod().orElseThrow().getName());
        s3.createBucket(r -> r.bucket(bucket));
        S3Asserts.put(s3, bucket, "known", KNOWN);
    }

    private void assertUnchanged() {
        assertStoreUnchanged(s3, bucket, "known", KNOWN, List.of("known"));
    }

    private URI objectUri(String key) {
        return URI.create(server.endpoint() + "/" + bucket + "/" + key);
    }

    // ------------------------------------------------------------------ checksums and Content-MD5

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"})
    void wrongChecksumHeaderIsBadDigestAndStoresNothing(String alg) {
        byte[] data = "new content".getBytes();
        PutObjectRequest request = S3Asserts.withChecksum(PutObjectRequest.builder().bucket(bucket).key("known"), alg,
                S3Asserts.checksum(alg, "other content".getBytes())).build();

        assertS3Error(400, "BadDigest", () -> s3.putObject(request, RequestBody.fromBytes(data)));

        assertUnchanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "SHA256", "CRC64NVME"})
    void checksumHeaderOfTheWrongLengthIsInvalidRequest(String alg) {
        PutObjectRequest request = S3Asserts.withChecksum(PutObjectRequest.builder().bucket(bucket).key("known"), alg,
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").build();

        assertS3Error(400, "InvalidRequest", () -> s3.putObject(request, RequestBody.fromString("x")));

        assertUnchanged();
    }

    /** AWS: "Value for x-amz-checksum-ALG header is invalid." for a value that is not a digest, on every upload. */
    @Test
    void malformedChecksumHeaderOnAPartOrACompletionIsInvalidRequest() {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("mp")).uploadId();
        var partRequest = S3Asserts.withChecksum(UploadPartRequest.builder().bucket(bucket).key("mp").uploadId(id)
                .partNumber(1), "CRC32", "not base64!").build();
        assertS3Error(400, "InvalidRequest", () -> s3.uploadPart(partRequest, RequestBody.fromString("part")));
        String etag = s3.uploadPart(r -> r.bucket(bucket).key("mp").uploadId(id).partNumber(1),
                RequestBody.fromString("part")).eTag();
        for (String value : List.of("not base64!", "AAAAAAAAAAA=", "AAAAAA==-x")) {
            S3Exception e = assertS3Error(400, "InvalidRequest", () -> s3.completeMultipartUpload(r -> r.bucket(bucket)
                    .key("mp").uploadId(id).checksumCRC32(value)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build()))));
            assertTrue(e.getMessage().contains("Value for x-amz-checksum-crc32 header is invalid."), e::getMessage);
        }
        assertEquals(1, s3.listParts(r -> r.bucket(bucket).key("mp").uploadId(id)).parts().size());
        assertUnchanged();
    }

    @Test
    void wrongContentMd5IsBadDigestAndStoresNothing() {
        assertS3Error(400, "BadDigest", () -> s3.putObject(r -> r.bucket(bucket).key("known")
                .contentMD5(S3Asserts.md5Base64("something else".getBytes())), RequestBody.fromString("new content")));

        assertUnchanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not base64 !!", "AAAAAAAAAAAAAAAAAAAA", "AAECAwQFBgcICQoLDA0ODxA="})
    void malformedContentMd5IsInvalidDigest(String md5) {
        assertS3Error(400, "InvalidDigest", () -> s3.putObject(r -> r.bucket(bucket).key("known").contentMD5(md5),
                RequestBody.fromString("new content")));

        assertUnchanged();
    }

    @Test
    void rightContentMd5AndChecksumTogetherAreAccepted() {
        byte[] data = "verified twice".getBytes();

        s3.putObject(r -> r.bucket(bucket).key("v").contentMD5(S3Asserts.md5Base64(data))
                .checksumSHA256(S3Asserts.checksum("SHA256", data)), RequestBody.fromBytes(data));

        assertArrayEquals(data, S3Asserts.get(s3, bucket, "v"));
    }

    @Test
    void checksumOfTheWrongAlgorithmInAnUploadPartIsRejected() {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("mp")
                .checksumAlgorithm(S3Asserts.sdkAlgorithm("SHA256"))).uploadId();

        assertS3Error(400, "InvalidRequest", () -> s3.uploadPart(r -> r.bucket(bucket).key("mp").uploadId(id).partNumber(1)
                .checksumCRC32(S3Asserts.checksum("CRC32", "p".getBytes())), RequestBody.fromString("p")));

        assertEquals(List.of(), s3.listParts(r -> r.bucket(bucket).key("mp").uploadId(id)).parts());
    }

    // ------------------------------------------------------------------ presigned URLs

    private HttpResponse<byte[]> call(String method, PresignedRequest presigned, byte[] body) throws Exception {
        return call(method, presigned.url().toURI(), presigned.signedHeaders(), body);
    }

    private HttpResponse<byte[]> call(String method, URI uri, Map<String, List<String>> headers, byte[] body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String code(HttpResponse<byte[]> r) {
        Matcher m = CODE.matcher(new String(r.body()));
        return m.find() ? m.group(1) : null;
    }

    private static void assertHttpError(int status, String code, HttpResponse<byte[]> r) {
        assertEquals(status, r.statusCode(), () -> new String(r.body()));
        assertEquals(code, code(r), () -> new String(r.body()));
    }

    @Test
    void presignedPutGetHeadAndDeleteWorkFromAPlainHttpClient() throws Exception {
        byte[] data = "uploaded through a presigned URL".getBytes();
        Duration valid = Duration.ofMinutes(5);

        var put = presigner.presignPutObject(p -> p.signatureDuration(valid)
                .putObjectRequest(r -> r.bucket(bucket).key("p").contentType("text/plain")));
        HttpResponse<byte[]> putResponse = call("PUT", put, data);
        assertEquals(200, putResponse.statusCode(), () -> new String(putResponse.body()));
        assertEquals(S3Asserts.quoted(S3Asserts.md5Hex(data)), putResponse.headers().firstValue("ETag").orElse(null));
        assertEquals("text/plain", s3.headObject(r -> r.bucket(bucket).key("p")).contentType());

        var get = presigner.presignGetObject(p -> p.signatureDuration(valid).getObjectRequest(r -> r.bucket(bucket).key("p")));
        HttpResponse<byte[]> getResponse = call("GET", get, null);
        assertEquals(200, getResponse.statusCode());
        assertArrayEquals(data, getResponse.body());

        var head = presigner.presignHeadObject(p -> p.signatureDuration(valid).headObjectRequest(r -> r.bucket(bucket).key("p")));
        HttpResponse<byte[]> headResponse = call("HEAD", head, null);
        assertEquals(200, headResponse.statusCode());
        assertEquals(Long.toString(data.length), headResponse.headers().firstValue("Content-Length").orElse(null));

        var delete = presigner.presignDeleteObject(p -> p.signatureDuration(valid)
                .deleteObjectRequest(r -> r.bucket(bucket).key("p")));
        assertEquals(204, call("DELETE", delete, null).statusCode());
        assertHttpError(404, "NoSuchKey", call("GET", get, null));
    }

    @Test
    void presignedUrlPastItsExpiryIsAccessDenied() throws Exception {
        var get = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(1))
                .getObjectRequest(r -> r.bucket(bucket).key("known")));

        Thread.sleep(2_100);

        assertHttpError(403, "AccessDenied", call("GET", get, null));
    }

    private URI presignedGet(String key) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(r -> r.bucket(bucket).key(key))).url().toString());
    }

    @Test
    void presignedUrlWithATamperedSignatureIsSignatureDoesNotMatch() throws Exception {
        String url = presignedGet("known").toString();
        Matcher m = Pattern.compile("X-Amz-Signature=([0-9a-f])").matcher(url);
        assertTrue(m.find());
        String flipped = m.group(1).equals("0") ? "1" : "0";
        URI tampered = URI.create(url.substring(0, m.start(1)) + flipped + url.substring(m.end(1)));

        assertHttpError(403, "SignatureDoesNotMatch", call("GET", tampered, Map.of(), null));
    }

    @Test
    void presignedUrlUsedForAnotherKeyOrMethodIsSignatureDoesNotMatch() throws Exception {
        S3Asserts.put(s3, bucket, "other", "secret".getBytes());
        URI url = presignedGet("known");
        URI otherKey = URI.create(url.toString().replace("/known?", "/other?"));

        assertHttpError(403, "SignatureDoesNotMatch", call("GET", otherKey, Map.of(), null));
        assertHttpError(403, "SignatureDoesNotMatch", call("DELETE", url, Map.of(), null));
        assertUnchangedWithOther();
    }

    private void assertUnchangedWithOther() {
        assertStoreUnchanged(s3, bucket, "known", KNOWN, List.of("known", "other"));
    }

    @Test
    void presignedPutWithAnotherContentTypeThanSignedIsSignatureDoesNotMatch() throws Exception {
        var put = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .putObjectRequest(r -> r.bucket(bucket).key("known").contentType("text/plain")));

        HttpResponse<byte[]> r = call("PUT", put.url().toURI(), Map.of("Content-Type", List.of("text/html")), "x".getBytes());

        assertHttpError(403, "SignatureDoesNotMatch", r);
        assertUnchanged();
    }

    /**
     * As AWS answers: 400 AuthorizationQueryParametersError "X-Amz-Expires must be non-negative"
     * (checked before the signature, so no re-signing is needed to reach it).
     */
    @Test
    void presignedUrlWithANegativeExpiryIsAuthorizationQueryParametersError() throws Exception {
        URI url = URI.create(presignedGet("known").toString().replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=-7"));
        HttpResponse<byte[]> r = call("GET", url, Map.of(), null);
        assertHttpError(400, "AuthorizationQueryParametersError", r);
        assertTrue(new String(r.body()).contains("X-Amz-Expires must be non-negative"), () -> new String(r.body()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Algorithm"})
    void presignedUrlMissingAParameterIsAuthorizationQueryParametersError(String parameter) throws Exception {
        String url = presignedGet("known").toString();
        URI stripped = URI.create(url.replaceAll("([?&])" + parameter + "=[^&]*&?", "$1"));
        assertTrue(!stripped.toString().contains(parameter + "="), stripped::toString);

        assertHttpError(400, "AuthorizationQueryParametersError", call("GET", stripped, Map.of(), null));
    }

    @Test
    void presignedUrlValidForMoreThanAWeekIsAuthorizationQueryParametersError() throws Exception {
        URI url = URI.create(presignedGet("known").toString().replaceAll("X-Amz-Expires=\\d+", "X-Amz-Expires=604801"));

        assertHttpError(400, "AuthorizationQueryParametersError", call("GET", url, Map.of(), null));
    }

    // ------------------------------------------------------------------ who is asking

    @Test
    void unknownAccessKeyIsInvalidAccessKeyId() {
        try (S3Client stranger = clientWith("AKIDNOTKNOWNTOCAIRN0", TestServer.SECRET_KEY)) {
            assertS3Error(403, "InvalidAccessKeyId", () -> stranger.listObjectsV2(r -> r.bucket(bucket)));
            assertS3Error(403, "InvalidAccessKeyId", () -> stranger.putObject(r -> r.bucket(bucket).key("known"),
                    RequestBody.fromString("overwritten")));
        }
        assertUnchanged();
    }

    @Test
    void wrongSecretKeyIsSignatureDoesNotMatch() {
        try (S3Client impostor = clientWith(TestServer.ACCESS_KEY, "not/the/secret/key/0123456789abcdefghij")) {
            assertS3Error(403, "SignatureDoesNotMatch", () -> impostor.getObject(r -> r.bucket(bucket).key("known")));
            assertS3Error(403, "SignatureDoesNotMatch", () -> impostor.deleteObject(r -> r.bucket(bucket).key("known")));
        }
        assertUnchanged();
    }

    @Test
    void aRequestSignedForAnotherRegionIsRefusedNamingTheRegionExpected() throws Exception {
        try (S3Client elsewhere = S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(TestServer.credentials())
                .forcePathStyle(true)
                .build()) {
            var e = assertS3Error(400, "AuthorizationHeaderMalformed", () -> elsewhere.deleteObject(r -> r
                    .bucket(bucket).key("known")));
            assertTrue(e.getMessage().contains("the region 'eu-west-1' is wrong; expecting 'us-east-1'"),
                    e.getMessage());
        }
        try (var presigner = software.amazon.awssdk.services.s3.presigner.S3Presigner.builder()
                .endpointOverride(server.endpoint())
                .region(Region.EU_WEST_1)
                .credentialsProvider(TestServer.credentials())
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .build()) {
            URI url = presigner.presignGetObject(p -> p.signatureDuration(java.time.Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(bucket).key("known"))).url().toURI();
            assertHttpError(400, "AuthorizationQueryParametersError", call("GET", url, Map.of(), null));
        }
        assertUnchanged();
    }

    private S3Client clientWith(String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .build();
    }

    @Test
    void anonymousRequestsAreAccessDenied() throws Exception {
        assertHttpError(403, "AccessDenied", call("GET", objectUri("known"), Map.of(), null));
        assertHttpError(403, "AccessDenied", call("PUT", objectUri("known"), Map.of(), "anonymous".getBytes()));
        assertHttpError(403, "AccessDenied", call("GET", URI.create(server.endpoint() + "/"), Map.of(), null));
        try (S3Client anonymous = S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .forcePathStyle(true)
                .build()) {
            assertS3Error(403, "AccessDenied", () -> anonymous.getObject(r -> r.bucket(bucket).key("known")));
            assertS3Error(403, "AccessDenied", () -> anonymous.deleteObject(r -> r.bucket(bucket).key("known")));
        }
        assertUnchanged();
    }

    // ------------------------------------------------------------------ clock skew

    private RawHttp.Response getSignedAt(Instant signingTime) {
        return RawHttp.send(RawHttp.signed(SdkHttpMethod.GET, objectUri("known"), Map.of(), null,
                r -> r.putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signingTime, ZoneOffset.UTC))));
    }

    @Test
    void requestSignedMoreThanFifteenMinutesAgoOrAheadIsRequestTimeTooSkewed() {
        assertRawError(403, "RequestTimeTooSkewed", getSignedAt(Instant.now().minus(Duration.ofMinutes(20))));
        assertRawError(403, "RequestTimeTooSkewed", getSignedAt(Instant.now().plus(Duration.ofMinutes(20))));
    }

    @Test
    void requestSignedWithinFifteenMinutesIsAccepted() {
        RawHttp.Response r = getSignedAt(Instant.now().minus(Duration.ofMinutes(14)));

        assertEquals(200, r.status(), r::toString);
        assertArrayEquals(KNOWN, r.body());
    }

    @Test
    void skewedPutStoresNothing() {
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, objectUri("known"), Map.of(),
                "late".getBytes(), s -> s.putProperty(HttpSigner.SIGNING_CLOCK,
                        Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC))));

        assertRawError(403, "RequestTimeTooSkewed", r);
        assertUnchanged();
    }

    // ------------------------------------------------------------------ signed payloads

    @Test
    void bodyThatDoesNotMatchTheSignedPayloadHashIsXAmzContentSha256MismatchAndStoresNothing() {
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, objectUri("known"), Map.of(), "signed body".getBytes());

        RawHttp.Response r = RawHttp.send(signed.withBody("sent  body!".getBytes()));

        assertRawError(400, "XAmzContentSHA256Mismatch", r);
        assertUnchanged();
    }

    @Test
    void amzHeaderAddedAfterSigningIsAccessDenied() {
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, objectUri("known"), Map.of(), "new".getBytes());

        RawHttp.Response r = RawHttp.send(signed.withHeader("x-amz-meta-injected", "yes"));

        assertRawError(403, "AccessDenied", r);
        assertUnchanged();
    }

    @Test
    void signedHeaderChangedAfterSigningIsSignatureDoesNotMatch() {
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, objectUri("known"),
                Map.of("Content-Type", "text/plain"), "new".getBytes());

        RawHttp.Response r = RawHttp.send(signed.withHeader("Content-Type", "text/html"));

        assertRawError(403, "SignatureDoesNotMatch", r);
        assertUnchanged();
    }

    private RawHttp.Request signedChunked(byte[] data) {
        return RawHttp.signed(SdkHttpMethod.PUT, objectUri("known"),
                Map.of("x-amz-decoded-content-length", Integer.toString(data.length)), data,
                r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                        .putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM,
                                software.amazon.awssdk.checksums.DefaultChecksumAlgorithm.CRC32));
    }

    @Test
    void signedAwsChunkedUploadIsAcceptedAsTheSignerMadeIt() {
        byte[] data = S3Asserts.randomBytes(200_000, 9);
        RawHttp.Request signed = signedChunked(data);
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", signed.header("x-amz-content-sha256"));

        RawHttp.Response r = RawHttp.send(signed);

        assertEquals(200, r.status(), r::toString);
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "known"));
    }

    @Test
    void tamperedChunkDataInASignedStreamIsSignatureDoesNotMatchAndStoresNothing() {
        byte[] data = S3Asserts.randomBytes(200_000, 9);
        RawHttp.Request signed = signedChunked(data);
        byte[] body = signed.body().clone();
        int at = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("\r\n") + 2 + 1000;
        body[at] ^= 1;

        RawHttp.Response r = RawHttp.send(signed.withBody(body));

        assertRawError(403, "SignatureDoesNotMatch", r);
        assertUnchanged();
    }

    @Test
    void tamperedChunkSignatureOrTrailerSignatureIsSignatureDoesNotMatch() {
        byte[] data = "short signed stream".getBytes();
        RawHttp.Request signed = signedChunked(data);
        String body = new String(signed.body(), java.nio.charset.StandardCharsets.ISO_8859_1);

        for (String marker : List.of("chunk-signature=", "x-amz-trailer-signature:")) {
            int at = body.indexOf(marker) + marker.length();
            char c = body.charAt(at) == '0' ? '1' : '0';
            byte[] tampered = (body.substring(0, at) + c + body.substring(at + 1))
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

            assertRawError(403, "SignatureDoesNotMatch", RawHttp.send(signed.withBody(tampered)));
        }
        assertUnchanged();
    }
}
