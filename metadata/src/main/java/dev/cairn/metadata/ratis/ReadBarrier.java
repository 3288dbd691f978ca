package dev.cairn.metadata.ratis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import dev.cairn.metadata.MetadataException;

/**
 * Makes reads linearizable: {@link #await()} returns once this replica has applied every entry
 * committed before the call began (a Ratis read-index request answered by this peer).
 *
 * <p>Design note. Barriers are shared: a read that arrives while one is in flight waits for the
 * next one, which starts after it arrived, so under load one round trip serves many reads and
 * none is answered by a barrier that began before it.
 */
final class ReadBarrier {
    private final Supplier<CompletableFuture<?>> send;
    private final long timeoutMillis;
    private CompletableFuture<Void> next; // guarded by this
    private boolean running; // guarded by this

    ReadBarrier(Supplier<CompletableFuture<?>> send, long timeoutMillis) {
        this.send = send;
        this.timeoutMillis = timeoutMillis;
    }

    /** Blocks (a worker thread) until a barrier that began after this call has passed. */
    void await() {
        CompletableFuture<Void> mine;
        synchronized (this) {
            if (next == null) {
                next = new CompletableFuture<>();
            }
            mine = next;
            if (!running) {
                running = true;
                launch();
            }
        }
        try {
            mine.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataException.StorageFailure("interrupted waiting for the metadata leader", e);
        } catch (TimeoutException e) {
            throw new MetadataException.Unavailable("no metadata leader answered a read within "
                    + timeoutMillis + " ms", e);
        } catch (ExecutionException e) {
            throw new MetadataException.Unavailable("no metadata leader answered a read: " + e.getCause(),
                    e.getCause());
        }
    }

    /** Starts the barrier for the reads waiting on {@link #next}; called holding the lock. */
    private void launch() {
        CompletableFuture<Void> batch = next;
        next = null;
        CompletableFuture<?> sent;
        try {
            sent = send.get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((r, e) -> {
            if (e != null) {
                batch.completeExceptionally(e);
            } else {
                batch.complete(null);
            }
            synchronized (this) {
                if (next != null) {
                    launch();
                } else {
                    running = false;
                }
            }
        });
    }
}
