package dev.cairn.s3.lifecycle;

import java.time.Duration;

/**
 * How the lifecycle worker runs.
 *
 * @param days             the length of a lifecycle day ({@code --lifecycle-day-seconds}, 86,400 s)
 * @param passInterval     time between the end of one pass and the start of the next: an eighth
 *                         of a day, between 250 ms and one hour (AWS evaluates rules once a day;
 *                         Cairn looks more often so an expiration is late by at most this much)
 * @param actionsPerSecond at most this many expirations and aborts per second
 *                         ({@code --lifecycle-actions-per-second}, 200), and none while the
 *                         server's worker pool has a backlog (client requests first)
 */
public record LifecycleSettings(LifecycleDays days, Duration passInterval, int actionsPerSecond) {
    public static final int DEFAULT_ACTIONS_PER_SECOND = 200;

    public LifecycleSettings {
        if (actionsPerSecond < 1) {
            throw new IllegalArgumentException("lifecycle actions per second must be at least 1");
        }
    }

    public static LifecycleSettings defaults() {
        return of(LifecycleDays.DAY_MILLIS / 1000, DEFAULT_ACTIONS_PER_SECOND);
    }

    public static LifecycleSettings of(long daySeconds, int actionsPerSecond) {
        LifecycleDays days = LifecycleDays.ofSeconds(daySeconds);
        long interval = Math.max(250, Math.min(Duration.ofHours(1).toMillis(), days.dayMillis() / 8));
        return new LifecycleSettings(days, Duration.ofMillis(interval), actionsPerSecond);
    }
}
