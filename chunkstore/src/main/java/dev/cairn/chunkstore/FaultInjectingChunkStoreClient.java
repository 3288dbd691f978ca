package dev.cairn.chunkstore;

import dev.cairn.chunkstore.node.PiecePage;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A {@link ChunkStoreClient} decorator that injects the faults real nodes show, for in-process
 * fault drills and tests: a node that is <em>down</em> (every call fails as a refused connection
 * does), operations that <em>fail</em> (the node answers with an error), a <em>slow</em> node (every
 * call completes after a delay), and <em>corrupt</em> pieces (reads and verifications of them fail
 * as a block checksum failure does). Every call is counted per operation. Thread-safe; the faults
 * change at run time.
 */
public final class FaultInjectingChunkStoreClient implements ChunkStoreClient {
    /** The client operations, for counting and for {@link #failing}. */
    public enum Op { PUT, GET, HEAD, VERIFY, DELETE, LIST }

    private final ChunkStoreClient inner;
    private final Map<Op, AtomicLong> calls = new EnumMap<>(Op.class);
    private final Set<PieceId> corrupt = ConcurrentHashMap.newKeySet();
    private volatile boolean down;
    private volatile Set<Op> failing = Set.of();
    private volatile long delayMillis;

    public FaultInjectingChunkStoreClient(ChunkStoreClient inner) {
        this.inner = inner;
        for (Op op : Op.values()) {
            calls.put(op, new AtomicLong());
        }
    }

    /** Down: every call fails with {@link PieceException.Unavailable}, as against a dead process. */
    public FaultInjectingChunkStoreClient down(boolean isDown) {
        this.down = isDown;
        return this;
    }

    public boolean isDown() {
        return down;
    }

    /** These operations fail with {@link PieceException.Unavailable} (an error answer); empty: none. */
    public FaultInjectingChunkStoreClient failing(Set<Op> ops) {
        this.failing = Set.copyOf(ops);
        return this;
    }

    /** Every call completes {@code delay} later than it would (zero: no delay). */
    public FaultInjectingChunkStoreClient slow(Duration delay) {
        this.delayMillis = delay.toMillis();
        return this;
    }

    /** Reads and verifications of this piece fail with {@link PieceException.Corrupt} until it is written again. */
    public FaultInjectingChunkStoreClient corrupt(PieceId id) {
        corrupt.add(id);
        return this;
    }

    /** Clears every fault. */
    public FaultInjectingChunkStoreClient heal() {
        down = false;
        failing = Set.of();
        delayMillis = 0;
        corrupt.clear();
        return this;
    }

    /** Calls of {@code op} made so far (failed ones included). */
    public long calls(Op op) {
        return calls.get(op).get();
    }

    public ChunkStoreClient inner() {
        return inner;
    }

    @Override
    public String nodeId() {
        return inner.nodeId();
    }

    @Override
    public CompletableFuture<PieceInfo> put(PieceId id, ByteBuffer data) {
        return call(Op.PUT, () -> inner.put(id, data).thenApply(info -> {
            corrupt.remove(id);
            return info;
        }));
    }

    @Override
    public CompletableFuture<ByteBuffer> get(PieceId id, long offset, int length) {
        return call(Op.GET, () -> corrupt.contains(id)
                ? CompletableFuture.failedFuture(new PieceException.Corrupt(id, "injected: a block fails its checksum"))
                : inner.get(id, offset, length));
    }

    /** Counted and failed as a {@link Op#GET}. */
    @Override
    public CompletableFuture<Integer> readInto(PieceId id, long offset, ByteBuffer dst) {
        return call(Op.GET, () -> corrupt.contains(id)
                ? CompletableFuture.failedFuture(new PieceException.Corrupt(id, "injected: a block fails its checksum"))
                : inner.readInto(id, offset, dst));
    }

    /** Counted and failed as a {@link Op#GET}. */
    @Override
    public CompletableFuture<Integer> readInto(PieceId id, long offset, ByteBuffer dst, ReadFence fence) {
        return call(Op.GET, () -> {
            if (corrupt.contains(id)) {
                fence.shut();
                return CompletableFuture.failedFuture(new PieceException.Corrupt(id, "injected: a block fails its checksum"));
            }
            return inner.readInto(id, offset, dst, fence);
        }).whenComplete((n, e) -> fence.shut()); // down or failing: the inner read never started
    }

    @Override
    public CompletableFuture<PieceInfo> head(PieceId id) {
        return call(Op.HEAD, () -> inner.head(id));
    }

    @Override
    public CompletableFuture<PieceInfo> verify(PieceId id) {
        return call(Op.VERIFY, () -> corrupt.contains(id)
                ? CompletableFuture.failedFuture(new PieceException.Corrupt(id, "injected: a block fails its checksum"))
                : inner.verify(id));
    }

    @Override
    public CompletableFuture<Boolean> delete(PieceId id) {
        return call(Op.DELETE, () -> inner.delete(id).thenApply(existed -> {
            corrupt.remove(id);
            return existed;
        }));
    }

    @Override
    public CompletableFuture<PiecePage> list(PieceId after, int limit) {
        return call(Op.LIST, () -> inner.list(after, limit));
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String toString() {
        return "FaultInjecting[" + inner + (down ? ", down" : "") + (failing.isEmpty() ? "" : ", failing " + failing)
                + (delayMillis > 0 ? ", slow " + delayMillis + " ms" : "") + "]";
    }

    private <T> CompletableFuture<T> call(Op op, Supplier<CompletableFuture<T>> real) {
        calls.get(op).incrementAndGet();
        long delay = delayMillis;
        Supplier<CompletableFuture<T>> attempt = () -> {
            if (down) {
                return CompletableFuture.failedFuture(new PieceException.Unavailable("node " + nodeId()
                        + " is down (injected): connection refused", null));
            }
            if (failing.contains(op)) {
                return CompletableFuture.failedFuture(new PieceException.Unavailable("node " + nodeId()
                        + " failed " + op + " (injected)", null));
            }
            return real.get();
        };
        if (delay <= 0) {
            return attempt.get();
        }
        return CompletableFuture.supplyAsync(() -> null,
                CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)).thenCompose(x -> attempt.get());
    }
}
