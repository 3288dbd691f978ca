package dev.cairn.s3.xml;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import org.w3c.dom.Element;

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

    /** The versioning configuration: empty for a bucket that was never versioned. */
    public static byte[] versioningConfiguration(BucketRecord.Versioning state) {
        XmlWriter w = XmlWriter.document("VersioningConfiguration");
        switch (state) {
            case ENABLED -> w.element("Status", "Enabled");
            case SUSPENDED -> w.element("Status", "Suspended");
            case UNVERSIONED -> {
            }
        }
        return w.toBytes();
    }

    /**
     * The state a PutBucketVersioning body asks for: Status Enabled or Suspended (anything else,
     * or none, is MalformedXML); MfaDelete Enabled is refused with NotImplemented.
     */
    public static BucketRecord.Versioning parseVersioning(byte[] body) {
        Element root = XmlReader.parse(body, "VersioningConfiguration");
        String mfa = XmlReader.childText(root, "MfaDelete");
        if (mfa != null && mfa.trim().equals("Enabled")) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "MFA delete is not implemented by Cairn");
        }
        String status = XmlReader.childText(root, "Status");
        return switch (status == null ? "" : status.trim()) {
            case "Enabled" -> BucketRecord.Versioning.ENABLED;
            case "Suspended" -> BucketRecord.Versioning.SUSPENDED;
            default -> throw XmlReader.malformed();
        };
    }
}
