package dev.cairn.s3.handler;

import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetaResult;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.request.VersionId;
import io.vertx.core.http.HttpServerResponse;

/**
 * DeleteObject (and each key of DeleteObjects) as one metadata command: without a version id a
 * {@link MetaCommand.DeleteKey} (which puts a delete marker on top in a versioned bucket), with
 * one a {@link MetaCommand.DeleteVersion} (which removes that version for good).
 */
final class ObjectDeletes {

    /**
     * What a delete did, as the response shows it: whether a delete marker was made or removed,
     * and the version id concerned (null when none is shown).
     */
    record Outcome(boolean deleteMarker, String versionId) {
        void writeHeaders(HttpServerResponse r) {
            if (deleteMarker) {
                r.putHeader("x-amz-delete-marker", "true");
            }
            if (versionId != null) {
                r.putHeader("x-amz-version-id", versionId);
            }
        }
    }

    private ObjectDeletes() {
    }

    /** Blocking: call on the worker pool. */
    static Outcome delete(S3Services s, String bucket, String key, VersionId versionId, WriteCondition condition,
                          String requester, boolean bypassGovernance) {
        if (versionId == null) {
            long now = s.clock().millis();
            MetaResult.Replaced r = s.metadata().commitAndWait(new MetaCommand.DeleteKey(bucket, key, condition,
                    ObjectRecord.deleteMarker(now, requester, VersionId.fresh(now)), s.metadata().garbageDueMillis()));
            return r.written() == null ? new Outcome(false, null) : new Outcome(true, r.written().versionId());
        }
        if (condition != null && !condition.equals(WriteCondition.NONE)) {
            // DeleteVersion does not check preconditions yet: refuse rather than delete unconditionally
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "Conditions (If-Match, x-amz-if-match-size, "
                    + "x-amz-if-match-last-modified-time, or ETag/Size/LastModifiedTime in DeleteObjects) on the "
                    + "delete of a specific version are not supported yet");
        }
        MetaResult.Replaced r = s.metadata().commitAndWait(new MetaCommand.DeleteVersion(bucket, key,
                versionId.value(), s.metadata().garbageDueMillis(), s.clock().millis(), bypassGovernance));
        return new Outcome(r.previous().map(ObjectRecord::isDeleteMarker).orElse(false), versionId.value());
    }
}
