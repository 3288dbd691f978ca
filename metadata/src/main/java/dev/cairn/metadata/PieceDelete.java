package dev.cairn.metadata;

/**
 * A piece that a committed move left behind: piece {@code pieceIndex} of {@code chunk} on
 * {@code nodeId} is no longer placed there and is deleted once {@code dueMillis} has passed and no
 * read holds the chunk. Written in the same batch as the commit, so a crash never orphans it.
 */
public record PieceDelete(ChunkId chunk, int pieceIndex, String nodeId, long dueMillis) {
}
