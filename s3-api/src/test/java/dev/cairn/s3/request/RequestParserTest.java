package dev.cairn.s3.request;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Routing table tests, with request lines from the AWS S3 API reference examples. */
class RequestParserTest {

    private static S3Request parse(String method, String uri, Map<String, String> headers) {
        int q = uri.indexOf('?');
        return RequestParser.parse(method, q < 0 ? uri : uri.substring(0, q), q < 0 ? null : uri.substring(q + 1),
                name -> headers.get(name));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /                                              | LIST_BUCKETS",
            "PUT    | /examplebucket                                 | CREATE_BUCKET",
            "HEAD   | /examplebucket                                 | HEAD_BUCKET",
            "DELETE | /examplebucket                                 | DELETE_BUCKET",
            "GET    | /examplebucket?location                        | GET_BUCKET_LOCATION",
            "GET    | /examplebucket?versioning                      | GET_BUCKET_VERSIONING",
            "GET    | /examplebucket                                 | LIST_OBJECTS",
            "GET    | /examplebucket?prefix=N&marker=Ned&max-keys=40 | LIST_OBJECTS",
            "GET    | /examplebucket?list-type=2&start-after=a       | LIST_OBJECTS_V2",
            "GET    | /examplebucket?uploads&max-uploads=3           | LIST_MULTIPART_UPLOADS",
            "POST   | /examplebucket?delete                          | DELETE_OBJECTS",
            "PUT    | /examplebucket/my-image.jpg                    | PUT_OBJECT",
            "GET    | /examplebucket/my-image.jpg                    | GET_OBJECT",
            "HEAD   | /examplebucket/my-image.jpg                    | HEAD_OBJECT",
            "DELETE | /examplebucket/my-image.jpg                    | DELETE_OBJECT",
            "POST   | /examplebucket/example-object?uploads          | CREATE_MULTIPART_UPLOAD",
            "PUT    | /examplebucket/my-movie.m2ts?partNumber=1&uploadId=VCVsb2FkIElEIGZvciBlbZZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZR | UPLOAD_PART",
            "POST   | /examplebucket/example-object?uploadId=AAAsb2FkIElEIGZvciBlbHZpbmcncyWeeS1tb3ZpZS5tMnRzIRRwbG9hZA | COMPLETE_MULTIPART_UPLOAD",
            "DELETE | /examplebucket/example-object?uploadId=VXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZ | ABORT_MULTIPART_UPLOAD",
            "GET    | /examplebucket/example-object?uploadId=XXBsb2FkIElEIGZvciBlbHZpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA&max-parts=2&part-number-marker=1 | LIST_PARTS",
            "GET    | /examplebucket?policy                          | GET_BUCKET_POLICY",
            "PUT    | /examplebucket?policy                          | PUT_BUCKET_POLICY",
            "DELETE | /examplebucket?policy                          | DELETE_BUCKET_POLICY",
            "GET    | /examplebucket?policyStatus                    | GET_BUCKET_POLICY_STATUS",
            "GET    | /examplebucket?publicAccessBlock               | GET_PUBLIC_ACCESS_BLOCK",
            "PUT    | /examplebucket?publicAccessBlock               | PUT_PUBLIC_ACCESS_BLOCK",
            "DELETE | /examplebucket?publicAccessBlock               | DELETE_PUBLIC_ACCESS_BLOCK",
            "GET    | /examplebucket?ownershipControls               | GET_BUCKET_OWNERSHIP_CONTROLS",
            "PUT    | /examplebucket?ownershipControls               | PUT_BUCKET_OWNERSHIP_CONTROLS",
            "DELETE | /examplebucket?ownershipControls               | DELETE_BUCKET_OWNERSHIP_CONTROLS",
            "POST   | /examplebucket?policy                          | UNSUPPORTED",
            "PUT    | /examplebucket?cors                            | PUT_BUCKET_CORS",
            "GET    | /examplebucket?cors                            | GET_BUCKET_CORS",
            "GET    | /examplebucket?encryption                      | GET_BUCKET_ENCRYPTION",
            "PUT    | /examplebucket?encryption                      | PUT_BUCKET_ENCRYPTION",
            "DELETE | /examplebucket?encryption                      | DELETE_BUCKET_ENCRYPTION",
            "GET    | /examplebucket?lifecycle                       | GET_BUCKET_LIFECYCLE",
            "PUT    | /examplebucket?lifecycle                       | PUT_BUCKET_LIFECYCLE",
            "DELETE | /examplebucket?lifecycle                       | DELETE_BUCKET_LIFECYCLE",
            "DELETE | /examplebucket?cors                            | DELETE_BUCKET_CORS",
            "OPTIONS| /examplebucket/index.html                      | PREFLIGHT",
            "OPTIONS| /examplebucket                                 | PREFLIGHT",
            "OPTIONS| /                                              | UNSUPPORTED",
            "POST   | /examplebucket?cors                            | UNSUPPORTED",
            "GET    | /examplebucket/my-image.jpg?tagging            | GET_OBJECT_TAGGING",
            "PUT    | /examplebucket/my-image.jpg?tagging            | PUT_OBJECT_TAGGING",
            "DELETE | /examplebucket/my-image.jpg?tagging            | DELETE_OBJECT_TAGGING",
            "GET    | /examplebucket/my-image.jpg?tagging&versionId=null | GET_OBJECT_TAGGING",
            "GET    | /examplebucket?tagging                         | GET_BUCKET_TAGGING",
            "PUT    | /examplebucket?tagging                         | PUT_BUCKET_TAGGING",
            "DELETE | /examplebucket?tagging                         | DELETE_BUCKET_TAGGING",
            "GET    | /examplebucket?acl                             | GET_BUCKET_ACL",
            "PUT    | /examplebucket?acl                             | PUT_BUCKET_ACL",
            "GET    | /examplebucket/my-image.jpg?acl                | GET_OBJECT_ACL",
            "PUT    | /examplebucket/my-image.jpg?acl                | PUT_OBJECT_ACL",
            "GET    | /examplebucket/my-image.jpg?attributes         | GET_OBJECT_ATTRIBUTES",
            "GET    | /examplebucket?versions&prefix=photos/2006/&key-marker=a | LIST_OBJECT_VERSIONS",
            "DELETE | /examplebucket?acl                             | UNSUPPORTED",
            "POST   | /examplebucket/my-image.jpg?tagging            | UNSUPPORTED",
            "PUT    | /examplebucket/my-image.jpg?attributes         | UNSUPPORTED",
            "POST   | /examplebucket/obj?restore                     | UNSUPPORTED",
            "POST   | /examplebucket                                 | UNSUPPORTED",
            "PATCH  | /examplebucket/obj                             | UNSUPPORTED",
            "PUT    | /                                              | UNSUPPORTED",
            "PUT    | /examplebucket?versioning                      | PUT_BUCKET_VERSIONING",
            "GET    | /examplebucket?object-lock                     | GET_OBJECT_LOCK_CONFIGURATION",
            "PUT    | /examplebucket?object-lock                     | PUT_OBJECT_LOCK_CONFIGURATION",
            "GET    | /examplebucket/k?retention&versionId=null      | GET_OBJECT_RETENTION",
            "PUT    | /examplebucket/k?retention                     | PUT_OBJECT_RETENTION",
            "GET    | /examplebucket/k?legal-hold                    | GET_OBJECT_LEGAL_HOLD",
            "PUT    | /examplebucket/k?legal-hold                    | PUT_OBJECT_LEGAL_HOLD",
    })
    void routesEveryOperation(String method, String uri, String expected) {
        assertEquals(expected, parse(method, uri, Map.of()).operation().name());
    }

    @ParameterizedTest(name = "{0} {1} names {2}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /b?replication  | GetBucketReplication",
            "PUT    | /b?website      | PutBucketWebsite",
            "DELETE | /b?analytics    | DeleteBucketAnalytics",
            "GET    | /b?logging      | GetBucketLogging",
            "GET    | /b/k?torrent    | GetObjectTorrent",
            "DELETE | /b?acl          | DeleteBucketAcl",
            "DELETE | /b/k?legal-hold | DeleteObjectLegalHold",
            "POST   | /b/k?select&select-type=2 | SelectObjectContent",
            "POST   | /b              | PostObject",
    })
    void namesTheUnsupportedOperation(String method, String uri, String name) {
        S3Request.Unsupported op = assertInstanceOf(S3Request.Unsupported.class, parse(method, uri, Map.of()));
        assertEquals(name, op.name());
    }

    @Test
    void copySourceHeaderIsCopyObjectAndNotAPut() {
        S3Request p = parse("PUT", "/b/k", Map.of("x-amz-copy-source", "/src/key"));
        assertEquals(S3Operation.COPY_OBJECT, p.operation());
        assertEquals(S3Operation.UPLOAD_PART_COPY,
                parse("PUT", "/b/k?partNumber=2&uploadId=x", Map.of("x-amz-copy-source", "/src/key")).operation());
    }

    @ParameterizedTest(name = "{0} -> bucket {1} key {2}")
    @CsvSource(delimiter = '|', value = {
            "/b/photos/2006/February/sample.jpg | b | photos/2006/February/sample.jpg",
            "/b/a//b                            | b | a//b",
            "/b/../x                            | b | ../x",
            "/b/with%20space                    | b | with space",
            "/b/a+b                             | b | a+b",
            "/b/%2F                             | b | /",
            "/b/%C3%BCn%C3%AFc%C3%B6d%C3%A9     | b | ünïcödé",
            "/b/trailing/                       | b | trailing/",
    })
    void decodesBucketAndKeyExactlyOnce(String path, String bucket, String key) {
        S3Request p = parse("GET", path, Map.of());
        assertEquals(bucket, p.bucketName());
        assertEquals(key, p.keyName());
    }

    @Test
    void bucketWithTrailingSlashHasNoKey() {
        S3Request p = parse("GET", "/b/", Map.of());
        assertEquals("b", p.bucketName());
        assertNull(p.keyName());
        assertEquals(S3Operation.LIST_OBJECTS, p.operation());
    }

    @Test
    void queryValuesAreDecodedAndPlusStaysPlus() {
        BucketRequest.ListObjects p = assertInstanceOf(BucketRequest.ListObjects.class,
                parse("GET", "/b?prefix=a%20b%2Bc+d&delimiter=%2F&encoding-type=url", Map.of()));
        assertEquals("a b+c+d", p.prefix());
        assertEquals("/", p.delimiter());
        assertTrue(p.urlEncoding());
    }

    @ParameterizedTest(name = "POST /examplebucket with Content-Type {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "multipart/form-data; boundary=9431149156168 | POST_OBJECT",
            "Multipart/Form-Data;boundary=x              | POST_OBJECT",
            "application/octet-stream                    | UNSUPPORTED",
    })
    void formUploadToABucketIsPostObject(String contentType, String expected) {
        assertEquals(expected, parse("POST", "/examplebucket", Map.of("content-type", contentType)).operation().name());
    }

    @Test
    void multipartFormOnAnObjectOrWithDeleteIsNotPostObject() {
        Map<String, String> form = Map.of("content-type", "multipart/form-data; boundary=x");
        assertEquals(S3Operation.DELETE_OBJECTS, parse("POST", "/examplebucket?delete", form).operation());
        assertEquals(S3Operation.UNSUPPORTED, parse("POST", "/examplebucket/key", form).operation());
    }

    @Test
    void objectReadsCarryVersionPartAndOverrides() {
        ObjectRequest.GetObject get = assertInstanceOf(ObjectRequest.GetObject.class, parse("GET",
                "/b/k?versionId=null&partNumber=3&response-content-type=text%2Fplain&response-cache-control=no-cache",
                Map.of()));
        assertEquals(new BucketName("b"), get.bucket());
        assertEquals(new ObjectKey("k"), get.key());
        assertEquals("null", get.versionId().value());
        assertEquals(3, get.partNumber());
        assertEquals(Map.of("Content-Type", "text/plain", "Cache-Control", "no-cache"), get.responseOverrides());
        ObjectRequest.HeadObject head = assertInstanceOf(ObjectRequest.HeadObject.class, parse("HEAD", "/b/k", Map.of()));
        assertNull(head.versionId());
        assertNull(head.partNumber());
        assertEquals(Map.of(), head.responseOverrides());
    }

    @Test
    void listingsCarryTheirParameters() {
        String token = QueryParams.encodeToken("photos/2006/March/sample.jpg");
        BucketRequest.ListObjectsV2 v2 = assertInstanceOf(BucketRequest.ListObjectsV2.class, parse("GET",
                "/b?list-type=2&max-keys=2000&continuation-token=" + token + "&start-after=a&fetch-owner=true",
                Map.of()));
        assertEquals(1000, v2.maxKeys());
        assertEquals("photos/2006/March/sample.jpg", v2.after());
        assertEquals("a", v2.startAfter());
        assertTrue(v2.fetchOwner());
        assertEquals("", v2.prefix());
        assertNull(v2.delimiter());
        BucketRequest.ListMultipartUploads uploads = assertInstanceOf(BucketRequest.ListMultipartUploads.class,
                parse("GET", "/b?uploads&max-uploads=3&upload-id-marker=u", Map.of()));
        assertEquals(3, uploads.maxUploads());
        assertNull(uploads.uploadIdMarker(), "an upload-id-marker without a key-marker is ignored");
        ObjectRequest.ListParts parts = assertInstanceOf(ObjectRequest.ListParts.class, parse("GET",
                "/b/k?uploadId=0123456789abcdef0123456789abcdef&max-parts=2&part-number-marker=1", Map.of()));
        assertEquals(new UploadId("0123456789abcdef0123456789abcdef"), parts.uploadId());
        assertEquals(2, parts.maxParts());
        assertEquals(1, parts.partNumberMarker());
        S3Request.ListBuckets all = assertInstanceOf(S3Request.ListBuckets.class, parse("GET", "/", Map.of()));
        assertFalse(all.paged());
        S3Request.ListBuckets page = assertInstanceOf(S3Request.ListBuckets.class,
                parse("GET", "/?max-buckets=5&prefix=a", Map.of()));
        assertTrue(page.paged());
        assertEquals(5, page.maxBuckets());
    }

    @Test
    void copiesCarryTheirSource() {
        ObjectRequest.UploadPartCopy copy = assertInstanceOf(ObjectRequest.UploadPartCopy.class,
                parse("PUT", "/b/k?partNumber=2&uploadId=0123456789abcdef0123456789abcdef",
                        Map.of("x-amz-copy-source", "/src/a%20key?versionId=null")));
        assertEquals(2, copy.partNumber());
        assertEquals(new BucketName("src"), copy.source().bucket());
        assertEquals(new ObjectKey("a key"), copy.source().key());
        assertEquals("null", copy.source().versionId().value());
    }

    /** A bad parameter gives the operation's Invalid request with the error it answers (after authentication). */
    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /b?max-keys=-1                             | LIST_OBJECTS            | InvalidArgument",
            "GET    | /b?encoding-type=xml                       | LIST_OBJECTS            | InvalidArgument",
            "GET    | /b?list-type=2&continuation-token=%21%21   | LIST_OBJECTS_V2         | InvalidArgument",
            "GET    | /b?versions&version-id-marker=null         | LIST_OBJECT_VERSIONS    | InvalidArgument",
            "GET    | /b?versions&key-marker=a&version-id-marker=v1 | LIST_OBJECT_VERSIONS | InvalidArgument",
            "GET    | /b?uploads&max-uploads=x                   | LIST_MULTIPART_UPLOADS  | InvalidArgument",
            "GET    | /?max-buckets=0                            | LIST_BUCKETS            | InvalidArgument",
            "GET    | /?max-buckets=10001                        | LIST_BUCKETS            | InvalidArgument",
            "PUT    | /Bad_Bucket                                | CREATE_BUCKET           | InvalidBucketName",
            "PUT    | /ab                                        | CREATE_BUCKET           | InvalidBucketName",
            "GET    | /a%2Fb/k                                   | GET_OBJECT              | InvalidBucketName",
            "GET    | /b/k?versionId=3HL4kqtJlcpXroDTDmJ         | GET_OBJECT              | InvalidArgument",
            "GET    | /b/k?partNumber=0                          | GET_OBJECT              | InvalidArgument",
            "DELETE | /b/k?versionId=x                           | DELETE_OBJECT           | InvalidArgument",
            "PUT    | /b/k?partNumber=10001&uploadId=0123456789abcdef0123456789abcdef | UPLOAD_PART | InvalidArgument",
            "PUT    | /b/k?partNumber=1&uploadId=not-ours        | UPLOAD_PART             | NoSuchUpload",
            "POST   | /b/k?uploadId=ABC                          | COMPLETE_MULTIPART_UPLOAD | NoSuchUpload",
            "DELETE | /b/k?uploadId=                             | ABORT_MULTIPART_UPLOAD  | NoSuchUpload",
            "GET    | /b/k?uploadId=0123456789abcdef0123456789abcdef&part-number-marker=-2 | LIST_PARTS | InvalidArgument",
            "GET    | /b/k?tagging&versionId=v2                  | GET_OBJECT_TAGGING      | InvalidArgument",
    })
    void invalidParametersAreInvalidRequests(String method, String uri, S3Operation op, String code) {
        S3Request.Invalid invalid = assertInstanceOf(S3Request.Invalid.class, parse(method, uri, Map.of()));
        assertEquals(op, invalid.operation());
        assertEquals(code, invalid.error().error().code());
    }

    @Test
    void anInvalidRequestNeedsItsOperationsPermissionSoStrangersLearnNothing() {
        assertEquals(List.of(new Permission("s3:ListBucket", new BucketName("b"), null)),
                parse("GET", "/b?max-keys=-1", Map.of()).permissions());
        assertEquals(List.of(new Permission("s3:GetObject", new BucketName("b"), new ObjectKey("k"))),
                parse("GET", "/b/k?partNumber=0", Map.of()).permissions());
        assertEquals(List.of(new Permission("s3:CreateBucket", new BucketName("Bad_Bucket"), null)),
                parse("PUT", "/Bad_Bucket", Map.of()).permissions());
        assertEquals(List.of(new Permission("s3:ListAllMyBuckets", null, null)),
                parse("GET", "/?max-buckets=0", Map.of()).permissions());
        assertEquals(List.of(new Permission("s3:PutObject", new BucketName("b"), null)),
                parse("PUT", "/b/" + "k".repeat(1025), Map.of()).permissions());
    }

    @Test
    void badKeysAndCopySourcesAreInvalid() {
        S3Request.Invalid tooLong = assertInstanceOf(S3Request.Invalid.class,
                parse("PUT", "/b/" + "k".repeat(1025), Map.of()));
        assertEquals("KeyTooLongError", tooLong.error().error().code());
        assertEquals("b", tooLong.bucketName());
        S3Request.Invalid noKey = assertInstanceOf(S3Request.Invalid.class,
                parse("PUT", "/b/k", Map.of("x-amz-copy-source", "src-without-key")));
        assertEquals(S3Operation.COPY_OBJECT, noKey.operation());
        assertEquals("InvalidArgument", noKey.error().error().code());
        S3Request.Invalid version = assertInstanceOf(S3Request.Invalid.class,
                parse("PUT", "/b/k", Map.of("x-amz-copy-source", "src/k?versionId=abc")));
        assertEquals("InvalidArgument", version.error().error().code(), "a malformed source version id");
    }

    /** The IAM action and resource each request needs, as the S3 authorization reference lists them. */
    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /                          | s3:ListAllMyBuckets@arn:aws:s3:::*",
            "PUT    | /bucket                    | s3:CreateBucket@arn:aws:s3:::bucket",
            "HEAD   | /b                         | s3:ListBucket@arn:aws:s3:::b",
            "GET    | /b?list-type=2             | s3:ListBucket@arn:aws:s3:::b",
            "GET    | /b?versions                | s3:ListBucketVersions@arn:aws:s3:::b",
            "GET    | /b?uploads                 | s3:ListBucketMultipartUploads@arn:aws:s3:::b",
            "DELETE | /b?cors                    | s3:PutBucketCORS@arn:aws:s3:::b",
            "DELETE | /b?tagging                 | s3:PutBucketTagging@arn:aws:s3:::b",
            "GET    | /b?location                | s3:GetBucketLocation@arn:aws:s3:::b",
            "GET    | /b/a/k                     | s3:GetObject@arn:aws:s3:::b/a/k",
            "HEAD   | /b/k                       | s3:GetObject@arn:aws:s3:::b/k",
            "GET    | /b/k?versionId=null        | s3:GetObjectVersion@arn:aws:s3:::b/k",
            "DELETE | /b/k                       | s3:DeleteObject@arn:aws:s3:::b/k",
            "DELETE | /b/k?versionId=null        | s3:DeleteObjectVersion@arn:aws:s3:::b/k",
            "PUT    | /b/k?tagging               | s3:PutObjectTagging@arn:aws:s3:::b/k",
            "GET    | /b/k?acl                   | s3:GetObjectAcl@arn:aws:s3:::b/k",
            "GET    | /b/k?attributes            | s3:GetObjectAttributes@arn:aws:s3:::b/k",
            "POST   | /b/k?uploads               | s3:PutObject@arn:aws:s3:::b/k",
            "DELETE | /b/k?uploadId=0123456789abcdef0123456789abcdef | s3:AbortMultipartUpload@arn:aws:s3:::b/k",
            "GET    | /b/k?uploadId=0123456789abcdef0123456789abcdef | s3:ListMultipartUploadParts@arn:aws:s3:::b/k",
    })
    void eachRequestNamesItsActionAndResource(String method, String uri, String expected) {
        List<Permission> needed = parse(method, uri, Map.of()).permissions();
        assertEquals(1, needed.size());
        assertEquals(expected, needed.get(0).action() + "@" + needed.get(0).resource());
    }

    @Test
    void aCopyNeedsToReadItsSourceAndSelfAuthorizingRequestsNeedNothingUpFront() {
        List<Permission> copy = parse("PUT", "/b/k", Map.of("x-amz-copy-source", "/src/s")).permissions();
        assertEquals(List.of(new Permission("s3:PutObject", new BucketName("b"), new ObjectKey("k")),
                new Permission("s3:GetObject", new BucketName("src"), new ObjectKey("s"))), copy);
        assertEquals(List.of(), parse("POST", "/b?delete", Map.of()).permissions());
        assertEquals(List.of(), parse("OPTIONS", "/b/k", Map.of()).permissions());
        assertEquals(List.of(), parse("POST", "/b", Map.of("content-type", "multipart/form-data; boundary=x"))
                .permissions());
    }
}
