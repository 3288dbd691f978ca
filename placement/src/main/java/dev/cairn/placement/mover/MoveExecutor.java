package dev.cairn.placement.mover;

import dev.cairn.metadata.ChunkId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs chunk plans on the movers' pool ({@code cairn-mover-N}): at most two plans queued per
 * thread (so a pass never holds more than that in memory), one plan per chunk at a time
 * ({@link ChunkClaims}), each under the {@link MoverThrottle}'s per-node slots, after waiting
 * for a moment while client requests saturate the server, and counted in the {@link MoverProgress}.
 */
final class MoveExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MoveExecutor.class);

    private final PieceMover mover;
    private final MoverThrottle throttle;
    private final MoverProgress progress;
    private final ChunkClaims claims;
    private final java.util.function.BooleanSupplier clientsBusy;
    private final int capacity;
    private final ExecutorService pool;
    private final Semaphore queued;
    private volatile boolean closed;

    MoveExecutor(PieceMover mover, MoverThrottle throttle, MoverProgress progress, ChunkClaims claims,
                 int parallelism, java.util.function.BooleanSupplier clientsBusy) {
        this.mover = mover;
        this.clientsBusy = clientsBusy;
        this.throttle = throttle;
        this.progress = progress;
        this.claims = claims;
        this.capacity = parallelism * 2;
        this.pool = Executors.newFixedThreadPool(parallelism, Movers.named("cairn-mover"));
        this.queued = new Semaphore(capacity);
    }

    /** Queues a plan, waiting while the queue is full. */
    void submit(ChunkPlan plan) {
        try {
            queued.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    execute(plan);
                } finally {
                    queued.release();
                }
            });
        } catch (RuntimeException e) {
            queued.release();
        }
    }

    /** Waits until every queued plan has run. */
    void awaitIdle() {
        try {
            queued.acquire(capacity);
            queued.release(capacity);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(ChunkPlan plan) {
        MoverProgress.Counters c = progress.of(plan.mover());
        ChunkId id = plan.chunk().id();
        if (!claims.tryClaim(id)) {
            return;
        }
        Set<String> involved = new LinkedHashSet<>();
        plan.steps().forEach(s -> {
            involved.add(s.toNode());
            if (s.kind() == MoveStep.Kind.MOVE) {
                involved.add(s.fromNode());
            }
        });
        try {
            yieldToClients();
            throttle.acquire(involved);
            try {
                if (closed) {
                    return;
                }
                if (mover.execute(plan, throttle)) {
                    c.chunksMoved.incrementAndGet();
                    c.movedPieces.addAndGet(plan.steps().size());
                    c.movedBytes.addAndGet(plan.bytes());
                }
            } finally {
                throttle.release(involved);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                progress.error(plan.mover(), "chunk " + id + ": " + e.getMessage());
                LOG.warn("{} of chunk {} failed: {}", plan.mover().label(), id, e.toString());
            }
        } finally {
            claims.release(id);
            c.pendingChunks.updateAndGet(v -> Math.max(0, v - 1));
            c.pendingBytes.updateAndGet(v -> Math.max(0, v - plan.bytes()));
        }
    }

    /** Client traffic first: a move waits (up to two seconds, so movers never starve) while clients saturate the server. */
    private void yieldToClients() throws InterruptedException {
        for (int i = 0; i < 100 && !closed && clientsBusy.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
