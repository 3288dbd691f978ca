package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.md5Hex;
import static dev.cairn.s3.e2e.S3Asserts.quoted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PutObject, GetObject, HeadObject, CopyObject, DeleteObject(s): bytes and ETags, stored headers,
 * what real clients put on the wire (HTTP chunked bodies, Expect: 100-continue), odd keys. Ranges
 * and conditional requests are in {@link RangeAndConditionalRequestsTest}. The server uses 64 KiB
 * chunks (inline threshold 16 KiB) so chunk boundaries are cheap to cross.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ObjectOperationsTest {
    static final int CHUNK = 64 * 1024;
    static final int INLINE = 16 * 1024;

    static TestServer server;
    static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start(TestInfo info) {
        server = TestServer.startFor(info, c -> c.withChunkSize(CHUNK));
        s3 = server.clientFor(info);
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

    private PutObjectResponse put(String key, byte[] data) {
        return S3Asserts.put(s3, bucket, key, data);
    }

    private ResponseBytes<GetObjectResponse> getRange(String key, String range) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).range(range));
    }

    // ------------------------------------------------------------------ bytes and ETags

    /** AWS keeps Content-Encoding byte for byte, only taking out the aws-chunked transfer coding. */
    @Test
    void contentEncodingIsKeptAsSentWithAwsChunkedTakenOut() {
        s3.putObject(r -> r.bucket(bucket).key("plain").contentEncoding("deflate, gzip"), RequestBody.fromString("x"));
        assertEquals("deflate, gzip", s3.headObject(r -> r.bucket(bucket).key("plain")).contentEncoding());

        try (S3Client chunked = server.defaultChecksumClient()) { // sends "deflate, gzip,aws-chunked"
            chunked.putObject(r -> r.bucket(bucket).key("chunked").contentEncoding("deflate, gzip"),
                    RequestBody.fromString("y"));
        }
        assertEquals("deflate, gzip", s3.headObject(r -> r.bucket(bucket).key("chunked")).contentEncoding());

        for (String sent : List.of("aws-chunked, br ,  zstd", "br ,  zstd, aws-chunked", "br ,AWS-Chunked,  zstd")) {
            RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT,
                    URI.create(server.endpoint() + "/" + bucket + "/raw"), Map.of("Content-Encoding", sent),
                    "z".getBytes(StandardCharsets.UTF_8)));
            assertEquals(200, r.status(), r::toString);
            String stored = s3.headObject(h -> h.bucket(bucket).key("raw")).contentEncoding();
            assertEquals("br ,  zstd", stored, sent);
        }
        RawHttp.Response only = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + bucket + "/only"), Map.of("Content-Encoding", "aws-chunked"),
                "z".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, only.status(), only::toString);
        assertNull(s3.headObject(h -> h.bucket(bucket).key("only")).contentEncoding());
    }

    @Test
    void putThenGetRoundTripsBytesAndEtagIsQuotedMd5Hex() {
        byte[] data = S3Asserts.randomBytes(1000, 1);

        PutObjectResponse put = put("k", data);

        assertEquals(quoted(md5Hex(data)), put.eTag());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("k"));
        assertArrayEquals(data, got.asByteArray());
        assertEquals(quoted(md5Hex(data)), got.response().eTag());
        assertEquals(1000L, got.response().contentLength());
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("k"));
        assertEquals(1000L, head.contentLength());
        assertEquals(quoted(md5Hex(data)), head.eTag());
        assertEquals("bytes", head.acceptRanges());
    }

    @Test
    void lastModifiedIsTheTimeOfThePutToTheSecond() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        put("k", new byte[] {1});
        Instant after = Instant.now();

        Instant lastModified = s3.headObject(r -> r.bucket(bucket).key("k")).lastModified();

        assertFalse(lastModified.isBefore(before), lastModified + " before " + before);
        assertFalse(lastModified.isAfter(after), lastModified + " after " + after);
    }

    @Test
    void emptyObjectRoundTripsWithTheMd5OfNothing() {
        PutObjectResponse put = put("empty", new byte[0]);

        assertEquals("\"d41d8cd98f00b204e9800998ecf8427e\"", put.eTag());
        ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("empty"));
        assertEquals(0, got.asByteArray().length);
        assertEquals(0L, got.response().contentLength());
        assertEquals(0L, s3.headObject(r -> r.bucket(bucket).key("empty")).contentLength());
        assertEquals(0L, s3.listObjectsV2(r -> r.bucket(bucket)).contents().get(0).size());
    }

    @Test
    void oneByteObjectRoundTrips() {
        put("one", new byte[] {42});

        assertArrayEquals(new byte[] {42}, S3Asserts.get(s3, bucket, "one"));
        assertArrayEquals(new byte[] {42}, getRange("one", "bytes=0-0").asByteArray());
        assertArrayEquals(new byte[] {42}, getRange("one", "bytes=-1").asByteArray());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {INLINE - 1, INLINE, INLINE + 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 1,
            1_000_003})
    void objectsAroundTheInlineThresholdAndChunkBoundariesRoundTrip(int size) {
        byte[] data = S3Asserts.randomBytes(size, size);

        PutObjectResponse put = put("obj", data);

        assertEquals(quoted(md5Hex(data)), put.eTag());
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "obj"));
        assertEquals((long) size, s3.headObject(r -> r.bucket(bucket).key("obj")).contentLength());
        assertEquals((long) size, s3.listObjectsV2(r -> r.bucket(bucket)).contents().get(0).size());
        // a range straddling the last boundary below the end
        int boundary = size > CHUNK ? (size - 1) / CHUNK * CHUNK : size / 2;
        int from = Math.max(0, boundary - 3);
        int to = Math.min(size - 1, boundary + 3);
        assertArrayEquals(Arrays.copyOfRange(data, from, to + 1),
                getRange("obj", "bytes=" + from + "-" + to).asByteArray());
    }

    @Test
    void overwriteReplacesContentAndEtag() {
        put("k", "first version".getBytes());
        byte[] second = S3Asserts.randomBytes(3 * CHUNK + 5, 2);

        put("k", second);

        assertArrayEquals(second, S3Asserts.get(s3, bucket, "k"));
        assertEquals(quoted(md5Hex(second)), s3.headObject(r -> r.bucket(bucket).key("k")).eTag());
        // and back to an inline object
        put("k", "third".getBytes());
        assertArrayEquals("third".getBytes(), S3Asserts.get(s3, bucket, "k"));
    }

    @Test
    void concurrentOverwritesLeaveOneWholeVersion() throws Exception {
        List<byte[]> versions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            versions.add(S3Asserts.randomBytes(2 * CHUNK + i * 1000, 100 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (byte[] v : versions) {
                puts.add(pool.submit(() -> put("contended", v)));
            }
            for (Future<?> f : puts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        byte[] got = S3Asserts.get(s3, bucket, "contended");
        assertTrue(versions.stream().anyMatch(v -> Arrays.equals(v, got)), "content is one of the versions written");
        assertEquals(quoted(md5Hex(got)), s3.headObject(r -> r.bucket(bucket).key("contended")).eTag());
    }

    // ------------------------------------------------------------------ headers

    @Test
    void systemHeadersAndUserMetadataRoundTripOnGetAndHead() {
        Instant expires = Instant.parse("2031-02-03T04:05:06Z");
        s3.putObject(r -> r.bucket(bucket).key("h")
                        .contentType("text/csv; charset=utf-8")
                        .cacheControl("max-age=3600, must-revalidate")
                        .contentDisposition("attachment; filename=\"report 1.csv\"")
                        .contentEncoding("gzip")
                        .contentLanguage("de-CH")
                        .expires(expires)
                        .metadata(Map.of("Color", "Blue Sky", "empty-ish", "-", "multi-word-name", "a,b;c=d")),
                RequestBody.fromBytes("a,b\n1,2\n".getBytes()));

        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("h"));
        GetObjectResponse get = s3.getObjectAsBytes(r -> r.bucket(bucket).key("h")).response();

        for (var o : List.of(head.contentType(), get.contentType())) {
            assertEquals("text/csv; charset=utf-8", o);
        }
        assertEquals("max-age=3600, must-revalidate", head.cacheControl());
        assertEquals("max-age=3600, must-revalidate", get.cacheControl());
        assertEquals("attachment; filename=\"report 1.csv\"", head.contentDisposition());
        assertEquals("attachment; filename=\"report 1.csv\"", get.contentDisposition());
        assertEquals("gzip", head.contentEncoding());
        assertEquals("gzip", get.contentEncoding());
        assertEquals("de-CH", head.contentLanguage());
        assertEquals("de-CH", get.contentLanguage());
        assertEquals(expires, head.expires());
        assertEquals(expires, get.expires());
        Map<String, String> expected = Map.of("color", "Blue Sky", "empty-ish", "-", "multi-word-name", "a,b;c=d");
        assertEquals(expected, head.metadata());
        assertEquals(expected, get.metadata());
    }

    @Test
    void objectPutWithoutContentTypeIsServedAsBinaryOctetStream() {
        byte[] body = "no type".getBytes();
        RawHttp.Response put = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + bucket + "/untyped"), Map.of(), body));
        assertEquals(200, put.status(), put::toString);

        assertEquals("binary/octet-stream", s3.headObject(r -> r.bucket(bucket).key("untyped")).contentType());
    }

    @Test
    void responseOverrideParametersReplaceStoredHeadersOnGet() {
        s3.putObject(r -> r.bucket(bucket).key("o").contentType("text/plain"), RequestBody.fromString("x"));

        GetObjectResponse got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("o")
                .responseContentType("application/json")
                .responseContentDisposition("inline")
                .responseCacheControl("no-cache")
                .responseContentLanguage("fr")
                .responseContentEncoding("identity")).response();

        assertEquals("application/json", got.contentType());
        assertEquals("inline", got.contentDisposition());
        assertEquals("no-cache", got.cacheControl());
        assertEquals("fr", got.contentLanguage());
        assertEquals("identity", got.contentEncoding());
        // the stored header is unchanged
        assertEquals("text/plain", s3.headObject(r -> r.bucket(bucket).key("o")).contentType());
    }

    // ------------------------------------------------------------------ what real clients put on the wire

    @Test
    void httpChunkedBodyWithoutContentLengthIsStored() {
        byte[] data = S3Asserts.randomBytes(3 * CHUNK + 77, 31);
        // UNSIGNED-PAYLOAD (the signer leaves the payload unsigned for https; the scheme is not signed)
        URI tls = URI.create(server.endpoint().toString().replace("http://", "https://") + "/" + bucket + "/te");
        RawHttp.Request signed = RawHttp.signed(SdkHttpMethod.PUT, tls, Map.of(), data,
                r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        java.io.ByteArrayOutputStream chunked = new java.io.ByteArrayOutputStream();
        for (int off = 0; off < data.length; off += 50_000) {
            int n = Math.min(50_000, data.length - off);
            chunked.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(data, off, n);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        RawHttp.Response r = RawHttp.send(signed.withHeader("Transfer-Encoding", "chunked")
                .withHeader("Content-Length", null).withBody(chunked.toByteArray()));

        assertEquals(200, r.status(), r::toString);
        assertEquals(quoted(md5Hex(data)), r.header("ETag"));
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "te"));
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() {
        byte[] data = S3Asserts.randomBytes(100_000, 32);
        boolean[] sawContinue = new boolean[1];

        RawHttp.Response r = RawHttp.sendExpectingContinue(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + bucket + "/expect"), Map.of(), data), sawContinue);

        assertTrue(sawContinue[0], "100 Continue before the body");
        assertEquals(200, r.status(), r::toString);
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "expect"));
    }

    @Test
    void requestsRefusedBeforeTheirBodyAreAnsweredWithoutA100Continue() {
        boolean[] sawContinue = new boolean[1];
        byte[] data = new byte[100_000];

        RawHttp.Response noBucket = RawHttp.sendExpectingContinue(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + TestServer.uniqueBucket("absent") + "/k"), Map.of(), data), sawContinue);
        assertFalse(sawContinue[0]);
        S3Asserts.assertRawError(404, "NoSuchBucket", noBucket);

        RawHttp.Response badMd5 = RawHttp.sendExpectingContinue(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + bucket + "/k"), Map.of("Content-MD5", "bad"), data), sawContinue);
        assertFalse(sawContinue[0]);
        S3Asserts.assertRawError(400, "InvalidDigest", badMd5);
        assertEquals(List.of(), S3Asserts.allKeys(s3, bucket));
    }

    // ------------------------------------------------------------------ copies (CLIENTS.md: rclone needs them)

    @Test
    void copyObjectOntoItselfWithReplaceUpdatesMetadataAndKeepsTheBytes() {
        byte[] data = S3Asserts.randomBytes(3 * CHUNK + 1, 41);
        s3.putObject(r -> r.bucket(bucket).key("self").contentType("text/plain").metadata(Map.of("mtime", "1")),
                RequestBody.fromBytes(data));

        var copied = s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("self").destinationBucket(bucket)
                .destinationKey("self").metadataDirective(software.amazon.awssdk.services.s3.model.MetadataDirective.REPLACE)
                .contentType("application/octet-stream").metadata(Map.of("mtime", "2")));

        assertEquals(quoted(md5Hex(data)), copied.copyObjectResult().eTag());
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("self"));
        assertEquals(Map.of("mtime", "2"), head.metadata());
        assertEquals("application/octet-stream", head.contentType());
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "self"));
    }

    @Test
    void copyObjectToAnotherKeyCopiesBytesAndMetadata() {
        byte[] data = S3Asserts.randomBytes(2 * CHUNK + 3, 42);
        s3.putObject(r -> r.bucket(bucket).key("src").metadata(Map.of("a", "b")), RequestBody.fromBytes(data));

        s3.copyObject(r -> r.sourceBucket(bucket).sourceKey("src").destinationBucket(bucket).destinationKey("dst"));

        assertArrayEquals(data, S3Asserts.get(s3, bucket, "dst"));
        assertEquals(Map.of("a", "b"), s3.headObject(r -> r.bucket(bucket).key("dst")).metadata());
        s3.deleteObject(r -> r.bucket(bucket).key("src"));
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "dst"), "the copy outlives its source");
    }

    // ------------------------------------------------------------------ missing keys and deletes

    @Test
    void getAndHeadOfAMissingKeyAreNoSuchKey() {
        var e = assertS3Error(404, "NoSuchKey", () -> s3.getObject(r -> r.bucket(bucket).key("nothing")));
        assertInstanceOf(NoSuchKeyException.class, e);
        assertS3Error(404, "NoSuchKey", () -> s3.headObject(r -> r.bucket(bucket).key("nothing")));
    }

    @Test
    void deleteRemovesTheObjectAndDeletingAgainStillSucceeds() {
        put("d", "x".getBytes());

        assertEquals(204, s3.deleteObject(r -> r.bucket(bucket).key("d")).sdkHttpResponse().statusCode());

        assertS3Error(404, "NoSuchKey", () -> s3.getObject(r -> r.bucket(bucket).key("d")));
        assertEquals(List.of(), S3Asserts.allKeys(s3, bucket));
        assertEquals(204, s3.deleteObject(r -> r.bucket(bucket).key("d")).sdkHttpResponse().statusCode());
        assertEquals(204, s3.deleteObject(r -> r.bucket(bucket).key("never-existed")).sdkHttpResponse().statusCode());
    }

    @Test
    void deleteObjectsVerboseReportsEveryKeyAsDeleted() {
        for (String k : List.of("a", "b", "c", "keep")) {
            put(k, k.getBytes());
        }

        DeleteObjectsResponse r = s3.deleteObjects(d -> d.bucket(bucket).delete(x -> x.quiet(false).objects(
                ObjectIdentifier.builder().key("a").build(), ObjectIdentifier.builder().key("b").build(),
                ObjectIdentifier.builder().key("c").build(), ObjectIdentifier.builder().key("never-existed").build())));

        assertEquals(Set.of("a", "b", "c", "never-existed"),
                r.deleted().stream().map(DeletedObject::key).collect(Collectors.toSet()));
        assertEquals(List.of(), r.errors());
        assertEquals(List.of("keep"), S3Asserts.allKeys(s3, bucket));
    }

    @Test
    void deleteObjectsQuietReportsNothingOnSuccess() {
        for (String k : List.of("x/1", "x/2", "y")) {
            put(k, k.getBytes());
        }

        DeleteObjectsResponse r = s3.deleteObjects(d -> d.bucket(bucket).delete(x -> x.quiet(true).objects(
                ObjectIdentifier.builder().key("x/1").build(), ObjectIdentifier.builder().key("x/2").build())));

        assertEquals(List.of(), r.deleted());
        assertEquals(List.of(), r.errors());
        assertEquals(List.of("y"), S3Asserts.allKeys(s3, bucket));
    }

    // ------------------------------------------------------------------ odd keys

    /**
     * Keys that look like paths, escapes or need encoding. Sent with the URL-connection client,
     * which puts the key on the wire as the SDK signed it (the SDK's Apache 5 client rewrites "//"
     * to "/%2F" after signing, which no server could verify).
     */
    static final List<String> ODD_KEYS = List.of("../x", "a//b", "%2F", "with space", "ünïcödé/日本", "a+b", "~tilde",
            "/leading", "trailing/", "./dot", "a/../b", "semi;colon", "q?mark", "hash#tag", "amp&er=sand", "tab\tkey",
            "quote\"s'", "<xml>&amp;", "100%", "emoji-😀");

    @Test
    void oddKeysRoundTripListInByteOrderAndNeverBecomeFileNames() throws IOException {
        String escape = "../cairn-escape-" + UUID.randomUUID();
        List<String> keys = new ArrayList<>(ODD_KEYS);
        keys.add(escape);
        try (S3Client urlClient = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(TestServer.credentials())
                .forcePathStyle(true)
                .build()) {
            for (String k : keys) {
                S3Asserts.put(urlClient, bucket, k, ("content of " + k).getBytes(StandardCharsets.UTF_8));
            }
            for (String k : keys) {
                assertEquals("content of " + k, urlClient.getObjectAsBytes(r -> r.bucket(bucket).key(k)).asUtf8String(),
                        "GET " + k);
                assertEquals(("content of " + k).getBytes(StandardCharsets.UTF_8).length,
                        urlClient.headObject(r -> r.bucket(bucket).key(k)).contentLength(), "HEAD " + k);
            }
            List<String> expected = keys.stream().sorted(ListingTest.UTF8_ORDER).toList();
            assertEquals(expected, S3Asserts.allKeys(urlClient, bucket));
            assertEquals(expected, urlClient.listObjectsV2(r -> r.bucket(bucket).encodingType("url")).contents()
                    .stream().map(o -> o.key()).toList());

            Path parent = server.dataDir().toAbsolutePath().getParent();
            assertFalse(Files.exists(parent.resolve(escape.substring(3))), "a key escaped the data dir");
            List<String> names;
            try (Stream<Path> files = Files.walk(server.dataDir())) {
                names = files.map(p -> p.getFileName().toString()).toList();
            }
            for (String marker : List.of("with space", "ünïcödé", "日本", "~tilde", "a+b", "cairn-escape", "leading",
                    "semi;colon", "emoji")) {
                assertTrue(names.stream().noneMatch(n -> n.contains(marker)), "a file is named after key " + marker);
            }

            for (String k : keys) {
                urlClient.deleteObject(r -> r.bucket(bucket).key(k));
            }
            assertEquals(List.of(), S3Asserts.allKeys(urlClient, bucket));
        }
    }

    @Test
    void keysDifferingOnlyInSlashesOrCaseAreDistinctObjects() {
        List<String> keys = List.of("a/b", "a/b/", "A/b", "a-b", "a/b ");
        for (String k : keys) {
            put(k, k.getBytes(StandardCharsets.UTF_8));
        }

        for (String k : keys) {
            assertEquals(k, new String(S3Asserts.get(s3, bucket, k), StandardCharsets.UTF_8));
        }
        assertEquals(keys.stream().sorted(Comparator.comparing(k -> k.getBytes(StandardCharsets.UTF_8),
                Arrays::compareUnsigned)).toList(), S3Asserts.allKeys(s3, bucket));
    }
}
