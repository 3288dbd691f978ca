package dev.cairn.s3.lifecycle;

/**
 * Lifecycle time. AWS adds a rule's days to the time an object was created (a version became
 * noncurrent, an upload was initiated) and rounds the result up to the next midnight UTC: an object
 * created 15 January 10:30 UTC under Days=3 expires 19 January 00:00 UTC. Cairn does the same on a
 * clock whose day lasts {@code dayMillis} and whose "midnights" are the multiples of that length
 * since the Unix epoch: {@code due(t, n) = ceil((t + n * day) / day) * day}. With the default day of
 * 86,400 s they are exactly the midnights UTC; {@code --lifecycle-day-seconds N} shortens the day so
 * tests can watch rules fire (N = 2: an object created at 10.5 s under Days=1 is due at 14 s).
 * Expiration Dates are calendar dates and are never scaled.
 */
public record LifecycleDays(long dayMillis) {
    public static final long DAY_MILLIS = 86_400_000L;
    public static final LifecycleDays REAL = new LifecycleDays(DAY_MILLIS);

    public LifecycleDays {
        if (dayMillis < 1000 || dayMillis > DAY_MILLIS) {
            throw new IllegalArgumentException("a lifecycle day must last between 1 and 86400 seconds");
        }
    }

    public static LifecycleDays ofSeconds(long seconds) {
        return new LifecycleDays(seconds * 1000);
    }

    /** When something that started at {@code startMillis} is {@code days} lifecycle days old, rounded up to midnight. */
    public long due(long startMillis, int days) {
        long end = startMillis + days * dayMillis;
        return Math.floorDiv(end + dayMillis - 1, dayMillis) * dayMillis;
    }
}
