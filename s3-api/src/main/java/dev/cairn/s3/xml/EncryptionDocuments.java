package dev.cairn.s3.xml;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.crypto.BucketEncryption;
import dev.cairn.s3.crypto.ObjectSealing;
import org.w3c.dom.Element;

import java.util.List;

/**
 * The ServerSideEncryptionConfiguration document of Put/GetBucketEncryption (also the stored form
 * of a bucket's default encryption): one rule with ApplyServerSideEncryptionByDefault
 * (SSEAlgorithm AES256 or aws:kms, KMSMasterKeyID for aws:kms) and BucketKeyEnabled.
 */
public final class EncryptionDocuments {
    private static final String ROOT = "ServerSideEncryptionConfiguration";

    private EncryptionDocuments() {
    }

    public static BucketEncryption parse(byte[] body) {
        Element root = XmlReader.parse(body, ROOT);
        List<Element> rules = XmlReader.children(root, "Rule");
        if (rules.size() != 1) {
            throw XmlReader.malformed();
        }
        Element rule = rules.get(0);
        String bucketKey = XmlReader.childText(rule, "BucketKeyEnabled");
        if (bucketKey != null && !"false".equalsIgnoreCase(bucketKey.trim())) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "S3 Bucket Keys (BucketKeyEnabled) are not "
                    + "implemented by Cairn");
        }
        if (!XmlReader.children(rule, "BlockedEncryptionTypes").isEmpty()) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "BlockedEncryptionTypes is not implemented by Cairn");
        }
        List<Element> defaults = XmlReader.children(rule, "ApplyServerSideEncryptionByDefault");
        if (defaults.size() != 1) {
            throw XmlReader.malformed();
        }
        String algorithm = XmlReader.childText(defaults.get(0), "SSEAlgorithm");
        String keyId = XmlReader.childText(defaults.get(0), "KMSMasterKeyID");
        if (algorithm == null) {
            throw XmlReader.malformed();
        }
        switch (algorithm.trim()) {
            case "AES256" -> {
                if (keyId != null) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "a KMSMasterKeyID is not applicable if the "
                            + "default sse algorithm is not aws:kms or aws:kms:dsse").with("ArgumentName",
                            "ApplyServerSideEncryptionByDefault");
                }
                return new BucketEncryption(ObjectSealing.Mode.SSE_S3, null);
            }
            case "aws:kms" -> {
                String id = keyId == null || keyId.isBlank() ? null : keyId.trim();
                if (id != null && id.startsWith("arn:") && id.contains("key/")) {
                    id = id.substring(id.lastIndexOf("key/") + 4);
                }
                return new BucketEncryption(ObjectSealing.Mode.SSE_KMS, id);
            }
            case "aws:kms:dsse" -> throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "Dual-layer server-side encryption (aws:kms:dsse) is not implemented by Cairn");
            default -> throw XmlReader.malformed();
        }
    }

    public static byte[] write(BucketEncryption e) {
        XmlWriter w = XmlWriter.document(ROOT).start("Rule").start("ApplyServerSideEncryptionByDefault")
                .element("SSEAlgorithm", e.mode().algorithm());
        if (e.kmsKeyId() != null) {
            w.element("KMSMasterKeyID", e.kmsKeyId());
        }
        return w.end().element("BucketKeyEnabled", "false").end().toBytes();
    }
}
