package dev.cairn.s3.xml;

import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.ObjectListing;
import dev.cairn.metadata.VersionListing;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PartRecord;
import dev.cairn.metadata.UploadListing;
import dev.cairn.metadata.UploadRecord;
import dev.cairn.s3.iam.Owner;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** ListBucketResult (v1 and v2), ListMultipartUploadsResult and ListPartsResult. */
public final class ListDocuments {
    private ListDocuments() {
    }

    /** What a ListObjects call asked for, echoed in its answer. */
    public record ObjectsRequest(String bucket, String prefix, String delimiter, int maxKeys, boolean urlEncoding,
                                 boolean v2, String marker, String continuationToken, String startAfter,
                                 boolean fetchOwner) {
    }

    public static byte[] listObjects(ObjectsRequest q, ObjectListing page, String nextContinuationToken,
                                     Function<String, Owner> owners) {
        UnaryOperator<String> enc = q.urlEncoding() ? S3Url::encode : s -> s;
        XmlWriter w = XmlWriter.document("ListBucketResult");
        w.element("Name", q.bucket())
                .elementAlways("Prefix", enc.apply(q.prefix()));
        if (q.v2()) {
            w.element("ContinuationToken", q.continuationToken())
                    .element("StartAfter", enc.apply(q.startAfter()))
                    .element("KeyCount", page.contents().size() + page.commonPrefixes().size());
            if (page.truncated()) {
                w.element("NextContinuationToken", nextContinuationToken);
            }
        } else {
            w.elementAlways("Marker", enc.apply(q.marker()));
            if (page.truncated()) {
                w.element("NextMarker", enc.apply(page.nextMarker()));
            }
        }
        pageFields(w, q.maxKeys(), enc.apply(q.delimiter()), page.truncated(), q.urlEncoding());
        for (ObjectListing.Entry e : page.contents()) {
            w.start("Contents").element("Key", enc.apply(e.key()));
            objectFields(w, e.object(), !q.v2() || q.fetchOwner() ? owners : null);
            w.end();
        }
        commonPrefixes(w, page.commonPrefixes(), enc);
        return w.toBytes();
    }

    /** MaxKeys, Delimiter, IsTruncated and EncodingType, as every listing answers them. */
    private static void pageFields(XmlWriter w, int maxKeys, String delimiter, boolean truncated, boolean urlEncoding) {
        w.element("MaxKeys", maxKeys)
                .element("Delimiter", delimiter)
                .element("IsTruncated", truncated);
        if (urlEncoding) {
            w.element("EncodingType", "url");
        }
    }

    /** What a ListObjectVersions call asked for. */
    public record VersionsRequest(String bucket, String prefix, String delimiter, String keyMarker,
                                  String versionIdMarker, int maxKeys, boolean urlEncoding) {
    }

    /**
     * ListVersionsResult: versions and delete markers in key order (newest first within a key),
     * each with its version id ("null" for the null version) and IsLatest.
     */
    public static byte[] listVersions(VersionsRequest q, VersionListing page, Function<String, Owner> owners) {
        UnaryOperator<String> enc = q.urlEncoding() ? S3Url::encode : s -> s;
        XmlWriter w = XmlWriter.document("ListVersionsResult");
        w.element("Name", q.bucket())
                .elementAlways("Prefix", enc.apply(q.prefix()))
                .elementAlways("KeyMarker", enc.apply(q.keyMarker()))
                .elementAlways("VersionIdMarker", q.versionIdMarker());
        if (page.truncated()) {
            w.element("NextKeyMarker", enc.apply(page.nextKeyMarker()))
                    .element("NextVersionIdMarker", page.nextVersionIdMarker());
        }
        pageFields(w, q.maxKeys(), enc.apply(q.delimiter()), page.truncated(), q.urlEncoding());
        for (VersionListing.Entry e : page.versions()) {
            ObjectRecord o = e.object();
            if (o.isDeleteMarker()) {
                w.start("DeleteMarker")
                        .element("Key", enc.apply(e.key()))
                        .element("VersionId", o.versionId())
                        .element("IsLatest", e.latest())
                        .element("LastModified", BucketDocuments.timestamp(o.modifiedMillis()));
                if (owners != null) {
                    BucketDocuments.owner(w, owners.apply(o.owner()));
                }
                w.end();
                continue;
            }
            w.start("Version")
                    .element("Key", enc.apply(e.key()))
                    .element("VersionId", o.versionId())
                    .element("IsLatest", e.latest());
            objectFields(w, o, owners);
            w.end();
        }
        commonPrefixes(w, page.commonPrefixes(), enc);
        return w.toBytes();
    }

