package dev.cairn.metadata;

/** An object's or part's reference to a chunk, with the chunk's logical size. */
public record ChunkRef(ChunkId id, long size) {
}
