package dev.cairn.s3.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * One Transition (of current versions) or NoncurrentVersionTransition action of a rule: move the
 * versions it matches to {@code storageClass}, i.e. re-protect their chunks under that class's
 * protection ({@code --storage-classes}).
 *
 * @param days                    Transition/Days after creation, or NoncurrentVersionTransition/
 *                                NoncurrentDays after the version became noncurrent (0 or more);
 *                                null when a Date is given
 * @param dateMillis              Transition/Date (midnight UTC, epoch millis), or null
 * @param storageClass            the target class
 * @param newerNoncurrentVersions NoncurrentVersionTransition/NewerNoncurrentVersions: that many
 *                                newest noncurrent versions stay where they are; null: none
 */
public record LifecycleTransition(Integer days, Long dateMillis, String storageClass, Integer newerNoncurrentVersions) {
    /**
     * AWS's transition waterfall: a version only ever moves down this list (STANDARD and
     * REDUCED_REDUNDANCY share the top), never up, and never into STANDARD or REDUCED_REDUNDANCY.
     */
    static final List<String> WATERFALL = List.of("STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA",
            "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE");
    /** The classes a Transition or NoncurrentVersionTransition may name (AWS's TransitionStorageClass). */
    public static final List<String> TARGETS = WATERFALL.subList(1, WATERFALL.size());
    /** Classes AWS serves only after a RestoreObject, which Cairn does not implement. */
    public static final List<String> NEED_RESTORE = List.of("GLACIER", "DEEP_ARCHIVE");
    /** Classes a version must spend 30 days in STANDARD before (AWS: Days of at least 30). */
    public static final List<String> THIRTY_DAY_MINIMUM = List.of("STANDARD_IA", "ONEZONE_IA");
    /** Objects smaller than this are not transitioned unless the rule's filter names a size (AWS's default since 2024). */
    public static final long DEFAULT_MINIMUM_SIZE = 128 * 1024;

    public LifecycleTransition {
        Objects.requireNonNull(storageClass, "storageClass");
        if ((days == null) == (dateMillis == null)) {
            throw new IllegalArgumentException("a transition has Days or a Date");
        }
    }

    public static LifecycleTransition current(Integer days, Long dateMillis, String storageClass) {
        return new LifecycleTransition(days, dateMillis, storageClass, null);
    }

    public static LifecycleTransition noncurrent(int days, Integer newerNoncurrentVersions, String storageClass) {
        return new LifecycleTransition(days, null, storageClass, newerNoncurrentVersions);
    }

    /**
     * The place of {@code storageClass} in the waterfall (REDUCED_REDUNDANCY with STANDARD; null
     * storage class: STANDARD), or -1 for a class lifecycle never moves (OUTPOSTS, SNOW, ...).
     */
    public static int rank(String storageClass) {
        if (storageClass == null || "REDUCED_REDUNDANCY".equals(storageClass)) {
            return 0;
        }
        return WATERFALL.indexOf(storageClass);
    }

    /** Whether a version of class {@code from} may move to {@code to}: strictly down the waterfall. */
    public static boolean movesDown(String from, String to) {
        int f = rank(from);
        return f >= 0 && rank(to) > f;
    }
}
