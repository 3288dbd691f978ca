package dev.cairn.s3.lifecycle;

/**
 * The lifecycle worker as the admin API shows it ({@code GET /admin/lifecycle}).
 *
 * @param state          idle (between passes), scanning, standby (not the metadata leader), stopped
 * @param currentBucket  the bucket a pass is reading, or null
 * @param passes         passes finished since the server started
 * @param lastPass       what the last finished pass did, or null before the first
 * @param totals         everything since the server started
 * @param lastError      the last failure, or null
 * @param lastDeferral   why the last transition that could not be carried out was deferred, or null
 */
public record LifecycleStatus(LifecycleWorker.State state, String currentBucket, long passes,
                              long lastPassStartedMillis, long lastPassFinishedMillis, LifecycleTally lastPass,
                              LifecycleTally totals, String lastError,
                              String lastDeferral) {
}
