package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ListObjectVersions on buckets that are never versioned: every object is one latest version
 * with VersionId "null"; versionId=null names the object on GET, HEAD and DELETE, any other
 * version id is InvalidArgument.
 */
class ListObjectVersionsTest {
    private static final List<String> KEYS = List.of("a", "dir/one", "dir/sub/two", "dir/three", "sp ace", "z");
    private static TestServer server;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
        bucket = TestServer.uniqueBucket("versions");
        s3.createBucket(b -> b.bucket(bucket));
        for (String k : KEYS) {
            S3Asserts.put(s3, bucket, k, ("content of " + k).getBytes());
        }
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @Test
    void everyObjectIsItsOneLatestNullVersion() {
        ListObjectVersionsResponse r = s3.listObjectVersions(q -> q.bucket(bucket));
        List<S3Object> objects = s3.listObjectsV2(q -> q.bucket(bucket)).contents();

        assertEquals(KEYS, r.versions().stream().map(ObjectVersion::key).toList());
        assertFalse(r.isTruncated());
        for (int i = 0; i < objects.size(); i++) {
            ObjectVersion v = r.versions().get(i);
            assertEquals("null", v.versionId());
            assertTrue(v.isLatest());
            assertEquals(objects.get(i).eTag(), v.eTag());
            assertEquals(objects.get(i).size(), v.size());
            assertEquals(objects.get(i).lastModified(), v.lastModified());
            assertEquals(objects.get(i).storageClassAsString(), v.storageClassAsString());
        }
        assertTrue(r.deleteMarkers().isEmpty());
    }

