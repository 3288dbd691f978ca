package dev.cairn.s3.xml;

import dev.cairn.metadata.Checksum;

/** CopyObjectResult. */
public final class CopyDocuments {
    private CopyDocuments() {
    }

    public static byte[] copyObjectResult(String etag, long modifiedMillis, Checksum checksum) {
        XmlWriter w = XmlWriter.document("CopyObjectResult")
                .element("LastModified", BucketDocuments.timestamp(modifiedMillis))
                .element("ETag", "\"" + etag + "\"");
        if (checksum != null) {
            ListDocuments.checksum(w, checksum);
            w.element("ChecksumType", checksum.type());
        }
        return w.toBytes();
    }
}
