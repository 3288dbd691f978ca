package dev.cairn.s3.e2e;

import dev.cairn.s3.ServerConfig;
import dev.cairn.s3.data.IngestBudget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upload bodies are filled into reused chunk buffers (a small one first, then one of the chunk's
 * size): every size around the buffer and chunk boundaries, in every payload mode, stores exactly
 * the bytes sent with the right ETag; a failed upload stores nothing; and every buffer goes back to
 * the memory budget once its upload is answered, whether it succeeded or not.
 */
class UploadBuffersTest {
    private static final int CHUNK = 256 * 1024;
    private static final int[] SIZES = {0, 1, 4095, 65535, 65536, 65537, 100_000, CHUNK - 1, CHUNK, CHUNK + 1,
        CHUNK + 65536, 3 * CHUNK + 5};
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        // a body that stops coming (the truncated one) fails after 2 s and gives its buffer back then
        server = TestServer.start(c -> c.withChunkSize(CHUNK).withLimits(
                new ServerConfig.Limits(256L << 20, Duration.ofSeconds(2))));
        s3 = server.client();
        s3.createBucket(b -> b.bucket("buffers"));
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @Test
    void everySizeAndPayloadModeStoresExactlyTheBytesSentAndGivesItsBuffersBack() throws Exception {
        long reservedBefore = IngestBudget.shared().reserved();
        for (int size : SIZES) {
            byte[] data = bytes(size);
            String md5 = hex(md5(data));
            String key = "sdk-" + size;
            String etag = s3.putObject(b -> b.bucket("buffers").key(key), RequestBody.fromBytes(data)).eTag();
            assertEquals("\"" + md5 + "\"", etag, key);
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("buffers").key(key)).asByteArray(), key);

            put("signed-" + size, data, r -> { });
            put("unsigned-" + size, data, r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
            put("chunked-" + size, data, r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true));
        }
        awaitReserved(reservedBefore);
    }

    @Test
    void aBodyWithTheWrongDigestStoresNothingAndGivesItsBuffersBack() throws Exception {
        long reservedBefore = IngestBudget.shared().reserved();
        byte[] data = bytes(3 * CHUNK + 7);
        byte[] wrongMd5 = md5(bytes(10));
        RawHttp.Response bad = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri("/buffers/bad-digest"),
                Map.of("Content-MD5", Base64.getEncoder().encodeToString(wrongMd5)), data));
        assertEquals(400, bad.status(), bad.toString());
        assertEquals("BadDigest", bad.errorCode(), bad.toString());
        assertTrue(s3.listObjectsV2(b -> b.bucket("buffers").prefix("bad-")).contents().isEmpty());
        awaitReserved(reservedBefore);
    }

    @Test
    void aTruncatedBodyStoresNothingAndGivesItsBuffersBack() throws Exception {
        long reservedBefore = IngestBudget.shared().reserved();
        byte[] data = bytes(3 * CHUNK + 7);
        RawHttp.Response truncated = RawHttp.sendTruncated(RawHttp.signed(SdkHttpMethod.PUT,
                uri("/buffers/truncated"), Map.of(), data,
                r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)), CHUNK + 100);
        if (truncated != null) {
            assertEquals(400, truncated.status(), truncated.toString()); // RequestTimeout or IncompleteBody
        }
        assertTrue(s3.listObjectsV2(b -> b.bucket("buffers").prefix("truncated")).contents().isEmpty());
        awaitReserved(reservedBefore);
    }

    private static void put(String key, byte[] data, Consumer<SignRequest.Builder<AwsCredentialsIdentity>> options)
            throws Exception {
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri("/buffers/" + key), Map.of(), data,
                options));
        assertEquals(200, r.status(), key + ": " + r);
        assertEquals("\"" + hex(md5(data)) + "\"", r.header("ETag"), key);
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("buffers").key(key)).asByteArray(), key);
    }

    /** The budget is given back as each chunk's write completes, which may trail the answer a little. */
    private static void awaitReserved(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (IngestBudget.shared().reserved() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, IngestBudget.shared().reserved(), "bytes still held in upload buffers");
    }

    private static URI uri(String path) {
        return server.endpoint().resolve(path);
    }

    private static byte[] bytes(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] md5(byte[] data) throws Exception {
        return MessageDigest.getInstance("MD5").digest(data);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
