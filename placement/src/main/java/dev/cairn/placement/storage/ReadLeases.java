package dev.cairn.placement.storage;

import dev.cairn.metadata.ChunkId;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chunks that a GET is streaming right now. The collector leaves a leased chunk alone even when
 * its grace period is over, so a download that started before an overwrite or delete always
 * finishes with the bytes it started with.
 */
public final class ReadLeases {
    private final ConcurrentHashMap<ChunkId, Integer> leases = new ConcurrentHashMap<>();

    public void acquire(Collection<ChunkId> ids) {
        for (ChunkId id : ids) {
            leases.merge(id, 1, Integer::sum);
        }
    }

    public void release(Collection<ChunkId> ids) {
        for (ChunkId id : ids) {
            leases.computeIfPresent(id, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    public boolean isLeased(ChunkId id) {
        return leases.containsKey(id);
    }
}
