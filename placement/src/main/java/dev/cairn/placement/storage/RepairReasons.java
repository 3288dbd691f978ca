package dev.cairn.placement.storage;

import java.util.Set;

/**
 * The reasons a repair row carries, and which of them are proof. A read that fails on the data
 * path leaves a <em>hint</em> ({@link #READ_CORRUPT}, {@link #READ_MISSING}, {@link #UNREADABLE}):
 * the node may have been restarting, overloaded or cut off for a moment, so the movers verify the
 * piece where it is before they count it lost. A piece the node itself verified bad
 * ({@link #CORRUPT}, {@link #MISSING}: the scrubber, or the movers' verification of a hint) and a
 * piece a write could not store ({@link #WRITE_FAILED}) are <em>proven</em>: rebuilt without
 * waiting for the repair grace.
 */
public final class RepairReasons {
    /** The node verified the piece and a block fails its checksum. */
    public static final String CORRUPT = "corrupt";
    /** The node verified that it does not have the piece. */
    public static final String MISSING = "missing";
    /** A write met its quorum without this piece: the record has no location for it. */
    public static final String WRITE_FAILED = "write-failed";
    /** A read got a checksum failure or a short read: verify before rebuilding. */
    public static final String READ_CORRUPT = "read-corrupt";
    /** A read was told the piece does not exist: verify before rebuilding. */
    public static final String READ_MISSING = "read-missing";
    /** A read could not reach the node or got an error: verify once the node answers. */
    public static final String UNREADABLE = "unreadable";

    private static final Set<String> HINTS = Set.of(READ_CORRUPT, READ_MISSING, UNREADABLE);

    private RepairReasons() {
    }

    /** Whether a row with this reason is only a hint to verify (not proof that the piece is lost). */
    public static boolean isHint(String reason) {
        return HINTS.contains(reason);
    }
}
