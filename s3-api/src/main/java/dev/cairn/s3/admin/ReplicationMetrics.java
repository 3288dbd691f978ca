package dev.cairn.s3.admin;

import dev.cairn.metadata.ratis.CommitStats;
import dev.cairn.metadata.ratis.ReplicatedMetadata;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.util.function.ToDoubleFunction;

/**
 * The meters of replicated metadata: {@code cairn_metadata_commit_entries_total},
 * {@code cairn_metadata_commit_commands_total} and {@code cairn_metadata_commit_seconds_total}
 * (this gateway's commits; their rates give the mean commit latency and the group size),
 * {@code cairn_metadata_leader} (1 on the leader), {@code cairn_metadata_leader_changes_total},
 * {@code cairn_metadata_term}, {@code cairn_metadata_applied_index},
 * {@code cairn_metadata_log_bytes} and {@code cairn_metadata_snapshot_age_seconds} (-1 before the
 * first snapshot).
 */
public final class ReplicationMetrics {
    private ReplicationMetrics() {
    }

    public static void bind(MeterRegistry registry, ReplicatedMetadata replicated) {
        CommitStats stats = replicated.stats();
        FunctionCounter.builder("cairn.metadata.commit.entries", stats, CommitStats::entries)
                .description("Raft log entries this gateway committed (each a group of metadata commands)")
                .baseUnit("entries").register(registry);
        FunctionCounter.builder("cairn.metadata.commit.commands", stats, CommitStats::commands)
                .description("Metadata commands this gateway committed").baseUnit("commands").register(registry);
        FunctionCounter.builder("cairn.metadata.commit", stats, s -> s.commitNanos() / 1e9)
                .description("Time from sending a log entry to its applied reply, summed over entries")
                .baseUnit("seconds").register(registry);
        FunctionCounter.builder("cairn.metadata.leader.changes", stats, CommitStats::leaderChanges)
                .description("Metadata leader changes this server saw").baseUnit("changes").register(registry);
        Gauge.builder("cairn.metadata.leader", replicated, r -> r.isLeader() ? 1 : 0)
                .description("1 when this server leads the metadata group").register(registry);
        status(registry, replicated, "cairn.metadata.term", "The current Raft term", null, s -> s.term());
        status(registry, replicated, "cairn.metadata.applied.index", "The last log index this replica applied",
                null, s -> s.appliedIndex());
        Gauge.builder("cairn.metadata.log", replicated, ReplicatedMetadata::logBytes)
                .description("Bytes of Raft log segments on this server").baseUnit("bytes").register(registry);
        status(registry, replicated, "cairn.metadata.snapshot.age", "Time since the newest metadata snapshot (-1: none)",
                "seconds", s -> s.snapshotAgeMillis() < 0 ? -1 : s.snapshotAgeMillis() / 1000.0);
    }

    private static void status(MeterRegistry registry, ReplicatedMetadata r, String name, String help, String unit,
                               ToDoubleFunction<ReplicatedMetadata.Status> value) {
        Gauge.Builder<ReplicatedMetadata> b = Gauge.builder(name, r, x -> {
            try {
                return value.applyAsDouble(x.status());
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }).description(help);
        if (unit != null) {
            b.baseUnit(unit);
        }
        b.register(registry);
    }
}
