package dev.cairn.s3.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * One rule of a bucket's lifecycle configuration, validated ({@link dev.cairn.s3.xml.LifecycleDocuments}).
 * Every number of days is a positive count of lifecycle days ({@link LifecycleDays}).
 *
 * @param id                       the rule's ID (given, or generated when the rule was put)
 * @param enabled                  Status Enabled; a Disabled rule is kept and never runs
 * @param filter                   the objects it applies to
 * @param legacyPrefix             whether the rule gave a rule-level Prefix instead of a Filter
 *                                 (it is written back the same way)
 * @param expirationDays           Expiration/Days: current versions expire that many days after
 *                                 their creation; null when not given
 * @param expirationDateMillis     Expiration/Date (midnight UTC, epoch millis): current versions
 *                                 expire from then on; null when not given
 * @param expiredObjectDeleteMarker Expiration/ExpiredObjectDeleteMarker: a delete marker that is
 *                                 its key's only version is removed
 * @param noncurrentDays           NoncurrentVersionExpiration/NoncurrentDays: a version expires
 *                                 that many days after it became noncurrent; null when not given
 * @param newerNoncurrentVersions  NoncurrentVersionExpiration/NewerNoncurrentVersions: that many
 *                                 newest noncurrent versions are kept whatever their age; null: none
 * @param abortDays                AbortIncompleteMultipartUpload/DaysAfterInitiation; null when not given
 * @param transitions              the Transition actions (current versions), in document order
 * @param noncurrentTransitions    the NoncurrentVersionTransition actions, in document order
 */
public record LifecycleRule(String id, boolean enabled, LifecycleFilter filter, boolean legacyPrefix,
                            Integer expirationDays, Long expirationDateMillis, boolean expiredObjectDeleteMarker,
                            Integer noncurrentDays, Integer newerNoncurrentVersions, Integer abortDays,
                            List<LifecycleTransition> transitions, List<LifecycleTransition> noncurrentTransitions) {
    public LifecycleRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(filter, "filter");
        transitions = List.copyOf(transitions);
        noncurrentTransitions = List.copyOf(noncurrentTransitions);
    }

    /** A rule without transitions. */
    public LifecycleRule(String id, boolean enabled, LifecycleFilter filter, boolean legacyPrefix,
                         Integer expirationDays, Long expirationDateMillis, boolean expiredObjectDeleteMarker,
                         Integer noncurrentDays, Integer newerNoncurrentVersions, Integer abortDays) {
        this(id, enabled, filter, legacyPrefix, expirationDays, expirationDateMillis, expiredObjectDeleteMarker,
                noncurrentDays, newerNoncurrentVersions, abortDays, List.of(), List.of());
    }

    /** Whether the rule expires current versions (by Days or Date). */
    public boolean expiresCurrent() {
        return expirationDays != null || expirationDateMillis != null;
    }

    /** Whether the rule has any action on a key's versions (as opposed to uploads only). */
    public boolean actsOnVersions() {
        return expiresCurrent() || expiredObjectDeleteMarker || noncurrentDays != null || !transitions.isEmpty()
                || !noncurrentTransitions.isEmpty();
    }
}
