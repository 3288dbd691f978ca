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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.b64;
import static dev.cairn.s3.e2e.S3Asserts.checksumOf;
import static dev.cairn.s3.e2e.S3Asserts.md5Hex;
import static dev.cairn.s3.e2e.S3Asserts.quoted;
import static dev.cairn.s3.e2e.S3Asserts.rawChecksum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multipart uploads: assembly and ETags, every CompleteMultipartUpload error, abort, ListParts and
 * ListMultipartUploads paging, part overwrites, COMPOSITE and FULL_OBJECT checksums, and the
 * SDK's own multipart client. Parts are 5 MiB (S3's minimum) on a server with 256 KiB chunks.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MultipartTest {
    static final int MIB = 1024 * 1024;
    static final int MIN_PART = 5 * MIB;

    static final int CHUNK = 256 * 1024;

    private static TestServer server;
    private static S3Client s3;
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

    private String create(String key) {
        return s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
    }

    private UploadPartResponse upload(String key, String id, int n, byte[] data) {
        return s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(id).partNumber(n), RequestBody.fromBytes(data));
    }

    private static CompletedPart part(int n, String etag) {
        return CompletedPart.builder().partNumber(n).eTag(etag).build();
    }

    private CompleteMultipartUploadResponse complete(String key, String id, CompletedPart... parts) {
        return s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(id)
                .multipartUpload(m -> m.parts(parts)));
    }

    // ------------------------------------------------------------------ assembly

    @Test
    void completeAssemblesThePartsAndTheEtagIsMd5OfPartMd5sDashN() {
        List<byte[]> data = List.of(S3Asserts.randomBytes(MIN_PART, 1), S3Asserts.randomBytes(MIN_PART + 7, 2),
                S3Asserts.randomBytes(MIB + 123, 3));
        String id = create("big");
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            UploadPartResponse up = upload("big", id, i + 1, data.get(i));
            assertEquals(quoted(md5Hex(data.get(i))), up.eTag(), "part ETag is its MD5");
            parts.add(part(i + 1, up.eTag()));
        }

        CompleteMultipartUploadResponse done = complete("big", id, parts.toArray(CompletedPart[]::new));

        String expectedEtag = S3Asserts.multipartEtag(data);
        assertEquals(expectedEtag, done.eTag());
        assertEquals("big", done.key());
        assertEquals(bucket, done.bucket());
        byte[] whole = S3Asserts.concat(data);
        assertArrayEquals(whole, S3Asserts.get(s3, bucket, "big"));
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("big"));
        assertEquals(expectedEtag, head.eTag());
        assertEquals((long) whole.length, head.contentLength());
        // a range across the part boundary
        var range = s3.getObjectAsBytes(r -> r.bucket(bucket).key("big").range("bytes=" + (MIN_PART - 5) + "-" + (MIN_PART + 4)));
        assertArrayEquals(Arrays.copyOfRange(whole, MIN_PART - 5, MIN_PART + 5), range.asByteArray());
        assertEquals(List.of(), s3.listMultipartUploads(r -> r.bucket(bucket)).uploads());
        assertS3Error(404, "NoSuchUpload", () -> s3.listParts(r -> r.bucket(bucket).key("big").uploadId(id)));
    }

    @Test
    void getObjectWithPartNumberServesThatPartWithThePartCount() {
        List<byte[]> data = List.of(S3Asserts.randomBytes(MIN_PART, 71), S3Asserts.randomBytes(MIB, 72));
        String id = create("pn");
        String e1 = upload("pn", id, 1, data.get(0)).eTag();
        String e2 = upload("pn", id, 2, data.get(1)).eTag();
        complete("pn", id, part(1, e1), part(2, e2));

        var second = s3.getObjectAsBytes(r -> r.bucket(bucket).key("pn").partNumber(2));

        assertEquals(206, second.response().sdkHttpResponse().statusCode());
        assertArrayEquals(data.get(1), second.asByteArray());
        assertEquals(2, second.response().partsCount());
        assertEquals("bytes " + MIN_PART + "-" + (MIN_PART + MIB - 1) + "/" + (MIN_PART + MIB),
                second.response().contentRange());
        assertEquals((long) MIN_PART, s3.headObject(r -> r.bucket(bucket).key("pn").partNumber(1)).contentLength());
        assertS3Error(400, "InvalidPart", () -> s3.getObject(r -> r.bucket(bucket).key("pn").partNumber(3)));
    }

    @Test
    void aSingleSmallPartIsAValidUpload() {
        byte[] data = "only part".getBytes();
        String id = create("one");

        CompleteMultipartUploadResponse done = complete("one", id, part(1, upload("one", id, 1, data).eTag()));

        assertEquals(S3Asserts.multipartEtag(List.of(data)), done.eTag());
        assertArrayEquals(data, S3Asserts.get(s3, bucket, "one"));
    }

    @Test
    void partsMayBeSkippedAndUploadedOutOfOrder() {
        byte[] p2 = S3Asserts.randomBytes(MIN_PART, 5);
        byte[] p5 = S3Asserts.randomBytes(1000, 6);
        String id = create("gaps");
        upload("gaps", id, 9, "unused".getBytes());
        String e5 = upload("gaps", id, 5, p5).eTag();
        String e2 = upload("gaps", id, 2, p2).eTag();

        CompleteMultipartUploadResponse done = complete("gaps", id, part(2, e2), part(5, e5));

        assertEquals(S3Asserts.multipartEtag(List.of(p2, p5)), done.eTag());
        assertArrayEquals(S3Asserts.concat(List.of(p2, p5)), S3Asserts.get(s3, bucket, "gaps"));
    }

    @Test
    void createMultipartUploadHeadersAndMetadataEndUpOnTheObject() {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("meta").contentType("image/png")
                .cacheControl("no-store").contentDisposition("inline").metadata(Map.of("Origin", "camera 1"))).uploadId();

        complete("meta", id, part(1, upload("meta", id, 1, new byte[] {1, 2}).eTag()));

        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("meta"));
        assertEquals("image/png", head.contentType());
        assertEquals("no-store", head.cacheControl());
        assertEquals("inline", head.contentDisposition());
        assertEquals(Map.of("origin", "camera 1"), head.metadata());
    }

    @Test
    void completingOverAnExistingObjectReplacesIt() {
        S3Asserts.put(s3, bucket, "k", "old".getBytes());
        String id = create("k");

        complete("k", id, part(1, upload("k", id, 1, "new".getBytes()).eTag()));

        assertArrayEquals("new".getBytes(), S3Asserts.get(s3, bucket, "k"));
    }

    @Test
    void completeWithIfNoneMatchStarOnAnExistingKeyIsPreconditionFailedAndKeepsTheUpload() {
        S3Asserts.put(s3, bucket, "k", "existing".getBytes());
        String id = create("k");
        String etag = upload("k", id, 1, "new".getBytes()).eTag();

        assertS3Error(412, "PreconditionFailed", () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("k")
                .uploadId(id).ifNoneMatch("*").multipartUpload(m -> m.parts(part(1, etag)))));

        assertArrayEquals("existing".getBytes(), S3Asserts.get(s3, bucket, "k"));
        assertEquals(1, s3.listParts(r -> r.bucket(bucket).key("k").uploadId(id)).parts().size());
    }

    // ------------------------------------------------------------------ completion errors

    /** Two uploaded parts (5 MiB and 10 bytes), to complete wrongly. */
    private String twoParts(String key, List<String> etags) {
        String id = create(key);
        etags.add(upload(key, id, 1, S3Asserts.randomBytes(MIN_PART, 11)).eTag());
        etags.add(upload(key, id, 2, "last part".getBytes()).eTag());
        return id;
    }

    private void assertUploadStillUsable(String key, String id, List<String> etags) {
        assertFalse(S3Asserts.allKeys(s3, bucket).contains(key), "no object after a failed completion");
        assertEquals(2, s3.listParts(r -> r.bucket(bucket).key(key).uploadId(id)).parts().size());
        complete(key, id, part(1, etags.get(0)), part(2, etags.get(1)));
        assertEquals(MIN_PART + 9L, s3.headObject(r -> r.bucket(bucket).key(key)).contentLength());
    }

    @Test
    void completeWithAWrongPartEtagIsInvalidPart() {
        List<String> etags = new ArrayList<>();
        String id = twoParts("k", etags);

        assertS3Error(400, "InvalidPart", () -> complete("k", id, part(1, etags.get(0)),
                part(2, "\"0123456789abcdef0123456789abcdef\"")));

        assertUploadStillUsable("k", id, etags);
    }

    @Test
    void completeWithAPartNeverUploadedIsInvalidPart() {
        List<String> etags = new ArrayList<>();
        String id = twoParts("k", etags);

        assertS3Error(400, "InvalidPart", () -> complete("k", id, part(1, etags.get(0)), part(2, etags.get(1)),
                part(3, etags.get(1))));

        assertUploadStillUsable("k", id, etags);
    }

    @Test
    void completeWithPartsOutOfOrderOrRepeatedIsInvalidPartOrder() {
        List<String> etags = new ArrayList<>();
        String id = twoParts("k", etags);

        assertS3Error(400, "InvalidPartOrder", () -> complete("k", id, part(2, etags.get(1)), part(1, etags.get(0))));
        assertS3Error(400, "InvalidPartOrder", () -> complete("k", id, part(1, etags.get(0)), part(1, etags.get(0))));

        assertUploadStillUsable("k", id, etags);
    }

    @Test
    void completeWithAWrongObjectSizeHeaderIsInvalidRequest() {
        List<String> etags = new ArrayList<>();
        String id = twoParts("k", etags);

        assertS3Error(400, "InvalidRequest", () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("k").uploadId(id)
                .mpuObjectSize(MIN_PART + 10L).multipartUpload(m -> m.parts(part(1, etags.get(0)), part(2, etags.get(1))))));

        assertUploadStillUsable("k", id, etags);
    }

    @Test
    void aNonLastPartUnderFiveMiBIsEntityTooSmall() {
        String id = create("small");
        String e1 = upload("small", id, 1, S3Asserts.randomBytes(MIN_PART - 1, 12)).eTag();
        String e2 = upload("small", id, 2, S3Asserts.randomBytes(10, 13)).eTag();

        assertS3Error(400, "EntityTooSmall", () -> complete("small", id, part(1, e1), part(2, e2)));

        assertFalse(S3Asserts.allKeys(s3, bucket).contains("small"));
        assertEquals(2, s3.listParts(r -> r.bucket(bucket).key("small").uploadId(id)).parts().size());
    }

    @Test
    void abortedUploadIsNoSuchUploadForEveryOperation() {
        String id = create("ab");
        String e1 = upload("ab", id, 1, "data".getBytes()).eTag();

        assertEquals(204, s3.abortMultipartUpload(r -> r.bucket(bucket).key("ab").uploadId(id))
                .sdkHttpResponse().statusCode());

        assertS3Error(404, "NoSuchUpload", () -> s3.listParts(r -> r.bucket(bucket).key("ab").uploadId(id)));
        assertS3Error(404, "NoSuchUpload", () -> upload("ab", id, 2, "more".getBytes()));
        assertS3Error(404, "NoSuchUpload", () -> complete("ab", id, part(1, e1)));
        assertS3Error(404, "NoSuchUpload", () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key("ab").uploadId(id)));
        assertEquals(List.of(), s3.listMultipartUploads(r -> r.bucket(bucket)).uploads());
        assertEquals(List.of(), S3Asserts.allKeys(s3, bucket));
    }

    @Test
    void unknownUploadIdOrAnotherKeysUploadIdIsNoSuchUpload() {
        String id = create("real");

        assertS3Error(404, "NoSuchUpload", () -> upload("real", "0123456789abcdef0123456789abcdef", 1, new byte[1]));
        assertS3Error(404, "NoSuchUpload", () -> upload("real", "not-an-upload-id", 1, new byte[1]));
        assertS3Error(404, "NoSuchUpload", () -> upload("other-key", id, 1, new byte[1]));
        assertS3Error(404, "NoSuchUpload", () -> s3.listParts(r -> r.bucket(bucket).key("other-key").uploadId(id)));
    }

    @Test
    void uploadingAPartTwiceKeepsTheLaterOne() {
        String id = create("ow");
        byte[] first = S3Asserts.randomBytes(MIN_PART, 21);
        byte[] second = S3Asserts.randomBytes(MIN_PART + 1, 22);
        String oldEtag = upload("ow", id, 1, first).eTag();
        String newEtag = upload("ow", id, 1, second).eTag();
        String last = upload("ow", id, 2, "tail".getBytes()).eTag();

        List<Part> listed = s3.listParts(r -> r.bucket(bucket).key("ow").uploadId(id)).parts();
        assertEquals(2, listed.size());
        assertEquals(newEtag, listed.get(0).eTag());
        assertEquals((long) second.length, listed.get(0).size());
        assertS3Error(400, "InvalidPart", () -> complete("ow", id, part(1, oldEtag), part(2, last)));

        complete("ow", id, part(1, newEtag), part(2, last));

        assertArrayEquals(S3Asserts.concat(List.of(second, "tail".getBytes())), S3Asserts.get(s3, bucket, "ow"));
    }

    // ------------------------------------------------------------------ listings

    @Test
    void listPartsPagesWithMaxPartsAndPartNumberMarker() {
        String id = create("lp");
        List<String> etags = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            etags.add(upload("lp", id, n, ("part " + n).getBytes()).eTag());
        }

        ListPartsResponse first = s3.listParts(r -> r.bucket(bucket).key("lp").uploadId(id).maxParts(2));
        assertTrue(first.isTruncated());
        assertEquals(List.of(1, 2), first.parts().stream().map(Part::partNumber).toList());
        assertEquals(2, first.nextPartNumberMarker());
        assertEquals(2, first.maxParts());
        ListPartsResponse second = s3.listParts(r -> r.bucket(bucket).key("lp").uploadId(id).maxParts(2)
                .partNumberMarker(first.nextPartNumberMarker()));
        assertEquals(List.of(3, 4), second.parts().stream().map(Part::partNumber).toList());
        assertEquals(2, second.partNumberMarker());
        assertTrue(second.isTruncated());
        ListPartsResponse third = s3.listParts(r -> r.bucket(bucket).key("lp").uploadId(id).maxParts(2)
                .partNumberMarker(second.nextPartNumberMarker()));
        assertEquals(List.of(5), third.parts().stream().map(Part::partNumber).toList());
        assertFalse(third.isTruncated());

        ListPartsResponse all = s3.listParts(r -> r.bucket(bucket).key("lp").uploadId(id));
        assertFalse(all.isTruncated());
        for (int i = 0; i < 5; i++) {
            Part p = all.parts().get(i);
            assertEquals(etags.get(i), p.eTag());
            assertEquals((long) ("part " + (i + 1)).length(), p.size());
            assertEquals(quoted(md5Hex(("part " + (i + 1)).getBytes())), p.eTag());
        }
        assertEquals(bucket, all.bucket());
        assertEquals("lp", all.key());
        assertEquals(id, all.uploadId());
        // the paginator gets the same
        List<Integer> paged = new ArrayList<>();
        s3.listPartsPaginator(r -> r.bucket(bucket).key("lp").uploadId(id).maxParts(2))
                .forEach(p -> p.parts().forEach(x -> paged.add(x.partNumber())));
        assertEquals(List.of(1, 2, 3, 4, 5), paged);
    }

    private record Upload(String key, String id) {
    }

    @Test
    void listMultipartUploadsWithPrefixDelimiterAndPaging() {
        List<Upload> all = new ArrayList<>();
        for (String key : List.of("docs/a", "docs/b", "docs/b", "img/x", "top")) {
            all.add(new Upload(key, create(key)));
        }

        ListMultipartUploadsResponse everything = s3.listMultipartUploads(r -> r.bucket(bucket));
        assertEquals(Set.copyOf(all), Set.copyOf(uploads(everything)));
        assertEquals(List.of("docs/a", "docs/b", "docs/b", "img/x", "top"),
                everything.uploads().stream().map(MultipartUpload::key).toList());

        ListMultipartUploadsResponse docs = s3.listMultipartUploads(r -> r.bucket(bucket).prefix("docs/"));
        assertEquals(List.of("docs/a", "docs/b", "docs/b"), docs.uploads().stream().map(MultipartUpload::key).toList());

        ListMultipartUploadsResponse rolled = s3.listMultipartUploads(r -> r.bucket(bucket).delimiter("/"));
        assertEquals(List.of("docs/", "img/"), rolled.commonPrefixes().stream().map(p -> p.prefix()).toList());
        assertEquals(List.of("top"), rolled.uploads().stream().map(MultipartUpload::key).toList());

        List<Upload> paged = new ArrayList<>();
        String keyMarker = null;
        String idMarker = null;
        int pages = 0;
        while (true) {
            String km = keyMarker;
            String im = idMarker;
            ListMultipartUploadsResponse page = s3.listMultipartUploads(r -> r.bucket(bucket).maxUploads(2)
                    .keyMarker(km).uploadIdMarker(im));
            pages++;
            assertTrue(page.uploads().size() <= 2);
            paged.addAll(uploads(page));
            if (!page.isTruncated()) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
        assertEquals(3, pages);
        assertEquals(all.size(), paged.size(), "each upload once: " + paged);
        assertEquals(Set.copyOf(all), new HashSet<>(paged));
    }

    private static List<Upload> uploads(ListMultipartUploadsResponse r) {
        return r.uploads().stream().map(u -> new Upload(u.key(), u.uploadId())).toList();
    }

    // ------------------------------------------------------------------ checksums

    private UploadPartResponse uploadWithChecksum(String key, String id, int n, byte[] data, String alg, boolean sdkComputes) {
        UploadPartRequest.Builder b = UploadPartRequest.builder().bucket(bucket).key(key).uploadId(id).partNumber(n);
        if (sdkComputes) {
            b.checksumAlgorithm(S3Asserts.sdkAlgorithm(alg));
        } else {
            S3Asserts.withChecksum(b, alg, S3Asserts.checksum(alg, data));
        }
        return s3.uploadPart(b.build(), RequestBody.fromBytes(data));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC32", "CRC32C", "SHA1", "SHA256"})
    void compositeChecksumIsTheChecksumOfThePartChecksumsDashN(String alg) {
        List<byte[]> data = List.of(S3Asserts.randomBytes(MIN_PART, 31), S3Asserts.randomBytes(MIB + 5, 32));
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("c").checksumAlgorithm(S3Asserts.sdkAlgorithm(alg)))
                .uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            UploadPartResponse up = uploadWithChecksum("c", id, i + 1, data.get(i), alg, true);
            assertEquals(S3Asserts.checksum(alg, data.get(i)), checksumOf(up, alg), "part checksum");
            parts.add(S3Asserts.withChecksum(CompletedPart.builder().partNumber(i + 1).eTag(up.eTag()), alg,
                    checksumOf(up, alg)).build());
        }
        List<Part> listed = s3.listParts(r -> r.bucket(bucket).key("c").uploadId(id)).parts();
        for (int i = 0; i < data.size(); i++) {
            assertEquals(S3Asserts.checksum(alg, data.get(i)), checksumOf(listed.get(i), alg), "listed part checksum");
        }

        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(bucket).key("c").uploadId(id)
                .multipartUpload(m -> m.parts(parts)));

        byte[] concatenated = S3Asserts.concat(List.of(rawChecksum(alg, data.get(0)), rawChecksum(alg, data.get(1))));
        String expected = b64(rawChecksum(alg, concatenated)) + "-2";
        assertEquals(expected, checksumOf(done, alg));
        assertEquals(ChecksumType.COMPOSITE, done.checksumType());
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("c").checksumMode(ChecksumMode.ENABLED));
        assertEquals(expected, checksumOf(head, alg));
        assertEquals(ChecksumType.COMPOSITE, head.checksumType());
        var get = s3.getObjectAsBytes(r -> r.bucket(bucket).key("c").checksumMode(ChecksumMode.ENABLED));
        assertEquals(expected, checksumOf(get.response(), alg));
        assertArrayEquals(S3Asserts.concat(data), get.asByteArray());
        assertNull(checksumOf(s3.headObject(r -> r.bucket(bucket).key("c")), alg), "only with checksum mode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CRC64NVME", "CRC32", "CRC32C"})
    void fullObjectChecksumIsTheCrcOfTheWholeObject(String alg) {
        List<byte[]> data = List.of(S3Asserts.randomBytes(MIN_PART, 41), S3Asserts.randomBytes(MIN_PART, 42),
                S3Asserts.randomBytes(333, 43));
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("f")
                .checksumAlgorithm(S3Asserts.sdkAlgorithm(alg)).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            // the SDK computes CRC32/CRC32C itself; CRC64NVME needs aws-crt, so its value is given
            UploadPartResponse up = uploadWithChecksum("f", id, i + 1, data.get(i), alg, !alg.equals("CRC64NVME"));
            assertEquals(S3Asserts.checksum(alg, data.get(i)), checksumOf(up, alg));
            parts.add(S3Asserts.withChecksum(CompletedPart.builder().partNumber(i + 1).eTag(up.eTag()), alg,
                    checksumOf(up, alg)).build());
        }

        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(bucket).key("f").uploadId(id)
                .multipartUpload(m -> m.parts(parts)));

        byte[] whole = S3Asserts.concat(data);
        String expected = S3Asserts.checksum(alg, whole);
        assertEquals(expected, checksumOf(done, alg));
        assertEquals(ChecksumType.FULL_OBJECT, done.checksumType());
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("f").checksumMode(ChecksumMode.ENABLED));
        assertEquals(expected, checksumOf(head, alg));
        assertEquals(ChecksumType.FULL_OBJECT, head.checksumType());
        var get = s3.getObjectAsBytes(r -> r.bucket(bucket).key("f").checksumMode(ChecksumMode.ENABLED));
        assertEquals(expected, checksumOf(get.response(), alg));
        assertArrayEquals(whole, get.asByteArray());
    }

    @Test
    void completeWithAPartChecksumThatDoesNotMatchIsInvalidPart() {
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("x")
                .checksumAlgorithm(S3Asserts.sdkAlgorithm("CRC32"))).uploadId();
        byte[] data = "part one".getBytes();
        UploadPartResponse up = uploadWithChecksum("x", id, 1, data, "CRC32", true);

        assertS3Error(400, "InvalidPart", () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("x").uploadId(id)
                .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(up.eTag())
                        .checksumCRC32(S3Asserts.checksum("CRC32", "other".getBytes())).build()))));

        assertEquals(List.of(), S3Asserts.allKeys(s3, bucket));
    }

    @Test
    void completeWithTheWholeObjectFullObjectChecksumHeaderChecksTheObject() {
        List<byte[]> data = List.of(S3Asserts.randomBytes(MIN_PART, 51), "end".getBytes());
        String id = s3.createMultipartUpload(r -> r.bucket(bucket).key("w")
                .checksumAlgorithm(S3Asserts.sdkAlgorithm("CRC32")).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            UploadPartResponse up = uploadWithChecksum("w", id, i + 1, data.get(i), "CRC32", true);
            parts.add(CompletedPart.builder().partNumber(i + 1).eTag(up.eTag()).checksumCRC32(up.checksumCRC32()).build());
        }
        String whole = S3Asserts.checksum("CRC32", S3Asserts.concat(data));

        assertS3Error(400, "BadDigest", () -> s3.completeMultipartUpload(r -> r.bucket(bucket).key("w").uploadId(id)
                .checksumCRC32(S3Asserts.checksum("CRC32", "not the object".getBytes())).checksumType(ChecksumType.FULL_OBJECT)
                .multipartUpload(m -> m.parts(parts))));
        CompleteMultipartUploadResponse done = s3.completeMultipartUpload(r -> r.bucket(bucket).key("w").uploadId(id)
                .checksumCRC32(whole).checksumType(ChecksumType.FULL_OBJECT).multipartUpload(m -> m.parts(parts)));

        assertEquals(whole, done.checksumCRC32());
        assertArrayEquals(S3Asserts.concat(data), S3Asserts.get(s3, bucket, "w"));
    }

    // ------------------------------------------------------------------ the SDK's multipart client

    @Test
    void asyncMultipartClientUploadsFortyMiBWithPartChecksums() throws Exception {
        byte[] data = S3Asserts.randomBytes(40 * MIB, 61);
        try (S3AsyncClient async = server.asyncClient(true)) {
            async.putObject(r -> r.bucket(bucket).key("forty"), AsyncRequestBody.fromBytes(data)).get();

            byte[] back = async.getObject(r -> r.bucket(bucket).key("forty").checksumMode(ChecksumMode.ENABLED),
                    AsyncResponseTransformer.toBytes()).get().asByteArray();
            assertArrayEquals(data, back);
        }

        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key("forty").checksumMode(ChecksumMode.ENABLED));
        assertEquals(40L * MIB, head.contentLength());
        List<byte[]> parts = new ArrayList<>();
        for (int off = 0; off < data.length; off += 8 * MIB) {
            parts.add(Arrays.copyOfRange(data, off, Math.min(data.length, off + 8 * MIB)));
        }
        assertEquals(S3Asserts.multipartEtag(parts), head.eTag(), "the SDK sends 8 MiB parts");
        String crc = head.checksumCRC32();
        if (head.checksumType() == ChecksumType.FULL_OBJECT) {
            assertEquals(S3Asserts.checksum("CRC32", data), crc);
        } else {
            List<byte[]> digests = parts.stream().map(p -> rawChecksum("CRC32", p)).toList();
            assertEquals(b64(rawChecksum("CRC32", S3Asserts.concat(digests))) + "-5", crc);
        }
    }
}
