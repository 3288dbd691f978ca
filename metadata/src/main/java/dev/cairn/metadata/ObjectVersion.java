package dev.cairn.metadata;

/**
 * Which version of its key an object record is (S3 versioning), and its object lock.
 *
 * @param id                the version id; null for the "null" version (what every write of a
 *                          bucket that was never versioned, or is suspended, makes)
 * @param seq               the version's place among its key's versions: the newest has the
 *                          highest; given by the state machine when the version is written
 *                          (previous newest + 1), never by a clock, so commit order is version order
 * @param deleteMarker      whether this version is a delete marker (no data; a GET of it is 404/405)
 * @param lockMode          the retention mode, {@code "GOVERNANCE"} or {@code "COMPLIANCE"}; null
 *                          when the version has no retention
 * @param retainUntilMillis until when the retention holds (epoch milliseconds; 0 without one)
 * @param legalHold         whether a legal hold is on (independent of retention)
 */
public record ObjectVersion(String id, long seq, boolean deleteMarker, String lockMode, long retainUntilMillis,
                            boolean legalHold) {
    /** The version id S3 shows for the null version. */
    public static final String NULL_ID = "null";
    public static final String GOVERNANCE = "GOVERNANCE";
    public static final String COMPLIANCE = "COMPLIANCE";

    public ObjectVersion(String id, long seq, boolean deleteMarker) {
        this(id, seq, deleteMarker, null, 0, false);
    }

    /** A version before the state machine has placed it: {@code id} as the caller chose it. */
    public static ObjectVersion proposed(String id, boolean deleteMarker) {
        return new ObjectVersion(id, 0, deleteMarker);
    }

    /** The id as S3 shows it ({@code "null"} for the null version). */
    public String shownId() {
        return id == null ? NULL_ID : id;
    }

    /** This version with a retention (null mode: none) and a legal hold. */
    public ObjectVersion withLock(String mode, long retainUntil, boolean hold) {
        return new ObjectVersion(id, seq, deleteMarker, mode, mode == null ? 0 : retainUntil, hold);
    }

    /** Whether a retention is in force at {@code nowMillis}. */
    public boolean retainedAt(long nowMillis) {
        return lockMode != null && retainUntilMillis > nowMillis;
    }

    ObjectVersion at(String newId, long newSeq) {
        return new ObjectVersion(newId, newSeq, deleteMarker, lockMode, retainUntilMillis, legalHold);
    }
}
