package dev.cairn.s3.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Routing table tests, with request lines from the AWS S3 API reference examples. */
class RequestParserTest {

    private static ParsedRequest parse(String method, String uri, Map<String, String> headers) {
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
            "GET    | /examplebucket?policy                          | UNSUPPORTED",
            "PUT    | /examplebucket?cors                            | PUT_BUCKET_CORS",
            "GET    | /examplebucket?cors                            | GET_BUCKET_CORS",
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
    })
    void routesEveryOperation(String method, String uri, String expected) {
        assertEquals(expected, parse(method, uri, Map.of()).operation().name());
    }

    @ParameterizedTest(name = "{0} {1} names {2}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /b?policy       | GetBucketPolicy",
            "PUT    | /b?website      | PutBucketWebsite",
            "DELETE | /b?lifecycle    | DeleteBucketLifecycle",
            "GET    | /b?logging      | GetBucketLogging",
            "GET    | /b/k?retention  | GetObjectRetention",
            "DELETE | /b?acl          | DeleteBucketAcl",
            "PUT    | /b/k?legal-hold | PutObjectLegalHold",
            "POST   | /b/k?select&select-type=2 | SelectObjectContent",
            "POST   | /b              | PostObject",
    })
    void namesTheUnsupportedOperation(String method, String uri, String name) {
        assertEquals(name, parse(method, uri, Map.of()).unsupported());
    }

    @Test
    void copySourceHeaderIsCopyObjectAndNotAPut() {
        ParsedRequest p = parse("PUT", "/b/k", Map.of("x-amz-copy-source", "/src/key"));
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
        ParsedRequest p = parse("GET", path, Map.of());
        assertEquals(bucket, p.bucket());
        assertEquals(key, p.key());
    }

    @Test
    void bucketWithTrailingSlashHasNoKey() {
        ParsedRequest p = parse("GET", "/b/", Map.of());
        assertEquals("b", p.bucket());
        assertNull(p.key());
        assertEquals(S3Operation.LIST_OBJECTS, p.operation());
    }

    @Test
    void queryValuesAreDecodedAndPlusStaysPlus() {
        ParsedRequest p = parse("GET", "/b?prefix=a%20b%2Bc+d&delimiter=%2F&encoding-type=url", Map.of());
        assertEquals("a b+c+d", p.param("prefix"));
        assertEquals("/", p.param("delimiter"));
        assertEquals("url", p.param("encoding-type"));
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

    @ParameterizedTest(name = "Host {0} + {1} -> bucket {2}, key {3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "examplebucket.s3.example.com      | /photos/2006/February/sample.jpg | examplebucket    | photos/2006/February/sample.jpg",
            "examplebucket.s3.example.com:9000 | /a%20b                           | examplebucket    | a b",
            "my.dotted.bucket.s3.example.com   | /k                               | my.dotted.bucket | k",
            "examplebucket.S3.EXAMPLE.COM      | /                                | examplebucket    | null",
            "examplebucket.s3.example.com      | //double                         | examplebucket    | /double",
            "s3.example.com:9000               | /examplebucket/key               | examplebucket    | key",
            "127.0.0.1:9000                    | /examplebucket/key               | examplebucket    | key",
            "localhost                         | /examplebucket                   | examplebucket    | null",
            "bucket.other.org                  | /examplebucket/key               | examplebucket    | key",
            "[::1]:9000                        | /examplebucket/key               | examplebucket    | key",
    })
    void virtualHostedStyleTakesTheBucketFromTheHost(String host, String path, String bucket, String key) {
        String hostBucket = VirtualHost.bucket(host, VirtualHost.parseDomains("s3.example.com, other.test"));
        ParsedRequest p = RequestParser.parse("GET", hostBucket, path, null, name -> null);
        assertEquals(bucket, p.bucket());
        assertEquals(key, p.key());
    }

    @Test
    void withoutDomainsEveryHostIsPathStyle() {
        assertNull(VirtualHost.bucket("examplebucket.s3.example.com", java.util.List.of()));
    }

    @Test
    void virtualHostedRootIsABucketOperation() {
        String hostBucket = VirtualHost.bucket("examplebucket.s3.example.com", VirtualHost.parseDomains("s3.example.com"));
        assertEquals(S3Operation.LIST_OBJECTS_V2,
                RequestParser.parse("GET", hostBucket, "/", "list-type=2", name -> null).operation());
        assertEquals(S3Operation.PUT_OBJECT,
                RequestParser.parse("PUT", hostBucket, "/examplebucket", null, name -> null).operation());
    }
}
