package dev.cairn.placement;

import java.time.Duration;

/**
 * Heartbeat timing: nodes beat every {@code heartbeatInterval}; a node that missed a beat window
 * (no beat for {@code suspectAfter}) is SUSPECT, and DOWN after {@code downAfter}.
 */
public record MembershipSettings(Duration heartbeatInterval, Duration suspectAfter, Duration downAfter) {
    public MembershipSettings {
        if (suspectAfter.compareTo(downAfter) > 0) {
            throw new IllegalArgumentException("suspect-after must not exceed down-after");
        }
    }

    /** 5 s beats, suspect after a missed window (7.5 s), down after 15 s. */
    public static MembershipSettings defaults() {
        return of(Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    public static MembershipSettings of(Duration interval, Duration downAfter) {
        Duration suspect = interval.plus(interval.dividedBy(2));
        return new MembershipSettings(interval, suspect.compareTo(downAfter) > 0 ? downAfter : suspect, downAfter);
    }
}
