package dev.cairn.metadata;

import java.util.List;
import java.util.Objects;

/**
 * The {@link MetaCommand}s of writer epochs, pending marks and garbage: what lets the collector
 * tell unfinished writes from orphans without relying on any one process's start time.
 */
public sealed interface GarbageCommand<R extends MetaResult> extends MetaCommand<R> {

    /**
     * Opens a writer epoch for {@code holder} (a gateway) and retires the holder's earlier epochs:
     * their writes can never commit. The result is the new epoch's number (one more than the last
     * one opened); pending marks carry it.
     */
    record OpenEpoch(String holder, long openedMillis) implements GarbageCommand<MetaResult.Epoch> {
        public OpenEpoch {
            Objects.requireNonNull(holder, "holder");
        }

        @Override
        public Type type() {
            return Type.OPEN_EPOCH;
        }
    }

    /** Retires an epoch whose holder is gone: its pending marks become collectable. */
    record RetireEpoch(long epoch) implements GarbageCommand<MetaResult.Done> {
        @Override
        public Type type() {
            return Type.RETIRE_EPOCH;
        }
    }

    /**
     * Marks chunks as being written by {@code epoch}'s holder, before any of their pieces are
     * stored; a commit of the chunk clears the mark. Not synced: a lost mark only leaves orphan
     * pieces for the orphan scan.
     */
    record MarkPending(long epoch, List<ChunkRecord> planned) implements GarbageCommand<MetaResult.Done> {
        public MarkPending {
            planned = List.copyOf(planned);
        }

        @Override
        public Type type() {
            return Type.MARK_PENDING;
        }

        @Override
        public boolean durable() {
            return false;
        }
    }

    /** Clears the pending marks of chunks whose write failed (their pieces are deleted). */
    record DropPending(List<ChunkId> ids) implements GarbageCommand<MetaResult.Done> {
        public DropPending {
            ids = List.copyOf(ids);
        }

        @Override
        public Type type() {
            return Type.DROP_PENDING;
        }

        @Override
        public boolean durable() {
            return false;
        }
    }

    /** Forgets collected chunks: their garbage-queue entries, pending marks and records. */
    record ForgetChunks(List<ChunkId> ids) implements GarbageCommand<MetaResult.Done> {
        public ForgetChunks {
            ids = List.copyOf(ids);
        }

        @Override
        public Type type() {
            return Type.FORGET_CHUNKS;
        }

        @Override
        public boolean durable() {
            return false;
        }
    }

    /** Removes garbage-queue entries whose chunk record is gone (they can never be collected). */
    record ClearGarbageEntries(List<GarbageEntry> entries) implements GarbageCommand<MetaResult.Done> {
        public ClearGarbageEntries {
            entries = List.copyOf(entries);
        }

        @Override
        public Type type() {
            return Type.CLEAR_GARBAGE_ENTRIES;
        }

        @Override
        public boolean durable() {
            return false;
        }
    }
}
