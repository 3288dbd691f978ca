package dev.cairn.placement.storage;

import dev.cairn.chunkstore.PieceException;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.PieceLocation;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Reads the same byte range of k pieces of an erasure-coded chunk, for a rebuild: the first k in
 * the given order at once, one more per failure, and every remaining one if the k have not all
 * answered after the hedge delay. Completes with the pieces read (at least k, indexed by piece)
 * or fails when fewer than k can be read. Failures are reported for repair.
 */
final class PieceGather {
    /** Reads {@code span} bytes at {@code from} of one piece. */
    interface PieceRead {
        CompletableFuture<ByteBuffer> read(PieceLocation piece, long from, int span);
    }

    private final ChunkRecord chunk;
    private final PieceLocation[] byIndex;
    private final List<Integer> order;
    private final long from;
    private final int span;
    private final int k;
    private final PieceRead reads;
    private final RepairReporter repairs;
    private final CompletableFuture<ByteBuffer[]> result = new CompletableFuture<>();
    private final ByteBuffer[] got;
    private int launched; // guarded by this
    private int failed; // guarded by this
    private int arrived; // guarded by this
    private Throwable lastFailure; // guarded by this

    PieceGather(ChunkRecord chunk, PieceLocation[] byIndex, List<Integer> order, long from, int span, int k,
                PieceRead reads, RepairReporter repairs) {
        this.chunk = chunk;
        this.byIndex = byIndex;
        this.order = order;
        this.from = from;
        this.span = span;
        this.k = k;
        this.reads = reads;
        this.repairs = repairs;
        this.got = new ByteBuffer[byIndex.length];
    }

    /** Starts the reads; the hedge runs on {@code worker} after {@code hedgeMillis}. */
    CompletableFuture<ByteBuffer[]> start(Executor worker, long hedgeMillis) {
        if (order.size() < k) {
            result.completeExceptionally(new PieceException.Unavailable("chunk " + chunk.id() + ": only "
                    + order.size() + " readable pieces, " + k + " needed", null));
            return result;
        }
        for (int j = 0; j < k; j++) {
            launchNext();
        }
        // held weakly: a finished gather (and its buffers) must not stay reachable for the delay
        java.lang.ref.WeakReference<PieceGather> self = new java.lang.ref.WeakReference<>(this);
        CompletableFuture.delayedExecutor(hedgeMillis, TimeUnit.MILLISECONDS, worker).execute(() -> {
            PieceGather g = self.get();
            while (g != null && !g.result.isDone() && g.launchNext()) {
                // ask every remaining piece
            }
        });
        return result;
    }

    /** Starts the read of the next piece in order; false when none is left. */
    private boolean launchNext() {
        int i;
        synchronized (this) {
            if (launched == order.size()) {
                return false;
            }
            i = order.get(launched++);
        }
        PieceLocation loc = byIndex[i];
        reads.read(loc, from, span).whenComplete((b, e) -> settle(i, loc, b, e));
        return true;
    }

    private void settle(int i, PieceLocation loc, ByteBuffer b, Throwable e) {
        ByteBuffer[] complete = null;
        boolean next = false;
        boolean fail = false;
        synchronized (this) {
            if (e == null) {
                got[i] = b;
                if (++arrived == k) {
                    complete = got.clone();
                }
            } else {
                failed++;
                lastFailure = e;
                next = true;
                fail = launched == order.size() && arrived + (launched - arrived - failed) < k;
            }
        }
        if (e != null) {
            repairs.pieceFailed(chunk, i, loc.nodeId(), e);
        }
        if (complete != null) {
            result.complete(complete);
        } else if (next && !launchNext() && fail) {
            result.completeExceptionally(new PieceException.Unavailable("chunk " + chunk.id() + ": fewer than " + k
                    + " pieces readable", RepairReporter.unwrap(lastFailure)));
        }
    }
}
