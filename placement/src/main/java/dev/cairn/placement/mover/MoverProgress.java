package dev.cairn.placement.mover;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the movers have to do and have done, per mover, for the admin API and the metrics: pending
 * chunks and bytes (set by each planning pass, counted down as moves finish), moved pieces and
 * bytes, errors; the overall state and the scrubber's pass.
 */
public final class MoverProgress {
    /** STANDBY: this server does not lead the replicated metadata; the leader's movers do the work. */
    public enum State { IDLE, PLANNING, MOVING, DONE, BLOCKED, PAUSED, STANDBY }

    /** One mover's counters. */
    public static final class Counters {
        public final AtomicLong pendingChunks = new AtomicLong();
        public final AtomicLong pendingBytes = new AtomicLong();
        public final AtomicLong chunksMoved = new AtomicLong();
        public final AtomicLong movedPieces = new AtomicLong();
        public final AtomicLong movedBytes = new AtomicLong();
        public final AtomicLong errors = new AtomicLong();
        /** Chunks of this mover whose plan cannot be met (see {@link ChunkPlan#blocked()}), as of the last pass. */
        public final AtomicLong blockedChunks = new AtomicLong();
    }

    /**
     * The facts of the last planning pass: live chunks seen, chunks not at full protection on
     * distinct nodes, chunks not readable now, chunks whose plan cannot be met and the reason that
     * blocks the most, and the cluster-map version planned against.
     */
    public record Facts(long chunks, long underProtected, long unreadable, long blocked, String blockedReason,
                        long mapVersion) {
        static final Facts NONE = new Facts(0, 0, 0, 0, null, -1);
    }

    /** The scrubber's counters. */
    public static final class Scrub {
        public final AtomicLong lastPassStarted = new AtomicLong();
        public final AtomicLong lastPassFinished = new AtomicLong();
        public final AtomicLong piecesOk = new AtomicLong();
        public final AtomicLong piecesCorrupt = new AtomicLong();
        public final AtomicLong piecesMissing = new AtomicLong();
    }

    private final Map<ChunkPlan.Mover, Counters> movers = new EnumMap<>(ChunkPlan.Mover.class);
    private final Scrub scrub = new Scrub();
    private volatile State state = State.IDLE;
    private volatile Facts facts = Facts.NONE;
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile long movingSinceNanos;
    private volatile long bytesAtStart;

    public MoverProgress() {
        for (ChunkPlan.Mover m : ChunkPlan.Mover.values()) {
            movers.put(m, new Counters());
        }
    }

    public Counters of(ChunkPlan.Mover mover) {
        return movers.get(mover);
    }

    public Scrub scrub() {
        return scrub;
    }

    public State state() {
        return state;
    }

    void state(State s) {
        if (s == State.MOVING && state != State.MOVING) {
            movingSinceNanos = System.nanoTime();
            bytesAtStart = total(c -> c.movedBytes.get());
        }
        state = s;
    }

    /** What the last planning pass found (no pass yet: map version -1). */
    public Facts facts() {
        return facts;
    }

    void facts(Facts f) {
        facts = f;
    }

    public String lastError() {
        return lastError.get();
    }

    void error(ChunkPlan.Mover mover, String message) {
        of(mover).errors.incrementAndGet();
        lastError.set(message);
    }

    public long total(java.util.function.ToLongFunction<Counters> f) {
        long sum = 0;
        for (Counters c : movers.values()) {
            sum += f.applyAsLong(c);
        }
        return sum;
    }

    /** Bytes per second moved since the current (or last) moving phase started. */
    public long bytesPerSecond() {
        long since = movingSinceNanos;
        if (since == 0) {
            return 0;
        }
        double seconds = (System.nanoTime() - since) / 1e9;
        return seconds <= 0 ? 0 : (long) ((total(c -> c.movedBytes.get()) - bytesAtStart) / seconds);
    }

    /** Seconds until the pending bytes are moved at the current rate; -1 when unknown. */
    public long etaSeconds() {
        long pending = total(c -> c.pendingBytes.get());
        long rate = bytesPerSecond();
        return pending == 0 ? 0 : rate <= 0 ? -1 : pending / rate;
    }
}
