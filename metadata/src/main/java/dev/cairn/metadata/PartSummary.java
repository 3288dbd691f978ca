package dev.cairn.metadata;

/** One part of a completed multipart object, kept so GetObject with partNumber can find its bytes. */
public record PartSummary(int partNumber, long size, String etag, Checksum checksum) {
}
