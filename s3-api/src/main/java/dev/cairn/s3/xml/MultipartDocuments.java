package dev.cairn.s3.xml;

import dev.cairn.metadata.Checksum;

/** InitiateMultipartUploadResult and CompleteMultipartUploadResult. */
public final class MultipartDocuments {
    private MultipartDocuments() {
    }

    public static byte[] initiate(String bucket, String key, String uploadId) {
        return XmlWriter.document("InitiateMultipartUploadResult")
                .element("Bucket", bucket)
                .element("Key", key)
                .element("UploadId", uploadId)
                .toBytes();
    }

    public static byte[] complete(String location, String bucket, String key, String etag, Checksum checksum) {
        XmlWriter w = XmlWriter.document("CompleteMultipartUploadResult")
                .element("Location", location)
                .element("Bucket", bucket)
                .element("Key", key)
                .element("ETag", "\"" + etag + "\"");
        if (checksum != null) {
            ListDocuments.checksum(w, checksum);
            w.element("ChecksumType", checksum.type());
        }
        return w.toBytes();
    }
}
