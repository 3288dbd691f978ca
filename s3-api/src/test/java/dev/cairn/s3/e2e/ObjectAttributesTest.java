package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectAttributesResponse;
import software.amazon.awssdk.services.s3.model.ObjectAttributes;
import software.amazon.awssdk.services.s3.model.ObjectPart;
import software.amazon.awssdk.services.s3.model.StorageClass;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GetObjectAttributes: the attributes asked for, ObjectParts paged, InvalidArgument for a missing or unknown name. */
class ObjectAttributesTest {
    private static final int MIB = 1024 * 1024;
    private static TestServer server;
    private static S3Client s3;
    private static String bucket;
    private static List<byte[]> parts;
    private static List<String> partChecksums;
    private static String multipartEtag;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
        bucket = TestServer.uniqueBucket("attrs");
        s3.createBucket(b -> b.bucket(bucket));
        parts = List.of(S3Asserts.randomBytes(5 * MIB, 1), S3Asserts.randomBytes(5 * MIB, 2),
                S3Asserts.randomBytes(1000, 3));
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key("multi")
                .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
        List<CompletedPart> done = new ArrayList<>();
        partChecksums = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            int n = i + 1;
            UploadPartResponse p = s3.uploadPart(r -> r.bucket(bucket).key("multi").uploadId(uploadId).partNumber(n)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(parts.get(n - 1)));
            partChecksums.add(p.checksumCRC32());
            done.add(CompletedPart.builder().partNumber(n).eTag(p.eTag()).checksumCRC32(p.checksumCRC32()).build());
        }
        multipartEtag = s3.completeMultipartUpload(r -> r.bucket(bucket).key("multi").uploadId(uploadId)
                .multipartUpload(m -> m.parts(done))).eTag();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @Test
    void singlePartObjectReportsEtagWithoutQuotesSizeStorageClassAndChecksum() {
        s3.putObject(r -> r.bucket(bucket).key("single").checksumAlgorithm(ChecksumAlgorithm.SHA256)
                .storageClass(StorageClass.STANDARD_IA), RequestBody.fromString("attributes"));

        GetObjectAttributesResponse a = s3.getObjectAttributes(r -> r.bucket(bucket).key("single").objectAttributes(
                ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_SIZE, ObjectAttributes.STORAGE_CLASS,
                ObjectAttributes.CHECKSUM, ObjectAttributes.OBJECT_PARTS));

        assertEquals(S3Asserts.md5Hex("attributes".getBytes()), a.eTag());
        assertEquals(10L, a.objectSize());
        assertEquals(StorageClass.STANDARD_IA, a.storageClass());
        assertEquals(S3Asserts.checksum("SHA256", "attributes".getBytes()), a.checksum().checksumSHA256());
        assertEquals("FULL_OBJECT", a.checksum().checksumTypeAsString());
        assertNull(a.objectParts(), "an object uploaded in one piece has no ObjectParts");
        assertEquals(s3.headObject(r -> r.bucket(bucket).key("single")).lastModified(), a.lastModified());
    }

    @Test
    void onlyTheAttributesAskedForAreAnswered() {
        GetObjectAttributesResponse a = s3.getObjectAttributes(r -> r.bucket(bucket).key("multi")
                .objectAttributes(ObjectAttributes.OBJECT_SIZE));
        assertEquals(10L * MIB + 1000, a.objectSize());
        assertNull(a.eTag());
        assertNull(a.checksum());
        assertNull(a.objectParts());
        assertNull(a.storageClass());
    }

    @Test
    void multipartObjectListsItsPartsWithSizesAndChecksums() {
        GetObjectAttributesResponse a = s3.getObjectAttributes(r -> r.bucket(bucket).key("multi").objectAttributes(
                ObjectAttributes.E_TAG, ObjectAttributes.OBJECT_PARTS, ObjectAttributes.CHECKSUM));

        assertEquals(multipartEtag.replace("\"", ""), a.eTag());
        assertTrue(a.eTag().endsWith("-3"), a.eTag());
        assertEquals(3, a.objectParts().totalPartsCount());
        assertFalse(a.objectParts().isTruncated());
        List<ObjectPart> listed = a.objectParts().parts();
        assertEquals(3, listed.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, listed.get(i).partNumber());
            assertEquals((long) parts.get(i).length, listed.get(i).size());
            assertEquals(partChecksums.get(i), listed.get(i).checksumCRC32());
        }
        assertEquals("COMPOSITE", a.checksum().checksumTypeAsString());
    }

    @Test
    void objectPartsArePagedByMaxPartsAndPartNumberMarker() {
        GetObjectAttributesResponse first = s3.getObjectAttributes(r -> r.bucket(bucket).key("multi")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(2));
        assertEquals(List.of(1, 2), first.objectParts().parts().stream().map(ObjectPart::partNumber).toList());
        assertTrue(first.objectParts().isTruncated());
        assertEquals(2, first.objectParts().nextPartNumberMarker());
        assertEquals(2, first.objectParts().maxParts());

        GetObjectAttributesResponse rest = s3.getObjectAttributes(r -> r.bucket(bucket).key("multi")
                .objectAttributes(ObjectAttributes.OBJECT_PARTS).maxParts(2).partNumberMarker(2));
        assertEquals(List.of(3), rest.objectParts().parts().stream().map(ObjectPart::partNumber).toList());
        assertFalse(rest.objectParts().isTruncated());
        assertEquals(2, rest.objectParts().partNumberMarker());
    }

    @Test
    void missingOrUnknownAttributeNamesAreInvalidArgument() {
        URI uri = URI.create(server.endpoint() + "/" + bucket + "/multi?attributes");
        assertRawError(400, "InvalidArgument", RawHttp.send(RawHttp.signed(SdkHttpMethod.GET, uri, Map.of(), null)));
        assertRawError(400, "InvalidArgument", RawHttp.send(RawHttp.signed(SdkHttpMethod.GET, uri,
                Map.of("x-amz-object-attributes", "ETag,Colour"), null)));
        assertS3Error(400, "InvalidArgument", () -> s3.getObjectAttributes(r -> r.bucket(bucket).key("multi")
                .objectAttributesWithStrings("ObjectSize", "Owner")));
    }

    @Test
    void attributesOfAMissingObjectAreNoSuchKey() {
        assertS3Error(404, "NoSuchKey", () -> s3.getObjectAttributes(r -> r.bucket(bucket).key("absent")
                .objectAttributes(ObjectAttributes.E_TAG)));
        assertS3Error(400, "InvalidArgument", () -> s3.getObjectAttributes(r -> r.bucket(bucket).key("multi")
                .versionId("3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY").objectAttributes(ObjectAttributes.E_TAG)));
    }
}
