package dev.cairn.placement.storage;

import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.RepeatedWarnings;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.RepairRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Where the data path reports pieces that are missing or bad: a log line, a metric, and a repair
 * record in metadata (written on the worker pool) for the repair mover. A failed read records a
 * hint ({@link RepairReasons}): the movers verify the piece before they count it lost.
 */
public final class RepairReporter {
    private static final Logger LOG = LoggerFactory.getLogger(RepairReporter.class);
    /** A failing node fails every read of it: one line per node and cause per window. */
    private static final java.time.Duration WARN_EVERY = java.time.Duration.ofSeconds(10);
    private static final int RECENT_ROWS = 10_000;

    private final MetadataStore metadata;
    private final Executor pool;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Counter reconstructions;
    private final RepeatedWarnings readWarnings;
    private final RepeatedWarnings writeWarnings;
    private final java.util.Map<String, Long> recent = new java.util.concurrent.ConcurrentHashMap<>();

    public RepairReporter(MetadataStore metadata, Executor pool, Clock clock, MeterRegistry registry) {
        this.metadata = metadata;
        this.pool = pool;
        this.clock = clock;
        this.registry = registry;
        this.readWarnings = new RepeatedWarnings(LOG, "piece-read-failed", WARN_EVERY, registry);
        this.writeWarnings = new RepeatedWarnings(LOG, "piece-write-missed", WARN_EVERY, registry);
        this.reconstructions = Counter.builder("cairn.chunk.reconstructions")
                .description("Chunk reads served by rebuilding missing or bad pieces from the others")
                .baseUnit("reconstructions")
                .register(registry);
    }

    /** A piece failed to read (missing, corrupt, unreachable) or was never written. */
    public void pieceFailed(ChunkRecord chunk, int pieceIndex, String nodeId, Throwable cause) {
        String reason = reason(cause);
        Counter.builder("cairn.piece.failures")
                .description("Pieces found missing, corrupt or unreachable, by reason")
                .baseUnit("failures")
                .tag("reason", reason)
                .register(registry).increment();
        readWarnings.warn(nodeId + "/" + reason, "chunk {} piece {} on node {}: {} ({}); recorded for repair",
                chunk.id(), pieceIndex, nodeId, reason, unwrap(cause).getMessage());
        RepairRecord r = new RepairRecord(chunk.id(), pieceIndex, hint(cause), nodeId == null ? "" : nodeId,
                clock.millis());
        if (!firstRecently(r)) {
            return; // every segment of a read fails alike: one synced row per piece and window is enough
        }
        pool.execute(() -> {
            try {
                metadata.recordRepairs(List.of(r));
            } catch (RuntimeException e) {
                LOG.error("could not record repair of chunk {} piece {}: {}", chunk.id(), pieceIndex, e.toString());
            }
        });
    }

    /** Pieces a write could not store (the write still met its quorum). Blocking: called on a worker. */
    public void writeIncomplete(ChunkRecord chunk, List<Integer> missing, List<String> nodes, String why) {
        List<RepairRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < missing.size(); i++) {
            records.add(new RepairRecord(chunk.id(), missing.get(i), RepairReasons.WRITE_FAILED, nodes.get(i),
                    clock.millis()));
        }
        writeWarnings.warn(why, "chunk {} written without pieces {} ({}); recorded for repair", chunk.id(), missing,
                why);
        Counter.builder("cairn.piece.failures")
                .description("Pieces found missing, corrupt or unreachable, by reason")
                .baseUnit("failures")
                .tag("reason", "write-failed")
                .register(registry).increment(missing.size());
        metadata.recordRepairs(records);
    }

    /** Whether no row for this piece, node and reason was recorded within {@link #WARN_EVERY}. */
    private boolean firstRecently(RepairRecord r) {
        long now = System.nanoTime();
        String key = r.chunk() + "." + r.pieceIndex() + "@" + r.nodeId() + " " + r.reason();
        if (recent.size() >= RECENT_ROWS) {
            recent.clear();
        }
        Long last = recent.get(key);
        if (last != null && now - last < WARN_EVERY.toNanos()) {
            return false;
        }
        recent.put(key, now);
        return true;
    }

    public void reconstructed() {
        reconstructions.increment();
    }

    /** The repair row a failed read leaves: a hint the movers verify before they count the piece lost. */
    static String hint(Throwable cause) {
        return switch (reason(cause)) {
            case "corrupt" -> RepairReasons.READ_CORRUPT;
            case "missing" -> RepairReasons.READ_MISSING;
            default -> RepairReasons.UNREADABLE;
        };
    }

    static String reason(Throwable cause) {
        Throwable e = unwrap(cause);
        if (e instanceof PieceException.Corrupt) {
            return "corrupt";
        }
        if (e instanceof PieceException.NotFound) {
            return "missing";
        }
        return "unreadable";
    }

    public static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
