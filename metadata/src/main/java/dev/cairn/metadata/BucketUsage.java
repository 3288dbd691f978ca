package dev.cairn.metadata;

/** What one bucket holds: its objects and their total logical size in bytes. */
public record BucketUsage(String bucket, long objects, long bytes) {
}