    /** LastModified, ETag, Size, checksum, StorageClass and (when given) Owner of a listed object. */
    private static void objectFields(XmlWriter w, ObjectRecord o, Function<String, Owner> owners) {
        w.element("LastModified", BucketDocuments.timestamp(o.modifiedMillis()))
                .element("ETag", "\"" + o.etag() + "\"")
                .element("Size", o.size());
        if (o.checksum() != null) {
            w.element("ChecksumAlgorithm", o.checksum().algorithm())
                    .element("ChecksumType", o.checksum().type());
        }
        w.element("StorageClass", o.storageClass());
        if (owners != null) {
            BucketDocuments.owner(w, owners.apply(o.owner()));
        }
    }

    private static void commonPrefixes(XmlWriter w, List<String> prefixes, UnaryOperator<String> enc) {
        for (String p : prefixes) {
            w.start("CommonPrefixes").element("Prefix", enc.apply(p)).end();
        }
    }

    /** What a ListMultipartUploads call asked for. */
    public record UploadsRequest(String bucket, String prefix, String delimiter, String keyMarker,
                                 String uploadIdMarker, int maxUploads, boolean urlEncoding) {
    }

    public static byte[] listUploads(UploadsRequest q, UploadListing page, Function<String, Owner> owners) {
        UnaryOperator<String> enc = q.urlEncoding() ? S3Url::encode : s -> s;
        XmlWriter w = XmlWriter.document("ListMultipartUploadsResult");
        w.element("Bucket", q.bucket())
                .elementAlways("KeyMarker", enc.apply(q.keyMarker()))
                .elementAlways("UploadIdMarker", q.uploadIdMarker())
                .element("NextKeyMarker", page.truncated() ? enc.apply(page.nextKeyMarker()) : null)
                .element("NextUploadIdMarker", page.truncated() ? page.nextUploadIdMarker() : null)
                .element("Prefix", enc.apply(q.prefix()))
                .element("Delimiter", enc.apply(q.delimiter()))
                .element("MaxUploads", q.maxUploads())
                .element("IsTruncated", page.truncated());
        if (q.urlEncoding()) {
            w.element("EncodingType", "url");
        }
        for (UploadRecord u : page.uploads()) {
            w.start("Upload")
                    .element("Key", enc.apply(u.key()))
                    .element("UploadId", u.uploadId());
            initiatorAndOwner(w, owners.apply(u.owner()));
            w.element("StorageClass", u.storageClass())
                    .element("Initiated", BucketDocuments.timestamp(u.initiatedMillis()))
                    .element("ChecksumAlgorithm", u.checksumAlgorithm())
                    .element("ChecksumType", u.checksumType())
                    .end();
        }
        commonPrefixes(w, page.commonPrefixes(), enc);
        return w.toBytes();
    }

    public static byte[] listParts(UploadRecord upload, List<PartRecord> parts, int marker, int maxParts,
                                   boolean truncated, Function<String, Owner> owners) {
        XmlWriter w = XmlWriter.document("ListPartsResult");
        w.element("Bucket", upload.bucket())
                .element("Key", upload.key())
                .element("UploadId", upload.uploadId())
                .element("PartNumberMarker", marker);
        if (!parts.isEmpty()) {
            w.element("NextPartNumberMarker", parts.get(parts.size() - 1).partNumber());
        }
        w.element("MaxParts", maxParts)
                .element("IsTruncated", truncated);
        initiatorAndOwner(w, owners.apply(upload.owner()));
        w.element("StorageClass", upload.storageClass())
                .element("ChecksumAlgorithm", upload.checksumAlgorithm())
                .element("ChecksumType", upload.checksumType());
        for (PartRecord p : parts) {
            w.start("Part")
                    .element("PartNumber", p.partNumber())
                    .element("LastModified", BucketDocuments.timestamp(p.modifiedMillis()))
                    .element("ETag", "\"" + p.etag() + "\"")
                    .element("Size", p.size());
            checksum(w, p.checksum());
            w.end();
        }
        return w.toBytes();
    }

    /** A ChecksumXXX element for a stored checksum (nothing when null). */
    public static void checksum(XmlWriter w, Checksum c) {
        if (c != null) {
            w.element("Checksum" + c.algorithm(), c.value());
        }
    }

    private static void initiatorAndOwner(XmlWriter w, Owner owner) {
        w.start("Initiator").element("ID", owner.id()).element("DisplayName", owner.displayName()).end();
        BucketDocuments.owner(w, owner);
    }
}
