package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The queue and thread behind group commit, shared by the local and the Raft committer: callers
 * submit commands; one thread takes whatever has queued (up to {@code maxGroup}) and hands it to
 * the committer's {@link GroupSink} as one group, whose futures the sink completes. Closing hands
 * over what was queued before and fails later submits, so no caller waits forever.
 */
public final class CommitQueue implements AutoCloseable {

    /** One submitted command and the future its caller waits on. */
    public record Pending(MetaCommand<?> command, CompletableFuture<MetaResult> done) {
    }

    /** Commits one group (in order) and completes each of its futures, now or later. */
    @FunctionalInterface
    public interface GroupSink {
        void commit(List<Pending> group);
    }

    private static final Pending STOP = new Pending(null, null);

    private final int maxGroup;
    private final GroupSink sink;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Submits hold it shared while enqueuing; close holds it exclusive, so nothing queues after STOP. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private boolean closed; // guarded by gate
    private final Thread thread;

    public CommitQueue(int maxGroup, String threadName, GroupSink sink) {
        this.maxGroup = maxGroup;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code command}; the future completes with its result (or the refusal it met). */
    public <R extends MetaResult> CompletableFuture<R> submit(MetaCommand<R> command) {
        Objects.requireNonNull(command, "command");
        CompletableFuture<MetaResult> done = new CompletableFuture<>();
        gate.readLock().lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(closedStore());
            }
            queue.add(new Pending(command, done));
        } finally {
            gate.readLock().unlock();
        }
        return done.thenApply(r -> MetaCommitter.unwrap(command, r));
    }

    private void run() {
        List<Pending> group = new ArrayList<>(maxGroup);
        boolean stop = false;
        while (!stop) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            queue.drainTo(group, maxGroup - 1);
            stop = group.remove(STOP);
            if (!group.isEmpty()) {
                sink.commit(List.copyOf(group));
            }
            group.clear();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.stream().filter(p -> p != STOP).forEach(p -> p.done().completeExceptionally(closedStore()));
    }

    private static MetadataException closedStore() {
        return new MetadataException.StorageFailure("metadata store is closed", null);
    }

    /** Hands over what was queued, then stops the thread (waiting at most {@code waitMillis}; 0: until it ends). */
    public void close(long waitMillis) {
        gate.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        } finally {
            gate.writeLock().unlock();
        }
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(0);
    }
}
