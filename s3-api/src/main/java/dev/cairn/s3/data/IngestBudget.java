package dev.cairn.s3.data;

import io.vertx.core.Context;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes every upload in this process may hold in chunk buffers together: a quarter of the
 * heap (at least 32 MiB). An upload reserves its buffer as it grows and gives it back once the
 * chunk is written; while the budget is spent, uploads stop reading their bodies (each may
 * overshoot by the growth step it was taking), so stalled or slow uploads can never take the
 * heap: they wait, and time out if their client stalls. Thread-safe; waiters are resumed on their
 * own context.
 */
public final class IngestBudget {
    private static final IngestBudget SHARED = new IngestBudget(Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4));

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();
    private final Queue<Waiter> waiters = new ArrayDeque<>(); // guarded by itself

    private record Waiter(Context context, Runnable retry) {
    }

    IngestBudget(long limit) {
        this.limit = limit;
    }

    /** The budget of this process. */
    public static IngestBudget shared() {
        return SHARED;
    }

    public long limit() {
        return limit;
    }

    /** Bytes held in upload buffers now. */
    public long reserved() {
        return reserved.get();
    }

    /**
     * Takes {@code bytes} (always: an upload finishes copying the network buffer it holds, then
     * stops reading while the budget is {@link #over()}).
     */
    void reserve(long bytes) {
        reserved.addAndGet(bytes);
    }

    /** Whether more is held than the limit allows: uploads stop reading until some is released. */
    boolean over() {
        return reserved.get() > limit;
    }

    /** Gives bytes back and lets every waiter try again. */
    void release(long bytes) {
        if (bytes <= 0) {
            return;
        }
        reserved.addAndGet(-bytes);
        wakeAll();
    }

    /** Runs {@code retry} on {@code context} after the next release (or at once when no longer over). */
    void await(Context context, Runnable retry) {
        synchronized (waiters) {
            waiters.add(new Waiter(context, retry));
        }
        if (!over()) {
            wakeAll(); // released between the check and the registration
        }
    }

    private void wakeAll() {
        Waiter[] all;
        synchronized (waiters) {
            all = waiters.toArray(Waiter[]::new);
            waiters.clear();
        }
        for (Waiter w : all) {
            w.context().runOnContext(v -> w.retry().run());
        }
    }
}
