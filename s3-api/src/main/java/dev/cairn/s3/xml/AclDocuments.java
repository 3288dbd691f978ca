package dev.cairn.s3.xml;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.iam.Owner;
import dev.cairn.s3.iam.acl.Acl;
import dev.cairn.s3.iam.acl.AclPermission;
import dev.cairn.s3.iam.acl.Grantee;
import org.w3c.dom.Element;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The AccessControlPolicy document of Get/PutBucketAcl and Get/PutObjectAcl, and the grants of
 * x-amz-grant-* headers.
 */
public final class AclDocuments {
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

    private AclDocuments() {
    }

    /** The policy document of an ACL; {@code owners} names canonical ids (display names). */
    public static byte[] policy(Acl acl, Function<String, Owner> owners) {
        XmlWriter w = XmlWriter.document("AccessControlPolicy");
        BucketDocuments.owner(w, owners.apply(acl.ownerId()));
        w.start("AccessControlList");
        for (Acl.Grant g : acl.grants()) {
            w.start("Grant");
            if (g.grantee().type() == Grantee.Type.CANONICAL_USER) {
                Owner o = owners.apply(g.grantee().id());
                w.start("Grantee", Map.of("xmlns:xsi", XSI, "xsi:type", "CanonicalUser"))
                        .element("ID", o.id()).element("DisplayName", o.displayName()).end();
            } else {
                w.start("Grantee", Map.of("xmlns:xsi", XSI, "xsi:type", "Group")).element("URI", g.grantee().id()).end();
            }
            w.element("Permission", g.permission().name()).end();
        }
        w.end();
        return w.toBytes();
    }

    /** A parsed AccessControlPolicy: the owner id it names (null when it names none) and its grants. */
    public record Parsed(String ownerId, List<Acl.Grant> grants) {
    }

    /**
     * The owner and grants of an AccessControlPolicy document: MalformedACLError when it is not
     * one, UnresolvableGrantByEmailAddress for a grantee named by e-mail (Cairn has no e-mail
     * addresses), InvalidArgument for an unknown group.
     */
    public static Parsed parse(byte[] body) {
        Element root;
        try {
            root = XmlReader.parse(body, "AccessControlPolicy");
        } catch (S3Exception e) {
            throw malformed();
        }
        String ownerId = null;
        List<Element> owners = XmlReader.children(root, "Owner");
        if (!owners.isEmpty()) {
            ownerId = trim(XmlReader.childText(owners.get(0), "ID"));
        }
        List<Element> lists = XmlReader.children(root, "AccessControlList");
        if (lists.size() != 1) {
            throw malformed();
        }
        List<Acl.Grant> grants = new ArrayList<>();
        for (Element grant : XmlReader.children(lists.get(0), "Grant")) {
            List<Element> grantees = XmlReader.children(grant, "Grantee");
            AclPermission permission = permission(XmlReader.childText(grant, "Permission"));
            if (grantees.size() != 1) {
                throw malformed();
            }
            Element g = grantees.get(0);
            String type = g.getAttributeNS(XSI, "type");
            Grantee grantee = switch (type) {
                case "CanonicalUser" -> Grantee.user(required(trim(XmlReader.childText(g, "ID"))));
                case "Group" -> group(required(trim(XmlReader.childText(g, "URI"))));
                case "AmazonCustomerByEmail" -> throw byEmail(XmlReader.childText(g, "EmailAddress"));
                default -> throw malformed();
            };
            grants.add(new Acl.Grant(grantee, permission));
        }
        return new Parsed(ownerId, grants);
    }

    /**
     * The grants of one x-amz-grant-* header: {@code id="..."}, {@code uri="..."} or
     * {@code emailAddress="..."}, comma-separated.
     */
    public static List<Acl.Grant> headerGrants(String header, AclPermission permission) {
        List<Acl.Grant> out = new ArrayList<>();
        for (String part : header.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw invalidGrant(header);
            }
            String kind = p.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT);
            String value = p.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            switch (kind) {
                case "id" -> out.add(new Acl.Grant(Grantee.user(value), permission));
                case "uri" -> out.add(new Acl.Grant(group(value), permission));
                case "emailaddress" -> throw byEmail(value);
                default -> throw invalidGrant(header);
            }
        }
        return out;
    }

    private static Grantee group(String uri) {
        if (uri.equals(Grantee.ALL_USERS) || uri.equals(Grantee.AUTHENTICATED_USERS) || uri.equals(Grantee.LOG_DELIVERY)) {
            return Grantee.group(uri);
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid group uri").with("ArgumentName", "uri")
                .with("ArgumentValue", uri);
    }

    private static AclPermission permission(String value) {
        try {
            return AclPermission.valueOf(required(trim(value)));
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static S3Exception byEmail(String address) {
        return new S3Exception(S3ErrorCode.UNRESOLVABLE_GRANT_BY_EMAIL_ADDRESS).with("EmailAddress", address);
    }

    private static S3Exception invalidGrant(String header) {
        return new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid grant header").with("ArgumentValue", header);
    }

    private static String required(String s) {
        if (s == null || s.isEmpty()) {
            throw malformed();
        }
        return s;
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    private static S3Exception malformed() {
        return new S3Exception(S3ErrorCode.MALFORMED_ACL_ERROR);
    }
}
