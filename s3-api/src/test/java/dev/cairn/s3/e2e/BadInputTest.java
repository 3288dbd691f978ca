package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.assertStoreUnchanged;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Requests S3 must refuse, and in every case the store must be left as it was: a known object
 * is put first under the key the bad request targets, and afterwards it still has its bytes and
 * ETag and no other key has appeared.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BadInputTest {
    private static final byte[] KNOWN = "the known content, which must survive".getBytes();

    private static TestServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
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
        S3Asserts.put(s3, bucket, "known", KNOWN);
    }

    private void assertUnchanged() {
        assertStoreUnchanged(s3, bucket, "known", KNOWN, List.of("known"));
    }

    private URI uri(String pathAndQuery) {
        return URI.create(server.endpoint() + "/" + bucket + pathAndQuery);
    }

    /** The same URI as https: the SDK signer only leaves a payload unsigned over TLS (the scheme is not signed). */
    private URI tlsUri(String pathAndQuery) {
        return URI.create(server.endpoint().toString().replace("http://", "https://") + "/" + bucket + pathAndQuery);
    }

    // ------------------------------------------------------------------ names

    @ParameterizedTest
    @ValueSource(strings = {"MyBucket", "ab", "192.168.1.1", "xn--abc", "bucket_name", "-bucket", "bucket-", "a..b",
            "bu.-ck", "sthree-bucket", "bucket-s3alias", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void invalidBucketNamesAreInvalidBucketName(String name) {
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + name), Map.of(), null));

        assertRawError(400, "InvalidBucketName", r);
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(name)));
    }

    @Test
    void keyOfMoreThan1024Utf8BytesIsKeyTooLongError() {
        String ascii1025 = "k".repeat(1025);
        String cjk1026 = "日".repeat(342);

        assertS3Error(400, "KeyTooLongError", () -> S3Asserts.put(s3, bucket, ascii1025, "x".getBytes()));
        assertS3Error(400, "KeyTooLongError", () -> S3Asserts.put(s3, bucket, cjk1026, "x".getBytes()));
        assertS3Error(400, "KeyTooLongError", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key(ascii1025)));
        assertUnchanged();

        String ascii1024 = "k".repeat(1024);
        String cjk1024 = "日".repeat(341) + "a";
        S3Asserts.put(s3, bucket, ascii1024, "a".getBytes());
        S3Asserts.put(s3, bucket, cjk1024, "b".getBytes());
        assertArrayEquals("b".getBytes(), S3Asserts.get(s3, bucket, cjk1024));
        assertEquals(3, S3Asserts.allKeys(s3, bucket).size());
    }

    @Test
    void invalidPercentEncodingInThePathIsInvalidUri() {
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, uri("/bad%25ZZkey"), Map.of(), "x".getBytes());

        RawHttp.Response r = RawHttp.send(signed.withTarget("/" + bucket + "/bad%ZZkey"));
        RawHttp.Response notUtf8 = RawHttp.send(signed.withTarget("/" + bucket + "/bad%C3%28key"));

        assertRawError(400, "InvalidURI", r);
        assertRawError(400, "InvalidURI", notUtf8);
        assertUnchanged();
    }

    // ------------------------------------------------------------------ headers

    @Test
    void userMetadataOverTwoKilobytesIsMetadataTooLarge() {
        // S3 counts the UTF-8 bytes of every name (without x-amz-meta-) and value
        String exactly2048 = "v".repeat(2048 - "name".length());
        S3Asserts.put(s3, bucket, "k2048", new byte[0]);
        s3.putObject(r -> r.bucket(bucket).key("k2048").metadata(Map.of("name", exactly2048)), RequestBody.empty());
        assertEquals(exactly2048, s3.headObject(r -> r.bucket(bucket).key("k2048")).metadata().get("name"));
        s3.deleteObject(r -> r.bucket(bucket).key("k2048"));

        assertS3Error(400, "MetadataTooLarge", () -> s3.putObject(r -> r.bucket(bucket).key("known")
                .metadata(Map.of("name", exactly2048 + "v")), RequestBody.fromString("replacement")));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 40; i++) {
            many.put("key-" + i, "ü".repeat(30)); // 40 x (5 or 6 + 60) bytes
        }
        assertS3Error(400, "MetadataTooLarge", () -> s3.putObject(r -> r.bucket(bucket).key("known").metadata(many),
                RequestBody.fromString("replacement")));
        assertS3Error(400, "MetadataTooLarge", () -> s3.createMultipartUpload(r -> r.bucket(bucket).key("mp")
                .metadata(many)));

        assertUnchanged();
        assertEquals(List.of(), s3.listMultipartUploads(r -> r.bucket(bucket)).uploads());
    }

    @Test
    void unknownStorageClassIsInvalidStorageClass() {
        assertS3Error(400, "InvalidStorageClass", () -> s3.putObject(r -> r.bucket(bucket).key("known")
                .storageClass("VERY_COLD"), RequestBody.fromString("replacement")));

        assertUnchanged();
    }

    @Test
    void unrecognisedContentSha256IsInvalidArgument() {
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, uri("/known"), Map.of(), "replacement".getBytes());

        RawHttp.Response r = RawHttp.send(signed.withHeader("x-amz-content-sha256", "NOT-A-PAYLOAD-MODE"));

        assertRawError(400, "InvalidArgument", r);
        assertUnchanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1-2-3", "bytes 0-1", "bytes=-", "Bytes=0-1x", "bytes=a-b"})
    void malformedRangeHeadersAreIgnored(String range) {
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET, uri("/known"), Map.of("Range", range), null));

        assertEquals(200, r.status(), r::toString);
        assertArrayEquals(KNOWN, r.body());
        assertEquals(null, r.header("Content-Range"));
    }

    @Test
    void unimplementedObjectOperationsAreNotImplemented() {
        assertS3Error(501, "NotImplemented", () -> s3.getObjectTorrent(r -> r.bucket(bucket).key("known"),
                software.amazon.awssdk.core.sync.ResponseTransformer.toBytes()));
        assertS3Error(501, "NotImplemented", () -> s3.restoreObject(r -> r.bucket(bucket).key("known")));
        // object lock is implemented, and asked of a bucket without it, it is InvalidRequest as on AWS
        assertS3Error(400, "InvalidRequest", () -> s3.getObjectLegalHold(r -> r.bucket(bucket).key("known")));
        assertS3Error(400, "InvalidRequest", () -> s3.getObjectRetention(r -> r.bucket(bucket).key("known")));

        assertUnchanged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"max-keys=-1", "max-keys=abc", "encoding-type=xml", "continuation-token=%21%21%21"})
    void invalidListParametersAreInvalidArgument(String parameter) {
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET, uri("?list-type=2&" + parameter), Map.of(), null));

        assertRawError(400, "InvalidArgument", r);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10_001})
    void partNumberOutsideOneToTenThousandIsInvalidArgument(int partNumber) {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("mp")).uploadId();

        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT,
                uri("/mp?partNumber=" + partNumber + "&uploadId=" + id), Map.of(), "x".getBytes()));

        assertRawError(400, "InvalidArgument", r);
        assertEquals(List.of(), s3.listParts(x -> x.bucket(bucket).key("mp").uploadId(id)).parts());
    }

    // ------------------------------------------------------------------ malformed XML

    static Stream<String> malformedDeleteDocuments() {
        String thousandAndOne = "<Delete>" + "<Object><Key>known</Key></Object>".repeat(1001) + "</Delete>";
        return Stream.of("", "not xml at all", "<Delete><Object><Key>known</Key></Object>",
                "<Wrong><Object><Key>known</Key></Object></Wrong>", "<Delete></Delete>",
                "<Delete><Object></Object></Delete>",
                "<Delete><Object><Key>known</Key><Key>other</Key></Object></Delete>",
                "<!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/hostname\">]><Delete><Object><Key>&e;</Key></Object></Delete>",
                thousandAndOne);
    }

    @ParameterizedTest
    @MethodSource("malformedDeleteDocuments")
    void malformedDeleteObjectsDocumentIsMalformedXmlAndDeletesNothing(String document) {
        byte[] body = document.getBytes(StandardCharsets.UTF_8);

        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.POST, uri("?delete"),
                Map.of("Content-MD5", S3Asserts.md5Base64(body), "Content-Type", "application/xml"), body));

        assertRawError(400, "MalformedXML", r);
        assertUnchanged();
    }

    static Stream<String> malformedCompleteDocuments() {
        return Stream.of("", "garbage", "<CompleteMultipartUpload></CompleteMultipartUpload>",
                "<CompleteMultipartUpload><Part><PartNumber>one</PartNumber><ETag>\"x\"</ETag></Part></CompleteMultipartUpload>",
                "<CompleteMultipartUpload><Part><ETag>\"x\"</ETag></Part></CompleteMultipartUpload>",
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
                "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"x\"</ETag></Part>",
                "<Complete><Part><PartNumber>1</PartNumber><ETag>\"x\"</ETag></Part></Complete>");
    }

    @ParameterizedTest
    @MethodSource("malformedCompleteDocuments")
    void malformedCompleteMultipartUploadDocumentIsMalformedXmlAndKeepsTheUpload(String document) {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("known")).uploadId();
        String etag = s3.uploadPart(r -> r.bucket(bucket).key("known").uploadId(id).partNumber(1),
                RequestBody.fromString("part")).eTag();

        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.POST, uri("/known?uploadId=" + id), Map.of(),
                document.getBytes(StandardCharsets.UTF_8)));

        assertRawError(400, "MalformedXML", r);
        assertUnchanged();
        assertEquals(1, s3.listParts(x -> x.bucket(bucket).key("known").uploadId(id)).parts().size());
        s3.completeMultipartUpload(x -> x.bucket(bucket).key("known").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag).build())));
        assertArrayEquals("part".getBytes(), S3Asserts.get(s3, bucket, "known"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "<CreateBucketConfiguration><LocationConstraint>us-east-1",
            "<Wrong><LocationConstraint>us-east-1</LocationConstraint></Wrong>"})
    void malformedCreateBucketDocumentIsMalformedXmlAndCreatesNothing(String document) {
        String name = TestServer.uniqueBucket("malformed");

        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, URI.create(server.endpoint() + "/" + name),
                Map.of(), document.getBytes(StandardCharsets.UTF_8)));

        assertRawError(400, "MalformedXML", r);
        assertFalse(s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(name)));
    }

    // ------------------------------------------------------------------ aws-chunked framing

    private static final String DATA = "The quick brown fox jumps over the lazy!";  // 40 bytes
    private static final String CRC = S3Asserts.checksum("CRC32", DATA.getBytes());
    private static final String TRAILER = "x-amz-checksum-crc32:" + CRC + "\r\n\r\n";

    /**
     * A PUT of a hand-built aws-chunked body, signed by the SDK as STREAMING-UNSIGNED-PAYLOAD-TRAILER
     * with a CRC32 trailer and the given x-amz-decoded-content-length. The signer derives the
     * (signed) Content-Length from the declared length and the trailer it will frame, so the
     * trailer value handed to it is sized to make that Content-Length the hand-built body's
     * length; a body too short for that is padded with a chunk extension on its first line
     * (extensions are ignored by aws-chunked readers).
     */
    private RawHttp.Request unsignedChunked(String pathAndQuery, int decodedLength, String body) {
        int base = Integer.parseInt(signChunked(pathAndQuery, decodedLength, 1).header("Content-Length"));
        int valueLength = 1;
        int pad = 0;
        if (body.length() >= base) {
            valueLength = body.length() - base + 1;
        } else {
            pad = base - body.length();
            if (pad < 3) {
                valueLength += 3 - pad;
                pad = 3;
            }
        }
        String padded = body;
        if (pad > 0) {
            int eol = body.indexOf("\r\n");
            padded = body.substring(0, eol) + ";" + "p".repeat(pad - 1) + body.substring(eol);
        }
        RawHttp.Request signed = signChunked(pathAndQuery, decodedLength, valueLength);
        byte[] raw = padded.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("STREAMING-UNSIGNED-PAYLOAD-TRAILER", signed.header("x-amz-content-sha256"));
        assertEquals(Integer.toString(raw.length), signed.header("Content-Length"));
        return signed.withBody(raw);
    }

    private RawHttp.Request signChunked(String pathAndQuery, int decodedLength, int trailerValueLength) {
        return RawHttp.signed(SdkHttpMethod.PUT, tlsUri(pathAndQuery),
                Map.of("x-amz-decoded-content-length", Integer.toString(decodedLength),
                        "x-amz-trailer", "x-amz-checksum-crc32",
                        "x-amz-checksum-crc32", "A".repeat(trailerValueLength)),
                new byte[decodedLength],
                r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
    }

    @Test
    void handBuiltAwsChunkedBodyIsAcceptedWhenWellFormed() {
        RawHttp.Response r = RawHttp.send(unsignedChunked("/known", 40, "28\r\n" + DATA + "\r\n0\r\n" + TRAILER));

        assertEquals(200, r.status(), r::toString);
        assertEquals(CRC, r.header("x-amz-checksum-crc32"));
        assertArrayEquals(DATA.getBytes(), S3Asserts.get(s3, bucket, "known"));
    }

    static Stream<Arguments> badFraming() {
        String sixty = DATA + DATA.substring(0, 20);
        return Stream.of(
                Arguments.of("size not hex", 40, "zz\r\n" + DATA + "\r\n0\r\n" + TRAILER, "IncompleteBody"),
                Arguments.of("data not followed by CRLF", 40, "28\r\n" + DATA + "XX0\r\n" + TRAILER, "IncompleteBody"),
                Arguments.of("size larger than the data", 48, "30\r\n" + DATA + "\r\n0\r\n" + TRAILER, "IncompleteBody"),
                Arguments.of("no final chunk", 60, "3c\r\n" + sixty + "\r\n", "IncompleteBody"),
                Arguments.of("stream cut inside a chunk", 60, "3c\r\n" + sixty.substring(0, 55), "IncompleteBody"),
                Arguments.of("chunk line over 4 KiB", 40, "28;" + "x".repeat(5000) + "\r\n" + DATA + "\r\n0\r\n" + TRAILER,
                        "IncompleteBody"),
                Arguments.of("size overflows", 40, "fffffffffffffffffff\r\n" + DATA + "\r\n0\r\n" + TRAILER, "IncompleteBody"),
                Arguments.of("bytes after the end", 40, "28\r\n" + DATA + "\r\n0\r\n" + TRAILER + "junk", "IncompleteBody"),
                Arguments.of("fewer bytes than the decoded length", 50, "28\r\n" + DATA + "\r\n0\r\n" + TRAILER,
                        "IncompleteBody"),
                Arguments.of("more bytes than the decoded length", 30, "28\r\n" + DATA + "\r\n0\r\n" + TRAILER,
                        "InvalidRequest"),
                Arguments.of("declared trailer missing", 40, "28\r\n" + DATA + "\r\n0\r\n\r\n", "InvalidRequest"),
                Arguments.of("wrong trailer checksum", 40, "28\r\n" + DATA + "\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n",
                        "BadDigest"),
                Arguments.of("malformed trailer line", 40, "28\r\n" + DATA + "\r\n0\r\nno colon here\r\n\r\n",
                        "IncompleteBody"),
                // AWS: "Value for x-amz-checksum-crc32 trailing header is invalid."
                Arguments.of("trailer checksum not base64", 40, "28\r\n" + DATA
                        + "\r\n0\r\nx-amz-checksum-crc32:not base64!\r\n\r\n", "InvalidRequest"),
                Arguments.of("trailer checksum of the wrong length", 40, "28\r\n" + DATA
                        + "\r\n0\r\nx-amz-checksum-crc32:AAAAAAAAAAA=\r\n\r\n", "InvalidRequest"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFraming")
    void badAwsChunkedBodyIsRejectedAndStoresNothing(String problem, int decodedLength, String body, String code) {
        RawHttp.Response r = RawHttp.send(unsignedChunked("/known", decodedLength, body));

        assertRawError(400, code, r);
        assertUnchanged();
    }

    @Test
    void badAwsChunkedPartIsRejectedAndRecordsNoPart() {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("known")).uploadId();

        RawHttp.Response r = RawHttp.send(unsignedChunked("/known?partNumber=1&uploadId=" + id, 40,
                "28\r\n" + DATA + "\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"));

        assertRawError(400, "BadDigest", r);
        assertEquals(List.of(), s3.listParts(x -> x.bucket(bucket).key("known").uploadId(id)).parts());
        assertUnchanged();
    }

    @Test
    void signedStreamLongerThanItsDecodedLengthIsRejectedAndStoresNothing() {
        byte[] data = S3Asserts.randomBytes(50_000, 1);
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, uri("/known"),
                Map.of("x-amz-decoded-content-length", Integer.toString(data.length - 100)), data,
                r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true));

        RawHttp.Response r = RawHttp.send(signed);

        assertRawError(400, "InvalidRequest", r);
        assertUnchanged();
    }

    @Test
    void wrongContentMd5OrChecksumIsBadDigestAndStoresNothing() {
        assertS3Error(400, "BadDigest", () -> s3.putObject(r -> r.bucket(bucket).key("known")
                .contentMD5(S3Asserts.md5Base64("x".getBytes())), RequestBody.fromString("replacement")));
        assertS3Error(400, "BadDigest", () -> s3.putObject(r -> r.bucket(bucket).key("known")
                .checksumCRC32C(S3Asserts.checksum("CRC32C", "x".getBytes())), RequestBody.fromString("replacement")));
        assertS3Error(400, "BadDigest", () -> s3.putObject(r -> r.bucket(bucket).key("new-key")
                .checksumSHA1(S3Asserts.checksum("SHA1", "x".getBytes())), RequestBody.fromBytes(new byte[300_000])));

        assertUnchanged();
    }

    // ------------------------------------------------------------------ truncated bodies

    private static void pause() {
        try {
            Thread.sleep(300); // a server that wrongly commits a truncated body would do it by now
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertErrorOrDropped(RawHttp.Response r) {
        if (r != null) {
            assertRawError(400, "IncompleteBody", r);
        }
    }

    @Test
    void plainBodyShorterThanContentLengthStoresNothing() {
        RawHttp.Request unsigned = RawHttp.signed(SdkHttpMethod.PUT, tlsUri("/known"), Map.of(), new byte[1000],
                r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        assertEquals("UNSIGNED-PAYLOAD", unsigned.header("x-amz-content-sha256"));

        assertErrorOrDropped(RawHttp.sendTruncated(unsigned, 10));
        assertErrorOrDropped(RawHttp.sendTruncated(RawHttp.signed(SdkHttpMethod.PUT, uri("/known"), Map.of(),
                new byte[1000]), 10));
        assertErrorOrDropped(RawHttp.sendTruncated(RawHttp.signed(SdkHttpMethod.PUT, uri("/new-key"), Map.of(),
                new byte[1000]), 999));

        pause();
        assertUnchanged();
    }

    @Test
    void largeBodyCutAfterSeveralChunksStoresNothing() {
        byte[] big = S3Asserts.randomBytes(9 * 1024 * 1024, 3);
        RawHttp.Request unsigned = RawHttp.signed(SdkHttpMethod.PUT, tlsUri("/known"), Map.of(), big,
                r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));

        assertErrorOrDropped(RawHttp.sendTruncated(unsigned, 8 * 1024 * 1024 + 5));

        pause();
        assertUnchanged();
    }

    @Test
    void awsChunkedBodyCutShortStoresNothing() {
        byte[] data = S3Asserts.randomBytes(300_000, 2);
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, uri("/known"),
                Map.of("x-amz-decoded-content-length", Integer.toString(data.length)), data,
                r -> r.putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                        .putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32));

        assertErrorOrDropped(RawHttp.sendTruncated(signed, signed.body().length / 2));
        assertErrorOrDropped(RawHttp.sendTruncated(signed, signed.body().length - 3));

        pause();
        assertUnchanged();
    }

    @Test
    void partBodyShorterThanContentLengthRecordsNoPart() {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("known")).uploadId();

        assertErrorOrDropped(RawHttp.sendTruncated(RawHttp.signed(SdkHttpMethod.PUT,
                uri("/known?partNumber=1&uploadId=" + id), Map.of(), new byte[1000]), 10));

        pause();
        assertEquals(List.of(), s3.listParts(x -> x.bucket(bucket).key("known").uploadId(id)).parts());
        assertUnchanged();
    }
}
