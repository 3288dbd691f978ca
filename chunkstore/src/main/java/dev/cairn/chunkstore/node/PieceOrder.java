package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.PieceId;
import java.util.Comparator;

/**
 * The order in which a node lists its pieces: by chunk id (unsigned bytes, the same as its hex
 * text), then by piece index as a number. It agrees with the store's fan-out directories, which
 * are named by the first two bytes of the chunk id in hex.
 */
public final class PieceOrder {
    public static final Comparator<PieceId> COMPARATOR =
            Comparator.comparing(PieceId::chunkHex).thenComparingInt(PieceId::index);

    private PieceOrder() {
    }
}
