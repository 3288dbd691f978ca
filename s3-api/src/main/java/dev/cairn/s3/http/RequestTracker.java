package dev.cairn.s3.http;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts requests in flight, so shutdown can wait for them to drain. */
public final class RequestTracker {
    private final AtomicInteger inFlight = new AtomicInteger();

    void started() {
        inFlight.incrementAndGet();
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return Math.max(0, inFlight.get());
    }
}
