package dev.cairn.s3.xml;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.s3.iam.Owner;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Response documents of the bucket operations. */
public final class BucketDocuments {
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private BucketDocuments() {
    }

    /**
     * S3's timestamp format in XML bodies: 2009-10-12T17:50:30.000Z. Whole seconds, as S3 gives
     * them, so a listed LastModified equals the Last-Modified header of GET and HEAD.
     */
    public static String timestamp(long millis) {
        return ISO.format(Instant.ofEpochMilli(millis - Math.floorMod(millis, 1000L)));
    }

    public static byte[] listAllMyBuckets(Owner owner, List<BucketRecord> buckets) {
        return listAllMyBuckets(owner, buckets, null, null);
    }

    /**
     * A page of ListBuckets: {@code continuationToken} is the token of the next page (null on the
     * last one), {@code prefix} the prefix the request named (null when it named none).
     */
    public static byte[] listAllMyBuckets(Owner owner, List<BucketRecord> buckets,
                                          String continuationToken, String prefix) {
        XmlWriter w = XmlWriter.document("ListAllMyBucketsResult");
        owner(w, owner);
        w.start("Buckets");
        for (BucketRecord b : buckets) {
            w.start("Bucket")
                    .element("Name", b.name())
                    .element("CreationDate", timestamp(b.createdMillis()))
                    .element("BucketRegion", b.region())
                    .end();
        }
        w.end();
        w.element("ContinuationToken", continuationToken);
        w.element("Prefix", prefix);
        return w.toBytes();
    }

    public static void owner(XmlWriter w, Owner owner) {
        w.start("Owner").element("ID", owner.id()).element("DisplayName", owner.displayName()).end();
    }

    /** us-east-1 answers an empty LocationConstraint, as AWS does. */
    public static byte[] locationConstraint(String region) {
        XmlWriter w = XmlWriter.document("LocationConstraint");
        if (region != null) {
            w.text(region);
        }
        return w.toBytes();
    }

    /** A bucket that was never versioned: an empty configuration. */
    public static byte[] versioningConfiguration() {
        return XmlWriter.document("VersioningConfiguration").toBytes();
    }
}
