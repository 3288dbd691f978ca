package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;

import java.util.List;

/**
 * What Cairn can honour of S3 ACLs: it has one account, so only ACLs that give the owner full
 * control and nobody else anything. The canned ACLs meaning exactly that ({@code private},
 * {@code bucket-owner-full-control}, {@code bucket-owner-read}) are accepted and change nothing;
 * every other canned ACL and every {@code x-amz-grant-*} header is refused with 501
 * NotImplemented, never silently ignored.
 */
final class AclRules {
    static final List<String> OWNER_ONLY = List.of("private", "bucket-owner-full-control", "bucket-owner-read");
    static final List<String> NOT_SUPPORTED = List.of("public-read", "public-read-write", "authenticated-read",
            "aws-exec-read", "log-delivery-write");
    static final List<String> GRANT_HEADERS = List.of("x-amz-grant-read", "x-amz-grant-write",
            "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control");

    private AclRules() {
    }

    /** Checks x-amz-acl and x-amz-grant-* of a request; true when it carries a (supported) canned ACL. */
    static boolean checkHeaders(S3Exchange ex) {
        for (String grant : GRANT_HEADERS) {
            if (ex.header(grant) != null) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                        "ACL grants (" + grant + ") are not supported by Cairn: only the owner has access")
                        .with("Header", grant);
            }
        }
        String acl = ex.header("x-amz-acl");
        if (acl == null) {
            return false;
        }
        String canned = acl.trim();
        if (NOT_SUPPORTED.contains(canned)) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "The canned ACL " + canned
                    + " is not supported by Cairn: only private ACLs are").with("Header", "x-amz-acl");
        }
        if (!OWNER_ONLY.contains(canned)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT).with("ArgumentName", "x-amz-acl")
                    .with("ArgumentValue", acl);
        }
        return true;
    }
}
