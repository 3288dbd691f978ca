package dev.cairn.chunkstore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A warning that can repeat many times a second (a dead node failing every read, a stranger
 * posting requests): logged at most once per {@code every} per cause (a key the caller chooses,
 * such as a node and a reason), the next line saying how many were left out, and every occurrence
 * counted in {@code cairn_warnings_total{event}} when a registry is given. At most
 * {@link #MAX_KEYS} causes are tracked; beyond that the oldest windows are forgotten. Thread-safe.
 */
public final class RepeatedWarnings {
    static final int MAX_KEYS = 1024;

    private final Logger log;
    private final long everyNanos;
    private final Counter counter;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** A cause's current window: when it opened (with a logged line) and how many were left out since. */
    private static final class Window {
        final long startNanos;
        long suppressed; // changed only inside ConcurrentHashMap.compute for its key

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    /**
     * @param event    the metric's {@code event} label, e.g. "piece-read-failed"
     * @param registry where to count occurrences; null: not counted
     */
    public RepeatedWarnings(Logger log, String event, Duration every, MeterRegistry registry) {
        this.log = log;
        this.everyNanos = every.toNanos();
        this.counter = registry == null ? null : Counter.builder("cairn.warnings")
                .description("Warnings by event, logged or left out of the log as repeats")
                .baseUnit("warnings")
                .tag("event", event)
                .register(registry);
    }

    /** Logs {@code format} (SLF4J style) at WARN unless {@code key} was logged within the window. */
    public void warn(String key, String format, Object... args) {
        if (counter != null) {
            counter.increment();
        }
        long now = System.nanoTime();
        long[] leftOut = {-1};
        if (windows.size() >= MAX_KEYS && !windows.containsKey(key)) {
            windows.clear();
        }
        windows.compute(key, (k, w) -> {
            if (w != null && now - w.startNanos < everyNanos) {
                w.suppressed++;
                return w;
            }
            leftOut[0] = w == null ? 0 : w.suppressed;
            return new Window(now);
        });
        if (leftOut[0] < 0) {
            return;
        }
        if (leftOut[0] > 0) {
            Object[] more = java.util.Arrays.copyOf(args, args.length + 2);
            more[args.length] = leftOut[0];
            more[args.length + 1] = everyNanos / 1_000_000_000L;
            log.warn(format + " ({} more like it in the {} s before)", more);
        } else {
            log.warn(format, args);
        }
    }
}
