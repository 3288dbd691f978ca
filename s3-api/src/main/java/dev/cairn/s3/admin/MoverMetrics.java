package dev.cairn.s3.admin;

import dev.cairn.placement.mover.ChunkPlan;
import dev.cairn.placement.mover.MoverProgress;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The movers' meters, registered at start so they exist at 0: {@code cairn_mover_pending_chunks},
 * {@code cairn_mover_pending_bytes}, {@code cairn_mover_blocked_chunks} (gauges), {@code cairn_mover_moved_pieces_total},
 * {@code cairn_mover_moved_bytes_total}, {@code cairn_mover_errors_total} (counters), each by
 * {@code mover} (repair, rebalance, drain, scrub), and {@code cairn_scrub_pieces_total} by
 * {@code result} (ok, corrupt, missing).
 */
public final class MoverMetrics {
    private MoverMetrics() {
    }

    public static void bind(MeterRegistry registry, MoverProgress progress) {
        for (ChunkPlan.Mover m : ChunkPlan.Mover.values()) {
            MoverProgress.Counters c = progress.of(m);
            gauge(registry, "cairn.mover.pending.chunks", "chunks", "Chunks a mover still has to move in this pass",
                    m, c.pendingChunks);
            gauge(registry, "cairn.mover.pending.bytes", "bytes", "Bytes a mover still has to write in this pass",
                    m, c.pendingBytes);
            counter(registry, "cairn.mover.moved.pieces", "pieces", "Pieces a mover copied or rebuilt and committed",
                    m, c, x -> x.movedPieces);
            counter(registry, "cairn.mover.moved.bytes", "bytes", "Bytes a mover copied or rebuilt and committed",
                    m, c, x -> x.movedBytes);
            gauge(registry, "cairn.mover.blocked.chunks", "chunks",
                    "Chunks whose plan cannot be met (too few writable nodes or readable pieces), as of the last pass",
                    m, c.blockedChunks);
            counter(registry, "cairn.mover.errors", "errors",
                    "Moves that failed (and were rolled back), or bad pieces the scrubber found", m, c, x -> x.errors);
        }
        MoverProgress.Scrub s = progress.scrub();
        scrub(registry, "ok", s.piecesOk);
        scrub(registry, "corrupt", s.piecesCorrupt);
        scrub(registry, "missing", s.piecesMissing);
    }

    private static void gauge(MeterRegistry r, String name, String unit, String help, ChunkPlan.Mover m,
                              AtomicLong value) {
        Gauge.builder(name, value, AtomicLong::get).description(help).baseUnit(unit).tag("mover", m.label())
                .register(r);
    }

    private static void counter(MeterRegistry r, String name, String unit, String help, ChunkPlan.Mover m,
                                MoverProgress.Counters c, Function<MoverProgress.Counters, AtomicLong> f) {
        FunctionCounter.builder(name, c, x -> f.apply(x).get()).description(help).baseUnit(unit)
                .tag("mover", m.label()).register(r);
    }

    private static void scrub(MeterRegistry r, String result, AtomicLong value) {
        FunctionCounter.builder("cairn.scrub.pieces", value, AtomicLong::get)
                .description("Pieces the scrubber re-read and verified on their node, by result")
                .baseUnit("pieces").tag("result", result).register(r);
    }
}
