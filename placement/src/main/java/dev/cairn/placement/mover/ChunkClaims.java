package dev.cairn.placement.mover;

import dev.cairn.metadata.ChunkId;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chunks a mover thread is working on right now: a move, a deferred delete and an orphan check of
 * the same chunk never run at the same time, so a delete can never remove a copy being made.
 */
final class ChunkClaims {
    private final Set<ChunkId> claimed = ConcurrentHashMap.newKeySet();

    /** False when another thread holds the chunk. */
    boolean tryClaim(ChunkId id) {
        return claimed.add(id);
    }

    void release(ChunkId id) {
        claimed.remove(id);
    }

    int size() {
        return claimed.size();
    }
}
