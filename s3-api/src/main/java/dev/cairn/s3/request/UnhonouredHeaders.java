package dev.cairn.s3.request;

import java.util.List;
import java.util.function.Function;

/**
 * Request headers that ask for a protection Cairn does not give yet: server-side encryption
 * (SSE-S3, SSE-KMS, SSE-C), and object lock on a multipart upload or a browser form upload (lock
 * headers on PutObject and CopyObject, and x-amz-bucket-object-lock-enabled, are honoured).
 * Accepting them with a 200 would tell a backup tool
 * or an application that its data is encrypted or locked when it is not, so a request carrying
 * one is refused with 501 NotImplemented naming the header, before anything is stored (after the
 * operation's own permission check, as for any refused parameter). Browser
 * form uploads carry the same names as form fields and are checked the same way.
 */
public final class UnhonouredHeaders {

    private static final List<String> ENCRYPTION = List.of(
            "x-amz-server-side-encryption",
            "x-amz-server-side-encryption-aws-kms-key-id",
            "x-amz-server-side-encryption-context",
            "x-amz-server-side-encryption-bucket-key-enabled",
            "x-amz-server-side-encryption-customer-algorithm",
            "x-amz-server-side-encryption-customer-key",
            "x-amz-server-side-encryption-customer-key-md5",
            "x-amz-copy-source-server-side-encryption-customer-algorithm",
            "x-amz-copy-source-server-side-encryption-customer-key",
            "x-amz-copy-source-server-side-encryption-customer-key-md5");

    private static final List<String> OBJECT_LOCK = List.of(
            "x-amz-object-lock-mode",
            "x-amz-object-lock-retain-until-date",
            "x-amz-object-lock-legal-hold");

    private UnhonouredHeaders() {
    }

    /** What the request asks for that Cairn cannot honour, as a phrase naming the header; null when nothing. */
    public static String find(S3Operation op, Function<String, String> header) {
        for (String name : ENCRYPTION) {
            if (header.apply(name) != null) {
                return "Server-side encryption (" + name + ")";
            }
        }
        if (op == S3Operation.CREATE_MULTIPART_UPLOAD || op == S3Operation.POST_OBJECT) {
            for (String name : OBJECT_LOCK) {
                if (header.apply(name) != null) {
                    return "Object lock on a multipart or form upload (" + name + ")";
                }
            }
        }
        return null;
    }
}
