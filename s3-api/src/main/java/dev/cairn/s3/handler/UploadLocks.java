package dev.cairn.s3.handler;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.cairn.metadata.ObjectVersion;
import dev.cairn.s3.request.VersionId;
import io.vertx.core.MultiMap;

/**
 * Object lock asked for when a multipart upload starts ({@code x-amz-object-lock-mode},
 * {@code -retain-until-date}, {@code -legal-hold} on CreateMultipartUpload): checked then, as AWS
 * checks it (a lock-enabled bucket, mode and date together, a date in the future), kept in the
 * upload's stored headers under names no client header can have, and given to the object the
 * completion makes. An upload that asked for no lock gets the bucket's default retention at
 * completion, as a PutObject would.
 */
final class UploadLocks {
    static final String MODE = "cairn-lock-mode";
    static final String UNTIL = "cairn-lock-until";
    static final String HOLD = "cairn-lock-hold";

    private UploadLocks() {
    }

    /** {@code headers} plus the lock the request asks for (blocking: reads the bucket); unchanged when it asks none. */
    static Map<String, String> withLock(S3Services s, MultiMap request, String bucket, Map<String, String> headers,
                                        long now) {
        if (request.get(ObjectLocks.MODE) == null && request.get(ObjectLocks.RETAIN_UNTIL) == null
                && request.get(ObjectLocks.LEGAL_HOLD) == null) {
            return headers;
        }
        ObjectVersion v = ObjectLocks.versionFor(s, request, bucket, now, false);
        Map<String, String> out = new LinkedHashMap<>(headers);
        if (v.lockMode() != null) {
            out.put(MODE, v.lockMode());
            out.put(UNTIL, Long.toString(v.retainUntilMillis()));
        }
        out.put(HOLD, Boolean.toString(v.legalHold()));
        return out;
    }

    /** The version (with its lock) the completion of an upload stored with {@code uploadHeaders} makes at {@code now}. */
    static ObjectVersion versionAt(S3Services s, Map<String, String> uploadHeaders, String bucket, long now) {
        if (!uploadHeaders.containsKey(HOLD)) {
            return ObjectLocks.versionFor(s, MultiMap.caseInsensitiveMultiMap(), bucket, now, false);
        }
        String mode = uploadHeaders.get(MODE);
        return ObjectVersion.proposed(VersionId.fresh(now), false).withLock(mode,
                mode == null ? 0 : Long.parseLong(uploadHeaders.get(UNTIL)), Boolean.parseBoolean(uploadHeaders.get(HOLD)));
    }

    /** The upload's stored headers without the lock: what the object keeps. */
    static Map<String, String> objectHeaders(Map<String, String> uploadHeaders) {
        if (!uploadHeaders.containsKey(HOLD)) {
            return uploadHeaders;
        }
        Map<String, String> out = new LinkedHashMap<>(uploadHeaders);
        out.remove(MODE);
        out.remove(UNTIL);
        out.remove(HOLD);
        return out;
    }
}
