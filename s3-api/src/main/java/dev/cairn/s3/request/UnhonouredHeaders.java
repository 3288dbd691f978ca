package dev.cairn.s3.request;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Request headers that ask for a protection Cairn does not give: object lock on a browser form
 * upload (lock headers on PutObject, CopyObject and CreateMultipartUpload, and
 * x-amz-bucket-object-lock-enabled, are honoured), and server-side encryption headers on an
 * operation that does not take them (the operations that do take them honour them: SSE-S3,
 * SSE-KMS and SSE-C on writes, SSE-C keys on reads and copies). Accepting them with a 200 would
 * tell a backup tool or an application that its data is encrypted or locked when it is not, so a
 * request carrying one is refused with 501 NotImplemented naming the header, before anything is
 * stored (after the operation's own permission check, as for any refused parameter). Browser form
 * uploads carry the same names as form fields and are checked the same way.
 */
public final class UnhonouredHeaders {

    /** Writes that create an object or upload: they take the encryption an object is stored with. */
    private static final Set<S3Operation> SEALING_WRITES = EnumSet.of(S3Operation.PUT_OBJECT,
            S3Operation.POST_OBJECT, S3Operation.COPY_OBJECT, S3Operation.CREATE_MULTIPART_UPLOAD);
    /** Operations that take an SSE-C key for the object they write or read. */
    private static final Set<S3Operation> CUSTOMER_KEY = EnumSet.of(S3Operation.PUT_OBJECT, S3Operation.POST_OBJECT,
            S3Operation.GET_OBJECT, S3Operation.HEAD_OBJECT, S3Operation.GET_OBJECT_ATTRIBUTES,
            S3Operation.COPY_OBJECT,
            S3Operation.CREATE_MULTIPART_UPLOAD, S3Operation.UPLOAD_PART, S3Operation.UPLOAD_PART_COPY,
            S3Operation.COMPLETE_MULTIPART_UPLOAD);
    /** Operations that take an SSE-C key for their copy source. */
    private static final Set<S3Operation> SOURCE_KEY = EnumSet.of(S3Operation.COPY_OBJECT,
            S3Operation.UPLOAD_PART_COPY);

    private static final Map<String, Set<S3Operation>> ENCRYPTION = Map.of(
            "x-amz-server-side-encryption", SEALING_WRITES,
            "x-amz-server-side-encryption-aws-kms-key-id", SEALING_WRITES,
            "x-amz-server-side-encryption-context", SEALING_WRITES,
            "x-amz-server-side-encryption-bucket-key-enabled", SEALING_WRITES,
            "x-amz-server-side-encryption-customer-algorithm", CUSTOMER_KEY,
            "x-amz-server-side-encryption-customer-key", CUSTOMER_KEY,
            "x-amz-server-side-encryption-customer-key-md5", CUSTOMER_KEY,
            "x-amz-copy-source-server-side-encryption-customer-algorithm", SOURCE_KEY,
            "x-amz-copy-source-server-side-encryption-customer-key", SOURCE_KEY,
            "x-amz-copy-source-server-side-encryption-customer-key-md5", SOURCE_KEY);

    private static final List<String> OBJECT_LOCK = List.of(
            "x-amz-object-lock-mode",
            "x-amz-object-lock-retain-until-date",
            "x-amz-object-lock-legal-hold");

    private UnhonouredHeaders() {
    }

    /** What the request asks for that Cairn cannot honour, as a phrase naming the header; null when nothing. */
    public static String find(S3Operation op, Function<String, String> header) {
        for (Map.Entry<String, Set<S3Operation>> e : new TreeMap<>(ENCRYPTION).entrySet()) {
            if (!e.getValue().contains(op) && header.apply(e.getKey()) != null) {
                return "Server-side encryption (" + e.getKey() + ") on " + op.awsName();
            }
        }
        if (op == S3Operation.POST_OBJECT) {
            for (String name : OBJECT_LOCK) {
                if (header.apply(name) != null) {
                    return "Object lock on a form upload (" + name + ")";
                }
            }
        }
        return null;
    }
}
