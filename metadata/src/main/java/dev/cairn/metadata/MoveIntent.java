package dev.cairn.metadata;

/**
 * A piece copy in flight, written (synced) before the mover stores anything on {@code toNode}:
 * piece {@code pieceIndex} of {@code chunk} is being copied (or rebuilt) from {@code fromNode}
 * ("" when it is rebuilt from other pieces or had no location) onto {@code toNode}. The commit
 * ({@link MetadataStore#updatePieces}) removes it; a row left after a crash means the copy on
 * {@code toNode} was never committed and may be deleted.
 */
public record MoveIntent(ChunkId chunk, int pieceIndex, String fromNode, String toNode, long startedMillis) {
}
