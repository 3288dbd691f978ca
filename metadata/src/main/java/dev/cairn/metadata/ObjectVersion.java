package dev.cairn.metadata;

/**
 * Which version of its key an object record is (S3 versioning).
 *
 * @param id           the version id; null for the "null" version (what every write of a bucket
 *                     that was never versioned, or is suspended, makes)
 * @param seq          the version's place among its key's versions: the newest has the highest;
 *                     given by the state machine when the version is written (previous newest + 1),
 *                     never by a clock, so commit order is version order
 * @param deleteMarker whether this version is a delete marker (no data; a GET of it is 404/405)
 */
public record ObjectVersion(String id, long seq, boolean deleteMarker) {
    /** The version id S3 shows for the null version. */
    public static final String NULL_ID = "null";

    /** A version before the state machine has placed it: {@code id} as the caller chose it. */
    public static ObjectVersion proposed(String id, boolean deleteMarker) {
        return new ObjectVersion(id, 0, deleteMarker);
    }

    /** The id as S3 shows it ({@code "null"} for the null version). */
    public String shownId() {
        return id == null ? NULL_ID : id;
    }

    ObjectVersion at(String newId, long newSeq) {
        return new ObjectVersion(newId, newSeq, deleteMarker);
    }
}
