package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.PieceStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The node's own meters (Prometheus names in brackets). Every meter has a description and a base
 * unit; counter names end in their unit so that the Prometheus names read naturally.
 *
 * <pre>
 * cairn.node.piece.reads / writes / deletes     pieces read, stored, deleted  [cairn_node_piece_reads_total ...]
 * cairn.node.read.bytes / written.bytes         piece bytes served and stored [cairn_node_read_bytes_total ...]
 * cairn.node.checksum.failures                  reads that found a corrupt block or header
 * cairn.node.auth.failures{reason}              refused signatures: missing, malformed, bad_signature, expired, digest
 * cairn.node.capacity.bytes / used.bytes / pieces   gauges over the store
 * cairn.node.requests{op,status}                request latency timer [cairn_node_requests_seconds]
 * </pre>
 */
final class NodeMetrics {
    private final MeterRegistry registry;
    final Counter reads;
    final Counter writes;
    final Counter deletes;
    final Counter readBytes;
    final Counter writtenBytes;
    final Counter checksumFailures;

    NodeMetrics(MeterRegistry registry, PieceStore store) {
        this.registry = registry;
        reads = counter("cairn.node.piece.reads", "reads", "Piece reads served (GET)");
        writes = counter("cairn.node.piece.writes", "writes", "Pieces stored durably (PUT)");
        deletes = counter("cairn.node.piece.deletes", "deletes", "Pieces deleted");
        readBytes = counter("cairn.node.read.bytes", "bytes", "Piece bytes served to readers");
        writtenBytes = counter("cairn.node.written.bytes", "bytes", "Piece bytes stored");
        checksumFailures = counter("cairn.node.checksum.failures", "failures",
                "Reads that found a piece failing its checksum");
        Gauge.builder("cairn.node.capacity.bytes", store, PieceStore::capacityBytes)
                .description("Capacity of the piece store (0 = unlimited)").baseUnit("bytes").register(registry);
        Gauge.builder("cairn.node.used.bytes", store, PieceStore::usedBytes)
                .description("Bytes used by piece files").baseUnit("bytes").register(registry);
        Gauge.builder("cairn.node.pieces", store, PieceStore::pieceCount)
                .description("Pieces stored").baseUnit("pieces").register(registry);
    }

    void authFailure(String reason) {
        Counter.builder("cairn.node.auth.failures").baseUnit("failures")
                .description("Requests refused for a missing or invalid cluster signature")
                .tag("reason", reason).register(registry).increment();
    }

    void request(String op, int status, long startNanos) {
        Timer.builder("cairn.node.requests")
                .description("Node HTTP request latency, by operation and status")
                .tag("op", op).tag("status", Integer.toString(status))
                .register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String unit, String description) {
        return Counter.builder(name).baseUnit(unit).description(description).register(registry);
    }
}
