package dev.cairn.s3.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.cairn.metadata.MetaCommand.Expire;
import dev.cairn.metadata.ObjectRecord;

/**
 * What a bucket's lifecycle rules do to one key, as a pure function of the rules, the key's
 * versions (newest first, as the version listing gives them) and the time. AWS's rules:
 * <ul>
 *   <li>Expiration (Days or Date) applies to the current version only: one that is not a delete
 *       marker expires (the worker's command removes it, or covers it with a delete marker in a
 *       versioned bucket); a delete marker that is its key's only version (an "expired object
 *       delete marker") is removed once it is itself old enough for the rule;
 *   <li>ExpiredObjectDeleteMarker removes such a delete marker at once;
 *   <li>NoncurrentVersionExpiration: a noncurrent version expires NoncurrentDays after it became
 *       noncurrent - when the next newer version was created - except the NewerNoncurrentVersions
 *       newest noncurrent versions, which are kept whatever their age.
 * </ul>
 * Tag and size predicates need an object: delete markers match only rules without them. The first
 * matching rule (in configuration order) that is due decides a version. Object lock is not
 * considered here: the worker skips locked versions and the metadata refuses to remove them.
 *
 * <p>Transitions ({@link #transitions}): a Transition moves the current version, a
 * NoncurrentVersionTransition a noncurrent one (NoncurrentDays after it became noncurrent, the
 * NewerNoncurrentVersions newest ones staying), only ever down AWS's waterfall
 * ({@link LifecycleTransition#movesDown}); of several due, the one furthest down wins. An object
 * smaller than 128 KiB is not transitioned unless the rule's filter names a size (AWS's default
 * since September 2024). Delete markers have no data and never move; locked versions do (no data
 * is dropped).
 */
public final class LifecycleEvaluator {

    /** One expiration: the version, where it stands, and the rule that expires it. */
    public record Action(Expire.Target target, ObjectRecord version, String ruleId) {
    }

    /** When a current object expires under the rules, and which rule says so (x-amz-expiration). */
    public record Expiry(long dueMillis, String ruleId) {
    }

    /** One transition: the version, where it stands (CURRENT or NONCURRENT), the class it moves to, the rule. */
    public record Move(Expire.Target target, ObjectRecord version, String storageClass, String ruleId) {
    }

    private LifecycleEvaluator() {
    }

    /** The transitions due at {@code nowMillis} among {@code versions} of {@code key} (newest first). */
    public static List<Move> transitions(List<LifecycleRule> rules, String key, List<ObjectRecord> versions,
                                         long nowMillis, LifecycleDays days) {
        List<Move> out = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            ObjectRecord v = versions.get(i);
            if (v.isDeleteMarker()) {
                continue;
            }
            long since = i == 0 ? v.modifiedMillis() : versions.get(i - 1).modifiedMillis();
            Move best = null;
            for (LifecycleRule r : rules) {
                if (!r.filter().matches(key, v.size(), v.tags()) || !bigEnough(r.filter(), v)) {
                    continue;
                }
                for (LifecycleTransition t : i == 0 ? r.transitions() : r.noncurrentTransitions()) {
                    boolean kept = i > 0 && t.newerNoncurrentVersions() != null && i <= t.newerNoncurrentVersions();
                    long due = t.days() != null ? days.due(since, t.days()) : t.dateMillis();
                    if (!kept && nowMillis >= due && LifecycleTransition.movesDown(v.storageClass(), t.storageClass())
                            && (best == null || LifecycleTransition.rank(t.storageClass())
                            > LifecycleTransition.rank(best.storageClass()))) {
                        best = new Move(i == 0 ? Expire.Target.CURRENT : Expire.Target.NONCURRENT, v,
                                t.storageClass(), r.id());
                    }
                }
            }
            if (best != null) {
                out.add(best);
            }
        }
        return out;
    }

    /** AWS does not transition objects under 128 KiB unless the rule's filter sets a size bound itself. */
    private static boolean bigEnough(LifecycleFilter f, ObjectRecord v) {
        return f.sizeGreaterThan() != null || f.sizeLessThan() != null
                || v.size() >= LifecycleTransition.DEFAULT_MINIMUM_SIZE;
    }

    /** The expirations due at {@code nowMillis} among {@code versions} of {@code key} (newest first). */
    public static List<Action> evaluate(List<LifecycleRule> rules, String key, List<ObjectRecord> versions,
                                        long nowMillis, LifecycleDays days) {
        List<Action> out = new ArrayList<>();
        if (versions.isEmpty()) {
            return out;
        }
        ObjectRecord newest = versions.get(0);
        if (!newest.isDeleteMarker()) {
            expiry(rules, key, newest, days).filter(e -> nowMillis >= e.dueMillis())
                    .ifPresent(e -> out.add(new Action(Expire.Target.CURRENT, newest, e.ruleId())));
        } else if (versions.size() == 1) {
            for (LifecycleRule r : rules) {
                if (!r.filter().matchesKey(key) || r.filter().testsTagsOrSize()) {
                    continue;
                }
                if (r.expiredObjectDeleteMarker()
                        || r.expiresCurrent() && nowMillis >= currentDue(r, newest.modifiedMillis(), days)) {
                    out.add(new Action(Expire.Target.LONE_DELETE_MARKER, newest, r.id()));
                    break;
                }
            }
        }
        for (int i = 1; i < versions.size(); i++) {
            ObjectRecord v = versions.get(i);
            long noncurrentSince = versions.get(i - 1).modifiedMillis();
            for (LifecycleRule r : rules) {
                if (r.noncurrentDays() == null || !matches(r.filter(), key, v)) {
                    continue;
                }
                boolean kept = r.newerNoncurrentVersions() != null && i <= r.newerNoncurrentVersions();
                if (!kept && nowMillis >= days.due(noncurrentSince, r.noncurrentDays())) {
                    out.add(new Action(Expire.Target.NONCURRENT, v, r.id()));
                    break;
                }
            }
        }
        return out;
    }

    /** The earliest expiration of the current object {@code o} of {@code key} among the rules; empty when none applies. */
    public static Optional<Expiry> expiry(List<LifecycleRule> rules, String key, ObjectRecord o, LifecycleDays days) {
        Expiry best = null;
        for (LifecycleRule r : rules) {
            if (r.enabled() && r.expiresCurrent() && r.filter().matches(key, o.size(), o.tags())) {
                long due = currentDue(r, o.modifiedMillis(), days);
                if (best == null || due < best.dueMillis()) {
                    best = new Expiry(due, r.id());
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static long currentDue(LifecycleRule r, long createdMillis, LifecycleDays days) {
        return r.expirationDays() != null ? days.due(createdMillis, r.expirationDays()) : r.expirationDateMillis();
    }

    private static boolean matches(LifecycleFilter f, String key, ObjectRecord v) {
        return v.isDeleteMarker() ? f.matchesKey(key) && !f.testsTagsOrSize() : f.matches(key, v.size(), v.tags());
    }
}
