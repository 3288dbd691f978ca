package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.chunkstore.PieceStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Pages through a node's pieces in {@link PieceOrder}. Blocking: call from worker threads only.
 * {@link PieceStore#forEach} has no order, so a listing either walks the store's sorted layout
 * ({@link DirectoryPieceLister}) or scans everything per page ({@link #scanning}).
 */
@FunctionalInterface
public interface PieceLister {

    /** Up to {@code limit} pieces after {@code after} (null: from the first). */
    PiecePage list(PieceId after, int limit) throws IOException;

    /**
     * A lister for any store: every page scans all pieces keeping the {@code limit + 1} smallest
     * in a heap. Memory is bounded by the page, time is a full scan per page: fine for small
     * stores and tests, not for a node with a million pieces.
     */
    static PieceLister scanning(PieceStore store) {
        return (after, limit) -> {
            PriorityQueue<PieceInfo> largestFirst =
                    new PriorityQueue<>((a, b) -> PieceOrder.COMPARATOR.compare(b.id(), a.id()));
            store.forEach(info -> {
                if (after != null && PieceOrder.COMPARATOR.compare(info.id(), after) <= 0) {
                    return;
                }
                largestFirst.add(info);
                if (largestFirst.size() > limit + 1) {
                    largestFirst.poll();
                }
            });
            List<PieceInfo> sorted = new ArrayList<>(largestFirst);
            sorted.sort((a, b) -> PieceOrder.COMPARATOR.compare(a.id(), b.id()));
            boolean truncated = sorted.size() > limit;
            return new PiecePage(truncated ? sorted.subList(0, limit) : sorted, truncated);
        };
    }
}
