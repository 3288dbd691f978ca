package dev.cairn.placement.mover;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The movers' throttles, changeable at run time: a token bucket on bytes per second (shared by
 * every mover and the scrubber) and a limit on moves in flight per node (a move counts on every
 * node it reads from or writes to). Blocking: call from mover threads only.
 */
public final class MoverThrottle {
    /** At most one second of burst. */
    private static final long BURST_NANOS = TimeUnit.SECONDS.toNanos(1);

    private volatile long bytesPerSecond;
    private volatile int movesPerNode;
    private long nextFreeNanos = System.nanoTime();
    private final Map<String, Integer> inFlight = new HashMap<>();

    public MoverThrottle(long bytesPerSecond, int movesPerNode) {
        set(bytesPerSecond, movesPerNode);
    }

    /** Changes both limits (a value of 0 or less keeps the current one). */
    public synchronized void set(long bytesPerSecond, int movesPerNode) {
        if (bytesPerSecond > 0) {
            this.bytesPerSecond = bytesPerSecond;
        }
        if (movesPerNode > 0) {
            this.movesPerNode = movesPerNode;
        }
        notifyAll();
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    public int movesPerNode() {
        return movesPerNode;
    }

    /** Waits until {@code bytes} may be moved under the byte rate. */
    public void takeBytes(long bytes) throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(nextFreeNanos, now - BURST_NANOS);
            nextFreeNanos = start + (long) (bytes * 1e9 / bytesPerSecond);
            wait = nextFreeNanos - now - BURST_NANOS;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Takes a slot on every node at once, waiting while any of them is at its limit. */
    public synchronized void acquire(Collection<String> nodes) throws InterruptedException {
        TreeSet<String> set = new TreeSet<>(nodes);
        while (!set.stream().allMatch(n -> inFlight.getOrDefault(n, 0) < movesPerNode)) {
            wait(1000);
        }
        set.forEach(n -> inFlight.merge(n, 1, Integer::sum));
    }

    public synchronized void release(Collection<String> nodes) {
        new TreeSet<>(nodes).forEach(n -> inFlight.computeIfPresent(n, (k, v) -> v <= 1 ? null : v - 1));
        notifyAll();
    }
}
