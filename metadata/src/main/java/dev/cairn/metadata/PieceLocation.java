package dev.cairn.metadata;

/** One stored piece of a chunk: which piece (0-based index), on which node, its size and CRC32C. */
public record PieceLocation(int index, String nodeId, long size, int crc32c) {
}
