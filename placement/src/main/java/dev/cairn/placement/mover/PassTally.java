package dev.cairn.placement.mover;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one planning pass found, chunk plan by chunk plan: the work per mover (chunks and bytes),
 * the repair priority levels present, whether pieces wait for a node, the chunks that are not at
 * full protection on distinct nodes or not readable now, and the chunks whose plan cannot be met,
 * by mover and reason. {@link #publish} hands the facts to the {@link MoverProgress}.
 */
final class PassTally {
    private final Map<ChunkPlan.Mover, long[]> work = new EnumMap<>(ChunkPlan.Mover.class);
    private final Map<ChunkPlan.Mover, Map<String, Long>> blocked = new EnumMap<>(ChunkPlan.Mover.class);
    final Set<Integer> repairLevels = new TreeSet<>();
    boolean waiting;
    private long chunks;
    private long underProtected;
    private long unreadable;

    void add(ChunkPlan plan) {
        chunks++;
        waiting |= plan.waiting();
        if (!plan.fullyProtected()) {
            underProtected++;
        }
        if (plan.priority() < 0) {
            unreadable++;
        }
        if (plan.blocked() != null) {
            blocked.computeIfAbsent(plan.mover(), m -> new HashMap<>()).merge(plan.blocked(), 1L, Long::sum);
        }
        if (plan.idle()) {
            return;
        }
        long[] t = work.computeIfAbsent(plan.mover(), m -> new long[2]);
        t[0]++;
        t[1] += plan.bytes();
        if (plan.mover() == ChunkPlan.Mover.REPAIR) {
            repairLevels.add(plan.priority());
        }
    }

    boolean hasWork() {
        return !work.isEmpty();
    }

    long blockedChunks() {
        return blocked.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    /** The reason that blocks the most chunks. */
    String blockedReason() {
        Map<String, Long> all = new HashMap<>();
        blocked.values().forEach(m -> m.forEach((r, n) -> all.merge(r, n, Long::sum)));
        return all.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    void publish(MoverProgress progress, long mapVersion) {
        for (ChunkPlan.Mover m : ChunkPlan.Mover.values()) {
            if (m == ChunkPlan.Mover.SCRUB) {
                continue;
            }
            long[] t = work.getOrDefault(m, new long[2]);
            MoverProgress.Counters c = progress.of(m);
            c.pendingChunks.set(t[0]);
            c.pendingBytes.set(t[1]);
            c.blockedChunks.set(blocked.getOrDefault(m, Map.of()).values().stream().mapToLong(Long::longValue).sum());
        }
        progress.facts(new MoverProgress.Facts(chunks, underProtected, unreadable, blockedChunks(), blockedReason(),
                mapVersion));
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        work.forEach((m, t) -> sb.append(sb.length() == 0 ? "" : ", ").append(m.label()).append(' ')
                .append(t[0]).append(" chunks (").append(t[1]).append(" bytes)"));
        long b = blockedChunks();
        if (b > 0) {
            sb.append(sb.length() == 0 ? "" : "; ").append(b).append(" chunks blocked (").append(blockedReason())
                    .append(')');
        }
        return sb.toString();
    }
}
