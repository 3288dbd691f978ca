package dev.cairn.metadata;

import java.util.List;

/**
 * A page of the garbage queue: chunks whose grace period is over, oldest first, and the stray
 * entries met on the way (queue entries whose chunk record is gone; clear them with
 * {@link GarbageCommand.ClearGarbageEntries}).
 */
public record GarbagePage(List<ChunkRecord> due, List<GarbageEntry> stray) {
    public GarbagePage {
        due = List.copyOf(due);
        stray = List.copyOf(stray);
    }
}
