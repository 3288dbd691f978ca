package dev.cairn.metadata;

/** One entry of the garbage queue: {@code chunk} becomes due for collection at {@code dueMillis}. */
public record GarbageEntry(long dueMillis, ChunkId chunk) {
}
