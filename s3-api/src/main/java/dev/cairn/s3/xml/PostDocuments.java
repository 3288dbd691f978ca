package dev.cairn.s3.xml;

/** PostResponse: the answer of a form upload with {@code success_action_status=201}. */
public final class PostDocuments {
    private PostDocuments() {
    }

    public static byte[] postResponse(String location, String bucket, String key, String etag) {
        return XmlWriter.plainDocument("PostResponse")
                .element("Location", location)
                .element("Bucket", bucket)
                .element("Key", key)
                .element("ETag", "\"" + etag + "\"")
                .toBytes();
    }
}
