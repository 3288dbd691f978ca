package dev.cairn.s3.xml;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.access.ObjectOwnership;
import dev.cairn.s3.access.PublicAccessBlock;
import org.w3c.dom.Element;

import java.util.List;

/** PublicAccessBlockConfiguration, OwnershipControls and PolicyStatus documents. */
public final class AccessDocuments {
    private AccessDocuments() {
    }

    public static byte[] publicAccessBlock(PublicAccessBlock b) {
        return XmlWriter.document("PublicAccessBlockConfiguration")
                .element("BlockPublicAcls", b.blockPublicAcls()).element("IgnorePublicAcls", b.ignorePublicAcls())
                .element("BlockPublicPolicy", b.blockPublicPolicy())
                .element("RestrictPublicBuckets", b.restrictPublicBuckets()).toBytes();
    }

    /** A PublicAccessBlockConfiguration; absent settings are false, as S3 reads them. */
    public static PublicAccessBlock parsePublicAccessBlock(byte[] body) {
        Element root = XmlReader.parse(body, "PublicAccessBlockConfiguration");
        return new PublicAccessBlock(flag(root, "BlockPublicAcls"), flag(root, "IgnorePublicAcls"),
                flag(root, "BlockPublicPolicy"), flag(root, "RestrictPublicBuckets"));
    }

    public static byte[] ownershipControls(ObjectOwnership o) {
        return XmlWriter.document("OwnershipControls").start("Rule").element("ObjectOwnership", o.wireName()).end()
                .toBytes();
    }

    /** The one rule of an OwnershipControls document; MalformedXML otherwise. */
    public static ObjectOwnership parseOwnershipControls(byte[] body) {
        Element root = XmlReader.parse(body, "OwnershipControls");
        List<Element> rules = XmlReader.children(root, "Rule");
        if (rules.size() != 1) {
            throw XmlReader.malformed();
        }
        String value = XmlReader.childText(rules.get(0), "ObjectOwnership");
        ObjectOwnership o = value == null ? null : ObjectOwnership.named(value.trim());
        if (o == null) {
            throw XmlReader.malformed();
        }
        return o;
    }

    public static byte[] policyStatus(boolean isPublic) {
        return XmlWriter.document("PolicyStatus").element("IsPublic", isPublic).toBytes();
    }

    private static boolean flag(Element root, String name) {
        String v = XmlReader.childText(root, name);
        if (v == null) {
            return false;
        }
        return switch (v.trim()) {
            case "true", "TRUE", "True" -> true;
            case "false", "FALSE", "False" -> false;
            default -> throw new S3Exception(S3ErrorCode.MALFORMED_XML);
        };
    }
}
