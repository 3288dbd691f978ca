package dev.cairn.metadata;

import java.util.List;

/** A chunk: its id, logical (unencoded) size, protection and where its pieces are. */
public record ChunkRecord(ChunkId id, long size, Protection protection, List<PieceLocation> pieces) {
    public ChunkRecord {
        pieces = List.copyOf(pieces);
    }
}
