package dev.cairn.chunkstore;

/** What a node knows of a stored piece: its size in bytes and the CRC32C of all its bytes. */
public record PieceInfo(PieceId id, long size, int crc32c) {
}
