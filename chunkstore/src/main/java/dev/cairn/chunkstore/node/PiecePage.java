package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import java.util.List;
import java.util.Optional;

/**
 * One page of a node's piece listing, in {@link PieceOrder}. When {@code truncated}, more pieces
 * follow: ask again with {@code after} = {@link #nextAfter()}.
 */
public record PiecePage(List<PieceInfo> pieces, boolean truncated) {
    public PiecePage {
        pieces = List.copyOf(pieces);
    }

    /** The id to continue from when the page is truncated. */
    public Optional<PieceId> nextAfter() {
        return truncated && !pieces.isEmpty() ? Optional.of(pieces.get(pieces.size() - 1).id()) : Optional.empty();
    }
}