    @Test
    void prefixAndDelimiterRollKeysIntoCommonPrefixes() {
        ListObjectVersionsResponse r = s3.listObjectVersions(q -> q.bucket(bucket).prefix("dir/").delimiter("/"));
        assertEquals(List.of("dir/one", "dir/three"), r.versions().stream().map(ObjectVersion::key).toList());
        assertEquals(List.of("dir/sub/"), r.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertEquals("dir/", r.prefix());
        assertEquals("/", r.delimiter());
    }

    @Test
    void pagesFollowNextKeyAndVersionIdMarkersToTheEnd() {
        List<String> seen = new ArrayList<>();
        String keyMarker = null;
        String versionMarker = null;
        int pages = 0;
        while (true) {
            String km = keyMarker;
            String vm = versionMarker;
            ListObjectVersionsResponse r = s3.listObjectVersions(q -> q.bucket(bucket).maxKeys(2).keyMarker(km)
                    .versionIdMarker(vm));
            pages++;
            r.versions().forEach(v -> seen.add(v.key()));
            assertEquals(2, r.maxKeys());
            if (!r.isTruncated()) {
                assertNull(r.nextKeyMarker());
                break;
            }
            assertEquals(seen.get(seen.size() - 1), r.nextKeyMarker());
            assertEquals("null", r.nextVersionIdMarker());
            keyMarker = r.nextKeyMarker();
            versionMarker = r.nextVersionIdMarker();
        }
        assertEquals(KEYS, seen);
        assertEquals(3, pages);
    }

    @Test
    void keyMarkerAloneStartsAfterThatKey() {
        ListObjectVersionsResponse r = s3.listObjectVersions(q -> q.bucket(bucket).keyMarker("dir/three"));
        assertEquals(List.of("sp ace", "z"), r.versions().stream().map(ObjectVersion::key).toList());
        assertEquals("dir/three", r.keyMarker());
    }

    @Test
    void truncatedPageEndingInACommonPrefixGivesItAsNextKeyMarker() {
        ListObjectVersionsResponse r = s3.listObjectVersions(q -> q.bucket(bucket).delimiter("/").maxKeys(2));
        assertEquals(List.of("a"), r.versions().stream().map(ObjectVersion::key).toList());
        assertEquals(List.of("dir/"), r.commonPrefixes().stream().map(CommonPrefix::prefix).toList());
        assertTrue(r.isTruncated());
        assertEquals("dir/", r.nextKeyMarker());
        ListObjectVersionsResponse rest = s3.listObjectVersions(q -> q.bucket(bucket).delimiter("/")
                .keyMarker(r.nextKeyMarker()));
        assertEquals(List.of("sp ace", "z"), rest.versions().stream().map(ObjectVersion::key).toList());
    }

    @Test
    void urlEncodingTypeEncodesKeysInTheAnswer() {
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/" + bucket + "?versions&encoding-type=url&prefix=sp"), Map.of(),
                null));
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.text().contains("<Key>sp%20ace</Key>"), r.text());
        assertTrue(r.text().contains("<EncodingType>url</EncodingType>"), r.text());
        assertTrue(r.text().contains("<VersionId>null</VersionId>"), r.text());
    }

    @Test
    void badMarkersAndParametersAreInvalidArgument() {
        assertS3Error(400, "InvalidArgument", () -> s3.listObjectVersions(q -> q.bucket(bucket)
                .versionIdMarker("null")));
        assertS3Error(400, "InvalidArgument", () -> s3.listObjectVersions(q -> q.bucket(bucket).keyMarker("a")
                .versionIdMarker("3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")));
        assertS3Error(400, "InvalidArgument", () -> s3.listObjectVersions(q -> q.bucket(bucket).maxKeys(-1)));
        assertS3Error(400, "InvalidArgument", () -> s3.listObjectVersions(q -> q.bucket(bucket)
                .encodingType("xml")));
        assertS3Error(404, "NoSuchBucket", () -> s3.listObjectVersions(q -> q.bucket(
                TestServer.uniqueBucket("versions-missing"))));
    }

    @Test
    void versionIdNullNamesTheObjectOnGetHeadAndDelete() {
        S3Asserts.put(s3, bucket, "null-version", "v".getBytes());

        byte[] got = s3.getObjectAsBytes(r -> r.bucket(bucket).key("null-version").versionId("null")).asByteArray();
        assertArrayEquals("v".getBytes(), got);
        assertEquals(1L, s3.headObject(r -> r.bucket(bucket).key("null-version").versionId("null")).contentLength());
        s3.deleteObject(r -> r.bucket(bucket).key("null-version").versionId("null"));

        assertS3Error(404, "NoSuchKey", () -> s3.getObject(r -> r.bucket(bucket).key("null-version")));
    }

    @Test
    void deleteObjectsDeletesNullVersionsAndRefusesOtherVersionIdsPerKey() {
        String bucket = TestServer.uniqueBucket("versions-delete");
        s3.createBucket(b -> b.bucket(bucket));
        S3Asserts.put(s3, bucket, "multi-null", "1".getBytes());
        S3Asserts.put(s3, bucket, "multi-other", "2".getBytes());

        DeleteObjectsResponse r = s3.deleteObjects(q -> q.bucket(bucket).delete(d -> d.objects(
                ObjectIdentifier.builder().key("multi-null").versionId("null").build(),
                ObjectIdentifier.builder().key("multi-other").versionId("3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY").build())));

        assertEquals(List.of("multi-null"), r.deleted().stream().map(DeletedObject::key).toList());
        assertEquals("null", r.deleted().get(0).versionId());
        assertEquals(1, r.errors().size());
        assertEquals("multi-other", r.errors().get(0).key());
        assertEquals("InvalidArgument", r.errors().get(0).code());
        assertArrayEquals("2".getBytes(), S3Asserts.get(s3, bucket, "multi-other"));
        assertFalse(S3Asserts.allKeys(s3, bucket).contains("multi-null"));
    }

    @Test
    void otherVersionIdsAreInvalidArgumentOnAnUnversionedBucket() {
        String id = "3sL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY";
        assertS3Error(400, "InvalidArgument", () -> s3.getObject(r -> r.bucket(bucket).key("a").versionId(id)));
        assertS3Status(400, () -> s3.headObject(r -> r.bucket(bucket).key("a").versionId(id)));
        assertS3Error(400, "InvalidArgument", () -> s3.deleteObject(r -> r.bucket(bucket).key("a").versionId(id)));
        assertS3Error(400, "InvalidArgument", () -> s3.getObjectTagging(r -> r.bucket(bucket).key("a").versionId(id)));
        assertS3Error(400, "InvalidArgument", () -> s3.getObjectAcl(r -> r.bucket(bucket).key("a").versionId(id)));
        assertArrayEquals("content of a".getBytes(), S3Asserts.get(s3, bucket, "a"));
    }
}
