package dev.cairn.metadata;

/**
 * A piece that needs repair: missing since its write, unreadable, or corrupt on disk.
 *
 * @param reason short machine-readable cause: "write-failed", "corrupt", "missing", "unreadable"
 */
public record RepairRecord(ChunkId chunk, int pieceIndex, String reason, String nodeId, long recordedMillis) {
}
