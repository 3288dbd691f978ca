package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.cairn.s3.e2e.S3Asserts.checksumOf;
import static dev.cairn.s3.e2e.S3Asserts.md5Hex;
import static dev.cairn.s3.e2e.S3Asserts.quoted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SDK on its default checksum settings, as real users run it: the sync client sends
 * aws-chunked bodies with signed chunks and a CRC32 trailer, GetObject asks for and validates the
 * checksum; the async client sends unsigned aws-chunked bodies with trailers. Default server
 * (4 MiB chunks, 16 KiB inline threshold).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DefaultChecksumsTest {
    static final int MIB = 1024 * 1024;

    private static TestServer server;
    private static S3Client s3;
    private static S3Client plain;
    /** Shared: closing a Netty client waits out its event loop's quiet period. */
    private static S3AsyncClient async;
    /** Headers of the last request the sync client sent, by operation name. */
    private static final Map<String, Map<String, List<String>>> SENT = new ConcurrentHashMap<>();
    private String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        // the same settings as TestServer.defaultChecksumClient(), plus a look at what goes on the wire
        s3 = S3Client.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials())
                .forcePathStyle(true)
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        SENT.put(context.request().getClass().getSimpleName(), context.httpRequest().headers());
                    }
                }))
                .build();
        plain = server.client();
        async = server.asyncClient(false);
    }

    @AfterAll
    static void stop() {
        s3.close();
        plain.close();
        async.close();
        server.close();
    }

    @BeforeEach
    void bucket(TestInfo info) {
        bucket = TestServer.uniqueBucket(info.getTestMethod().orElseThrow().getName());
        s3.createBucket(r -> r.bucket(bucket));
    }

    private static String sentHeader(String operation, String name) {
        Map<String, List<String>> h = SENT.get(operation);
        return h.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    private void assertGetValidates(String key, byte[] data, String alg) {
        var got = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(S3Asserts.checksum(alg, data), checksumOf(got.response(), alg));
    }

    @Test
    void theTestsOwnCrc64NvmeMatchesTheStandardCheckValue() {
        // CRC-64/NVME check value (CRC of "123456789"), as published with the NVMe specification
        assertEquals(0xAE8B14860A799888L, S3Asserts.Crc64.nvme("123456789".getBytes()));
    }

    @Test
    void smallObjectPutWithSdkDefaultsSendsACrc32TrailerAndGetValidatesIt() {
        byte[] data = "hello, cairn".getBytes();

        PutObjectResponse put = S3Asserts.put(s3, bucket, "small", data);

        assertEquals("x-amz-checksum-crc32", sentHeader("PutObjectRequest", "x-amz-trailer"));
        assertEquals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", sentHeader("PutObjectRequest", "x-amz-content-sha256"));
        assertEquals(quoted(md5Hex(data)), put.eTag());
        assertEquals(S3Asserts.checksum("CRC32", data), put.checksumCRC32());
        var got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("small").checksumMode(ChecksumMode.ENABLED));
        assertEquals("ENABLED", sentHeader("GetObjectRequest", "x-amz-checksum-mode"));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(S3Asserts.checksum("CRC32", data), got.response().checksumCRC32());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {4 * MIB - 1, 4 * MIB, 4 * MIB + 1, 9 * MIB + 7})
    void multiChunkObjectsAroundTheChunkSizeRoundTripWithValidation(int size) {
        byte[] data = S3Asserts.randomBytes(size, size);

        PutObjectResponse put = S3Asserts.put(s3, bucket, "big", data);

        assertEquals(quoted(md5Hex(data)), put.eTag());
        assertEquals(S3Asserts.checksum("CRC32", data), put.checksumCRC32());
        assertGetValidates("big", data, "CRC32");
        var tail = s3.getObjectAsBytes(r -> r.bucket(bucket).key("big").range("bytes=" + (4 * MIB - 2) + "-"));
        assertArrayEquals(Arrays.copyOfRange(data, 4 * MIB - 2, size), tail.asByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void everyAlgorithmInTrailerFormIsVerifiedStoredAndEchoed(String alg) {
        byte[] data = S3Asserts.randomBytes(300_000, alg.hashCode());

        PutObjectResponse put = s3.putObject(r -> r.bucket(bucket).key("t").checksumAlgorithm(S3Asserts.sdkAlgorithm(alg)),
                RequestBody.fromBytes(data));

        assertEquals("x-amz-checksum-" + alg.toLowerCase(), sentHeader("PutObjectRequest", "x-amz-trailer"));
        assertEquals(S3Asserts.checksum(alg, data), checksumOf(put, alg));
        assertGetValidates("t", data, alg);
        var head = s3.headObject(r -> r.bucket(bucket).key("t").checksumMode(ChecksumMode.ENABLED));
        assertEquals(S3Asserts.checksum(alg, data), checksumOf(head, alg));
        assertEquals("FULL_OBJECT", head.checksumTypeAsString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"})
    void everyAlgorithmInHeaderFormIsVerifiedStoredAndEchoed(String alg) {
        byte[] data = S3Asserts.randomBytes(70_000, alg.hashCode() + 1);
        String value = S3Asserts.checksum(alg, data);
        PutObjectRequest request = S3Asserts.withChecksum(PutObjectRequest.builder().bucket(bucket).key("h"), alg, value)
                .build();

        PutObjectResponse put = s3.putObject(request, RequestBody.fromBytes(data));

        assertEquals(value, sentHeader("PutObjectRequest", "x-amz-checksum-" + alg.toLowerCase()));
        assertNull(sentHeader("PutObjectRequest", "x-amz-trailer"));
        assertEquals(value, checksumOf(put, alg));
        assertGetValidates("h", data, alg);
    }

    @Test
    void crc64nvmeInTrailerFormIsVerifiedStoredAndEchoed() {
        byte[] data = S3Asserts.randomBytes(200_000, 64);
        String value = S3Asserts.checksum("CRC64NVME", data);
        // the SDK computes CRC64NVME only with aws-crt; its signer sends a trailer whose value is given
        RawHttp.Request put = RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + bucket + "/nvme"),
                Map.of("x-amz-trailer", "x-amz-checksum-crc64nvme", "x-amz-checksum-crc64nvme", value,
                        "x-amz-decoded-content-length", Integer.toString(data.length)),
                data, r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true));
        assertTrue(new String(put.body()).contains("x-amz-checksum-crc64nvme:" + value));

        RawHttp.Response r = RawHttp.send(put);

        assertEquals(200, r.status(), r::toString);
        assertEquals(value, r.header("x-amz-checksum-crc64nvme"));
        assertGetValidates("nvme", data, "CRC64NVME");
    }

    @Test
    void asyncClientDefaultsPutAndGetWithValidation() throws Exception {
        byte[] small = "async small".getBytes();
        byte[] big = S3Asserts.randomBytes(6 * MIB + 3, 77);

        PutObjectResponse p1 = async.putObject(r -> r.bucket(bucket).key("s"), AsyncRequestBody.fromBytes(small)).get();
        PutObjectResponse p2 = async.putObject(r -> r.bucket(bucket).key("b"), AsyncRequestBody.fromBytes(big)).get();

        assertEquals(S3Asserts.checksum("CRC32", small), p1.checksumCRC32());
        assertEquals(quoted(md5Hex(big)), p2.eTag());
        for (var e : Map.of("s", small, "b", big).entrySet()) {
            var got = async.getObject(r -> r.bucket(bucket).key(e.getKey()).checksumMode(ChecksumMode.ENABLED),
                    AsyncResponseTransformer.toBytes()).get();
            assertArrayEquals(e.getValue(), got.asByteArray());
            assertEquals(S3Asserts.checksum("CRC32", e.getValue()), got.response().checksumCRC32());
        }
    }

    @Test
    void asyncClientWithSha256TrailerRoundTrips() throws Exception {
        byte[] data = S3Asserts.randomBytes(5 * MIB, 78);

        PutObjectResponse put = async.putObject(r -> r.bucket(bucket).key("sha")
                .checksumAlgorithm(S3Asserts.sdkAlgorithm("SHA256")), AsyncRequestBody.fromBytes(data)).get();

        assertEquals(S3Asserts.checksum("SHA256", data), put.checksumSHA256());
        assertGetValidates("sha", data, "SHA256");
    }

    @Test
    void rangedGetWithChecksumValidationDoesNotFail() {
        byte[] data = S3Asserts.randomBytes(5 * MIB, 79);
        S3Asserts.put(s3, bucket, "r", data);

        var got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("r").range("bytes=100-199").checksumMode(ChecksumMode.ENABLED));

        assertArrayEquals(Arrays.copyOfRange(data, 100, 200), got.asByteArray());
        assertNull(got.response().checksumCRC32(), "a range has no whole-object checksum to validate");
    }

    @Test
    void objectStoredWithoutAChecksumIsReadWithoutValidationErrors() {
        byte[] data = "no checksum stored".getBytes();
        S3Asserts.put(plain, bucket, "n", data);

        GetObjectResponse got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("n")).response();

        assertNull(got.checksumCRC32());
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "n"));
    }

    @Test
    void manualMultipartWithSdkDefaultsCompletesAndReadsBack() {
        List<byte[]> data = List.of(S3Asserts.randomBytes(5 * MIB, 80), S3Asserts.randomBytes(1234, 81));
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("m")).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            int n = i + 1;
            UploadPartResponse up = s3.uploadPart(r -> r.bucket(bucket).key("m").uploadId(id).partNumber(n),
                    RequestBody.fromBytes(data.get(n - 1)));
            assertEquals("x-amz-checksum-crc32", sentHeader("UploadPartRequest", "x-amz-trailer"));
            assertEquals(S3Asserts.checksum("CRC32", data.get(i)), up.checksumCRC32());
            parts.add(CompletedPart.builder().partNumber(n).eTag(up.eTag()).checksumCRC32(up.checksumCRC32()).build());
        }

        var done = s3.completeMultipartUpload(r -> r.bucket(bucket).key("m").uploadId(id).multipartUpload(m -> m.parts(parts)));

        assertEquals(S3Asserts.multipartEtag(data), done.eTag());
        var got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("m").checksumMode(ChecksumMode.ENABLED));
        assertArrayEquals(S3Asserts.concat(data), got.asByteArray());
    }

    @Test
    void deleteObjectsWithTheSdksRequiredChecksumWorks() {
        S3Asserts.put(s3, bucket, "a", new byte[] {1});
        S3Asserts.put(s3, bucket, "b", new byte[] {2});

        var r = s3.deleteObjects(d -> d.bucket(bucket).delete(x -> x.objects(o -> o.key("a"), o -> o.key("b"))));

        assertEquals(2, r.deleted().size());
        assertTrue(SENT.get("DeleteObjectsRequest").keySet().stream().anyMatch(h -> h.toLowerCase().startsWith("x-amz-checksum-")
                || h.equalsIgnoreCase("Content-MD5") || h.equalsIgnoreCase("x-amz-trailer")), "the SDK sent a body checksum");
        assertEquals(List.of(), S3Asserts.allKeys(s3, bucket));
    }
}
