package dev.cairn.metadata.ratis;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of replicated commits, read by the metrics and the status. */
public final class CommitStats {
    private final LongAdder entries = new LongAdder();
    private final LongAdder commands = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final AtomicLong leaderChanges = new AtomicLong();

    void committed(int commandCount, long tookNanos) {
        entries.increment();
        commands.add(commandCount);
        nanos.add(tookNanos);
    }

    void leaderChanged() {
        leaderChanges.incrementAndGet();
    }

    /** Log entries this server committed (each a group of commands). */
    public long entries() {
        return entries.sum();
    }

    public long commands() {
        return commands.sum();
    }

    /** Total time from sending an entry to its applied reply, for a rate of commit latency. */
    public long commitNanos() {
        return nanos.sum();
    }

    /** Leader changes this server has seen. */
    public long leaderChanges() {
        return leaderChanges.get();
    }
}
