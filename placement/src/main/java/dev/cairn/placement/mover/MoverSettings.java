package dev.cairn.placement.mover;

import java.time.Duration;

/**
 * How the movers run: the grace before a DOWN node's pieces are rebuilt (counted from when it
 * was declared DOWN), the delay before a moved
 * piece's old copy is deleted, the pause between passes (a cluster-map change starts one at
 * once), the scrub interval (one full pass per interval; at most 30 days), the starting throttles,
 * how many moves run at once, and whether the movers start paused (no planning, no new moves).
 */
public record MoverSettings(Duration repairGrace, Duration deleteDelay, Duration passInterval,
                            Duration scrubInterval, long bytesPerSecond, int movesPerNode, int parallelism,
                            boolean paused) {
    public static final Duration MAX_SCRUB_INTERVAL = Duration.ofDays(30);

    public MoverSettings {
        if (scrubInterval.isNegative() || scrubInterval.isZero() || scrubInterval.compareTo(MAX_SCRUB_INTERVAL) > 0) {
            throw new IllegalArgumentException("scrub interval must be more than 0 and at most 30 days, got "
                    + scrubInterval);
        }
        if (bytesPerSecond <= 0 || movesPerNode <= 0 || parallelism <= 0) {
            throw new IllegalArgumentException("mover throttles must be positive");
        }
        if (repairGrace.isNegative() || deleteDelay.isNegative() || passInterval.isNegative()) {
            throw new IllegalArgumentException("mover durations must not be negative");
        }
    }

    /** 10 min grace, 5 s delete delay, a pass every 30 s, scrub every 7 days, 64 MiB/s, 2 moves per node, running. */
    public static MoverSettings defaults() {
        return new MoverSettings(Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofDays(7), 64L << 20, 2, 4, false);
    }
}
