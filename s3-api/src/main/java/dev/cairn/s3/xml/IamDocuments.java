package dev.cairn.s3.xml;

import dev.cairn.s3.iam.IamAccessKey;
import dev.cairn.s3.iam.IamException;
import dev.cairn.s3.iam.IamUser;
import dev.cairn.s3.iam.ManagedPolicy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The response documents of the IAM Query API ({@code <ActionResponse><ActionResult>...}
 * with the IAM namespace and a ResponseMetadata/RequestId), and its error document. Policy
 * documents are URL-encoded in answers, as IAM sends them (clients decode them).
 */
public final class IamDocuments {
    public static final String NS = "https://iam.amazonaws.com/doc/2010-05-08/";

    private IamDocuments() {
    }

    /** A response of {@code action}; {@code result} writes the Result element's content (null: none). */
    public static byte[] response(String action, String requestId, java.util.function.Consumer<XmlWriter> result) {
        XmlWriter w = XmlWriter.document(action + "Response", NS);
        if (result != null) {
            w.start(action + "Result");
            result.accept(w);
            w.end();
        }
        w.start("ResponseMetadata").element("RequestId", requestId).end();
        return w.toBytes();
    }

    public static byte[] error(IamException e, String requestId) {
        return XmlWriter.document("ErrorResponse", NS)
                .start("Error").element("Type", e.type()).element("Code", e.code().code())
                .element("Message", e.getMessage()).end()
                .element("RequestId", requestId).toBytes();
    }

    public static void user(XmlWriter w, String element, IamUser u) {
        w.start(element).element("Path", u.path()).element("UserName", u.name()).element("UserId", u.id())
                .element("Arn", u.arn()).element("CreateDate", date(u.createdMillis())).end();
    }

    public static void users(XmlWriter w, List<IamUser> users) {
        w.start("Users");
        for (IamUser u : users) {
            user(w, "member", u);
        }
        w.end().element("IsTruncated", false);
    }

    public static void accessKey(XmlWriter w, IamAccessKey k) {
        w.start("AccessKey").element("UserName", k.userName()).element("AccessKeyId", k.id())
                .element("Status", status(k)).element("SecretAccessKey", k.secret())
                .element("CreateDate", date(k.createdMillis())).end();
    }

    public static void accessKeys(XmlWriter w, String userName, List<IamAccessKey> keys) {
        w.element("UserName", userName).start("AccessKeyMetadata");
        for (IamAccessKey k : keys) {
            w.start("member").element("UserName", k.userName()).element("AccessKeyId", k.id())
                    .element("Status", status(k)).element("CreateDate", date(k.createdMillis())).end();
        }
        w.end().element("IsTruncated", false);
    }

    public static void names(XmlWriter w, String element, List<String> names) {
        w.start(element);
        for (String n : names) {
            w.element("member", n);
        }
        w.end().element("IsTruncated", false);
    }

    public static void userPolicy(XmlWriter w, String userName, String policyName, String document) {
        w.element("UserName", userName).element("PolicyName", policyName)
                .element("PolicyDocument", encode(document));
    }

    public static void policy(XmlWriter w, String element, ManagedPolicy p) {
        w.start(element).element("PolicyName", p.name()).element("DefaultVersionId", ManagedPolicy.VERSION_ID)
                .element("PolicyId", p.id()).element("Path", p.path()).element("Arn", p.arn())
                .element("AttachmentCount", p.attachments()).element("PermissionsBoundaryUsageCount", 0)
                .element("IsAttachable", true).element("Description", p.description())
                .element("CreateDate", date(p.createdMillis())).element("UpdateDate", date(p.createdMillis())).end();
    }

    public static void policies(XmlWriter w, List<ManagedPolicy> policies) {
        w.start("Policies");
        for (ManagedPolicy p : policies) {
            policy(w, "member", p);
        }
        w.end().element("IsTruncated", false);
    }

    public static void policyVersion(XmlWriter w, ManagedPolicy p) {
        w.start("PolicyVersion").element("Document", encode(p.document())).element("VersionId", ManagedPolicy.VERSION_ID)
                .element("IsDefaultVersion", true).element("CreateDate", date(p.createdMillis())).end();
    }

    public static void attached(XmlWriter w, List<ManagedPolicy> policies) {
        w.start("AttachedPolicies");
        for (ManagedPolicy p : policies) {
            w.start("member").element("PolicyName", p.name()).element("PolicyArn", p.arn()).end();
        }
        w.end().element("IsTruncated", false);
    }

    private static String status(IamAccessKey k) {
        return k.active() ? "Active" : "Inactive";
    }

    static String date(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** RFC 3986 percent-encoding, as IAM returns policy documents. */
    static String encode(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~")
                .replace("*", "%2A");
    }
}
