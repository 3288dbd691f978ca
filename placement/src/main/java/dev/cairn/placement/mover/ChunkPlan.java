package dev.cairn.placement.mover;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.PieceLocation;

import java.util.List;

/**
 * What a chunk needs: the steps that bring it back to full protection on the nodes where it
 * belongs, the mover that owns the work, and its priority: readable pieces minus the pieces
 * needed to read it (smaller = closer to loss; negative = unreadable now). {@code sources} are the
 * readable pieces, from which copies and rebuilds read. {@code waiting}: pieces wait for a node
 * (down or unreachable within the grace, or not verified yet). {@code fullyProtected}: every piece
 * readable, each on its own node. {@code blocked}: why the steps cannot bring the chunk to full
 * protection on distinct nodes, or off a draining node (too few writable nodes, too few readable
 * pieces); null when they can.
 */
public record ChunkPlan(ChunkRecord chunk, List<MoveStep> steps, List<PieceLocation> sources, Mover mover,
                        int priority, boolean waiting, boolean fullyProtected, String blocked) {
    public ChunkPlan {
        steps = List.copyOf(steps);
        sources = List.copyOf(sources);
    }

    /** Nothing to do (possibly because pieces wait for a DOWN node's grace to pass). */
    public boolean idle() {
        return steps.isEmpty();
    }

    /** Bytes the steps write: one piece each. */
    public long bytes() {
        long pieceSize = chunk.pieces().isEmpty() ? 0 : chunk.pieces().get(0).size();
        return pieceSize * steps.size();
    }

    /** Which mover a plan belongs to; scrub only finds work, which repair then does. */
    public enum Mover {
        REPAIR, REBALANCE, DRAIN, SCRUB;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
