package dev.cairn.metadata;

import java.util.List;
import java.util.Objects;

/**
 * The {@link MetaCommand}s of the cluster map, repairs and the movers: membership changes,
 * piece moves and their intents, deferred piece deletes.
 */
public sealed interface ClusterCommand<R extends MetaResult> extends MetaCommand<R> {

    /**
     * A membership change: stores the node records (joined, changed state, address, zone or
     * capacity) and raises the cluster-map version by one. Plain heartbeats are not commands.
     */
    record PutNodes(List<NodeRecord> nodes) implements ClusterCommand<MetaResult.MapVersion> {
        public PutNodes {
            nodes = List.copyOf(nodes);
        }

        @Override
        public Type type() {
            return Type.PUT_NODES;
        }
    }

    /** Records pieces that need repair (a second record of a piece replaces the first). */
    record RecordRepairs(List<RepairRecord> records) implements ClusterCommand<MetaResult.Done> {
        public RecordRepairs {
            records = List.copyOf(records);
        }

        @Override
        public Type type() {
            return Type.RECORD_REPAIRS;
        }
    }

    /** Removes the repair rows of pieces that are whole again. */
    record ClearRepairs(List<RepairRecord> records) implements ClusterCommand<MetaResult.Done> {
        public ClearRepairs {
            records = List.copyOf(records);
        }

        @Override
        public Type type() {
            return Type.CLEAR_REPAIRS;
        }
    }

    // ---- movers ----

    /**
     * Compare-and-set of a live chunk's piece list (see {@link MetadataReads#scanChunks}): applied
     * only when the pieces are {@code expected} in any order; also clears the intents it fulfils
     * and the repair rows of changed pieces, and queues deletes of dropped locations due at
     * {@code deleteDueMillis}.
     */
    record UpdatePieces(ChunkId chunk, List<PieceLocation> expected, List<PieceLocation> updated,
                        long deleteDueMillis) implements ClusterCommand<MetaResult.Swapped> {
        public UpdatePieces {
            Objects.requireNonNull(chunk, "chunk");
            expected = List.copyOf(expected);
            updated = List.copyOf(updated);
        }

        @Override
        public Type type() {
            return Type.UPDATE_PIECES;
        }
    }

    /** Records piece copies about to start. */
    record RecordMoves(List<MoveIntent> intents) implements ClusterCommand<MetaResult.Done> {
        public RecordMoves {
            intents = List.copyOf(intents);
        }

        @Override
        public Type type() {
            return Type.RECORD_MOVES;
        }
    }

    /** Removes intents of abandoned copies. */
    record ClearMoves(List<MoveIntent> intents) implements ClusterCommand<MetaResult.Done> {
        public ClearMoves {
            intents = List.copyOf(intents);
        }

        @Override
        public Type type() {
            return Type.CLEAR_MOVES;
        }
    }

    /** Removes deferred piece deletes that are done. */
    record ClearPieceDeletes(List<PieceDelete> deletes) implements ClusterCommand<MetaResult.Done> {
        public ClearPieceDeletes {
            deletes = List.copyOf(deletes);
        }

        @Override
        public Type type() {
            return Type.CLEAR_PIECE_DELETES;
        }
    }
}
