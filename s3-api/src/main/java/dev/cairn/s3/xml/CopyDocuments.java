package dev.cairn.s3.xml;

import dev.cairn.metadata.Checksum;

/** CopyObjectResult and CopyPartResult. */
public final class CopyDocuments {
    private CopyDocuments() {
    }

    public static byte[] copyObjectResult(String etag, long modifiedMillis, Checksum checksum) {
        return result("CopyObjectResult", etag, modifiedMillis, checksum);
    }

    public static byte[] copyPartResult(String etag, long modifiedMillis, Checksum checksum) {
        return result("CopyPartResult", etag, modifiedMillis, checksum);
    }

    private static byte[] result(String root, String etag, long modifiedMillis, Checksum checksum) {
        XmlWriter w = XmlWriter.document(root)
                .element("LastModified", BucketDocuments.timestamp(modifiedMillis))
                .element("ETag", "\"" + etag + "\"");
        if (checksum != null) {
            ListDocuments.checksum(w, checksum);
            w.element("ChecksumType", checksum.type());
        }
        return w.toBytes();
    }
}
