package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Header values with non-ASCII bytes, as boto3, the SDKs' URL-connection clients and browsers send
 * them (UTF-8 on the wire): the SigV4 canonical request is built from the bytes as received, in
 * header, presigned and streaming (aws-chunked) auth, and user metadata and stored system headers
 * come back byte for byte as they were sent.
 */
class NonAsciiHeaderValuesTest {
    static final String VALUE = "Hello World\u00e9 \u65e5\u672c \u00fc";

    private static TestServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(64 * 1024));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @BeforeEach
    void bucket(TestInfo info) {
        bucket = TestServer.uniqueBucket(info.getTestMethod().orElseThrow().getName());
        s3.createBucket(r -> r.bucket(bucket));
    }

    private URI uri(String path) {
        return URI.create(server.endpoint() + "/" + bucket + path);
    }

    private RawHttp.Response get(SdkHttpMethod method, String key) {
        return RawHttp.send(RawHttp.signed(method, uri("/" + key), Map.of(), null));
    }

    @Test
    void utf8MetadataSignedOverItsBytesIsStoredAndReturnedByteForByte() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-amz-meta-meta1", VALUE);
        headers.put("Content-Disposition", "attachment; filename=\"r\u00e9sum\u00e9.txt\"");
        RawHttp.Response put = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri("/utf8"), headers,
                "body".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, put.status(), put::toString);

        for (SdkHttpMethod method : List.of(SdkHttpMethod.GET, SdkHttpMethod.HEAD)) {
            RawHttp.Response got = get(method, "utf8");
            assertEquals(200, got.status(), got::toString);
            // RawHttp reads the response head as UTF-8: equal strings mean equal bytes on the wire
            assertEquals(VALUE, got.header("x-amz-meta-meta1"), method + " metadata");
            assertEquals("attachment; filename=\"r\u00e9sum\u00e9.txt\"", got.header("Content-Disposition"),
                    method + " Content-Disposition");
        }
    }

    @Test
    void utf8MetadataCountsItsBytesAgainstTheTwoKilobyteLimit() {
        String fits = "\u00e9".repeat(1022); // "m" + 2044 bytes = 2045
        RawHttp.Response ok = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri("/fits"),
                Map.of("x-amz-meta-m", fits), new byte[0]));
        assertEquals(200, ok.status(), ok::toString);
        RawHttp.Response tooLarge = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri("/too-large"),
                Map.of("x-amz-meta-m", fits + "\u00e9\u00e9"), new byte[0])); // 2049 bytes
        assertRawError(400, "MetadataTooLarge", tooLarge);
    }

    @Test
    void aTamperedNonAsciiValueIsSignatureDoesNotMatch() {
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, uri("/tampered"), Map.of("x-amz-meta-meta1", VALUE),
                "body".getBytes(StandardCharsets.UTF_8));
        assertRawError(403, "SignatureDoesNotMatch",
                RawHttp.send(signed.withHeader("x-amz-meta-meta1", VALUE.replace('\u00e9', '\u00e8'))));
    }

    @Test
    void aStreamingSignedUploadWithUtf8MetadataIsAccepted() {
        byte[] data = S3Asserts.randomBytes(200_000, 7);
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, uri("/streamed"), Map.of("x-amz-meta-meta1", VALUE),
                data, r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true));
        RawHttp.Response put = RawHttp.send(signed);
        assertEquals(200, put.status(), put::toString);
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "streamed"));
        assertEquals(VALUE, get(SdkHttpMethod.HEAD, "streamed").header("x-amz-meta-meta1"));
    }

    @Test
    void aPresignedPutSigningUtf8MetadataIsAccepted() {
        try (S3Presigner presigner = server.presigner()) {
            var presigned = presigner.presignPutObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .putObjectRequest(r -> r.bucket(bucket).key("presigned").metadata(Map.of("meta1", VALUE))));
            Map<String, String> headers = new LinkedHashMap<>();
            presigned.signedHeaders().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("host")) {
                    headers.put(name, String.join(",", values));
                }
            });
            URI url = URI.create(presigned.url().toString());
            RawHttp.Response put = RawHttp.send(RawHttp.unsigned(SdkHttpMethod.PUT, url, headers,
                    "presigned body".getBytes(StandardCharsets.UTF_8)));
            assertEquals(200, put.status(), put::toString);
        }
        assertEquals(VALUE, get(SdkHttpMethod.HEAD, "presigned").header("x-amz-meta-meta1"));
    }

    /**
     * The SDK for Java's Apache client writes each character of a header value as one byte
     * (ISO-8859-1) but signs the value as UTF-8; Cairn accepts that as before, and the bytes it
     * sent come back, so the SDK reads back the value it stored.
     */
    @Test
    void theJavaSdkApacheClientStoresAndReadsLatinOneMetadata() {
        s3.putObject(r -> r.bucket(bucket).key("sdk").metadata(Map.of("meta1", "Hello World\u00e9")),
                RequestBody.fromString("sdk"));
        assertEquals("Hello World\u00e9", s3.headObject(r -> r.bucket(bucket).key("sdk")).metadata().get("meta1"));
    }
}
