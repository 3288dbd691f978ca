package dev.cairn.s3.handler;

import java.util.List;
import java.util.Map;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.ObjectVersion;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketName;
import dev.cairn.s3.request.ObjectKey;
import dev.cairn.s3.request.Permission;
import dev.cairn.s3.request.VersionId;
import dev.cairn.s3.xml.ObjectLockDocuments;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

/**
 * Object lock as writes and reads see it: the lock a new version gets (the
 * {@code x-amz-object-lock-*} headers, else the bucket's default retention), the integrity header
 * AWS requires with it, the response headers of a locked version, and the governance bypass.
 */
final class ObjectLocks {
    /** The bucket config kind of a lock-enabled bucket's ObjectLockConfiguration (default retention). */
    static final String CONFIG_KIND = "object-lock";
    static final String MODE = "x-amz-object-lock-mode";
    static final String RETAIN_UNTIL = "x-amz-object-lock-retain-until-date";
    static final String LEGAL_HOLD = "x-amz-object-lock-legal-hold";
    static final String BYPASS = "x-amz-bypass-governance-retention";

    private ObjectLocks() {
    }

    /**
     * The version (id proposed now, with its lock) a write to {@code bucket} makes at {@code now}
     * (blocking: reads the bucket and its lock configuration). With {@code integrityRequired}, a
     * write that gets a lock must carry Content-MD5 or an x-amz-checksum header, as AWS requires.
     */
    static ObjectVersion versionFor(S3Services s, MultiMap headers, String bucket, long now,
                                    boolean integrityRequired) {
        ObjectVersion plain = ObjectVersion.proposed(VersionId.fresh(now), false);
        String mode = headers.get(MODE);
        String until = headers.get(RETAIN_UNTIL);
        String hold = headers.get(LEGAL_HOLD);
        BucketRecord b = s.metadata().getBucket(bucket).orElseThrow(() ->
                new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", bucket));
        if (!b.objectLock()) {
            if (mode != null || until != null || hold != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Bucket is missing Object Lock Configuration");
            }
            return plain;
        }
        if ((mode == null) != (until == null)) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "x-amz-object-lock-retain-until-date and "
                    + "x-amz-object-lock-mode must both be supplied").with("ArgumentName", mode == null ? MODE : RETAIN_UNTIL);
        }
        String m;
        long u;
        if (mode != null) {
            m = ObjectLockDocuments.mode(mode);
            if (m == null) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown wormMode directive.")
                        .with("ArgumentName", MODE).with("ArgumentValue", mode);
            }
            u = ObjectLockDocuments.date(until, RETAIN_UNTIL);
            if (u <= now) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The retain until date must be in the future!")
                        .with("ArgumentName", RETAIN_UNTIL).with("ArgumentValue", until);
            }
        } else {
            ObjectLockDocuments.DefaultRetention d = defaults(s, bucket);
            m = d == null ? null : d.mode();
            u = d == null ? 0 : d.retainUntil(now);
        }
        boolean h = hold != null && ObjectLockDocuments.onOff(hold, false);
        if (integrityRequired && (m != null || h) && !hasIntegrityHeader(headers)) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Content-MD5 OR x-amz-checksum- HTTP header is "
                    + "required for Put Object requests with Object Lock parameters");
        }
        return plain.withLock(m, u, h);
    }

    /** The default retention of a lock-enabled bucket (blocking), or null. */
    static ObjectLockDocuments.DefaultRetention defaults(S3Services s, String bucket) {
        return s.metadata().getBucketConfig(bucket, CONFIG_KIND)
                .map(ObjectLockDocuments::parseConfiguration).orElse(null);
    }

    /** Content-MD5, an x-amz-checksum-* value, or one announced as a trailer. */
    static boolean hasIntegrityHeader(MultiMap headers) {
        if (headers.get("Content-MD5") != null) {
            return true;
        }
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().toLowerCase(java.util.Locale.ROOT);
            if (name.startsWith("x-amz-checksum-") && !name.equals("x-amz-checksum-mode")
                    && !name.equals("x-amz-checksum-type")) {
                return true;
            }
        }
        String trailer = headers.get("x-amz-trailer");
        return trailer != null && trailer.toLowerCase(java.util.Locale.ROOT).contains("x-amz-checksum-");
    }

    /** The object-lock headers of a GET or HEAD of a version that has a retention or a legal hold. */
    static void writeHeaders(HttpServerResponse r, ObjectRecord o) {
        ObjectVersion v = o.version();
        if (v == null) {
            return;
        }
        if (v.lockMode() != null) {
            r.putHeader(MODE, v.lockMode());
            r.putHeader(RETAIN_UNTIL, dev.cairn.s3.xml.BucketDocuments.timestamp(v.retainUntilMillis()));
        }
        if (v.legalHold()) {
            r.putHeader(LEGAL_HOLD, "ON");
        }
    }

    /**
     * Whether the request bypasses governance retention: it says so with
     * {@code x-amz-bypass-governance-retention: true} and may (s3:BypassGovernanceRetention, else
     * AccessDenied).
     */
    static Future<Boolean> bypass(S3Services s, S3Exchange ex, BucketName bucket, ObjectKey key) {
        String asked = ex.header(BYPASS);
        if (asked == null || !asked.trim().equalsIgnoreCase("true")) {
            return Future.succeededFuture(false);
        }
        return s.authorizer().authorize(ex, List.of(new Permission("s3:BypassGovernanceRetention", bucket, key)))
                .map(true);
    }
}
