package dev.cairn.s3.xml;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.iam.Owner;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The AccessControlPolicy document of Get/PutBucketAcl and Get/PutObjectAcl. */
public final class AclDocuments {
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    private AclDocuments() {
    }

    /** One grant of a policy: the grantee's type and id (or URI / email address) and the permission. */
    public record Grant(String granteeType, String grantee, String permission) {
    }

    /** The owner with FULL_CONTROL, the only ACL Cairn has. */
    public static byte[] ownerFullControl(Owner owner) {
        XmlWriter w = XmlWriter.document("AccessControlPolicy");
        BucketDocuments.owner(w, owner);
        w.start("AccessControlList").start("Grant")
                .start("Grantee", Map.of("xmlns:xsi", XSI, "xsi:type", "CanonicalUser"))
                .element("ID", owner.id()).element("DisplayName", owner.displayName()).end()
                .element("Permission", "FULL_CONTROL")
                .end().end();
        return w.toBytes();
    }

    /** The grants of an AccessControlPolicy document; MalformedACLError when it is not one. */
    public static List<Grant> parseGrants(byte[] body) {
        Element root;
        try {
            root = XmlReader.parse(body, "AccessControlPolicy");
        } catch (S3Exception e) {
            throw malformed();
        }
        List<Element> lists = XmlReader.children(root, "AccessControlList");
        if (lists.size() != 1) {
            throw malformed();
        }
        List<Grant> grants = new ArrayList<>();
        for (Element grant : XmlReader.children(lists.get(0), "Grant")) {
            List<Element> grantees = XmlReader.children(grant, "Grantee");
            String permission = XmlReader.childText(grant, "Permission");
            if (grantees.size() != 1 || permission == null) {
                throw malformed();
            }
            Element g = grantees.get(0);
            String type = g.getAttributeNS(XSI, "type");
            String id = firstText(g, "ID", "URI", "EmailAddress");
            grants.add(new Grant(type, id, permission.trim()));
        }
        return grants;
    }

    private static String firstText(Element e, String... names) {
        for (String n : names) {
            String t = XmlReader.childText(e, n);
            if (t != null) {
                return t.trim();
            }
        }
        return null;
    }

    private static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_ACL_ERROR);
    }
}
