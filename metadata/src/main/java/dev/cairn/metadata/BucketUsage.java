package dev.cairn.metadata;

/**
 * What one bucket holds: its objects (every version but delete markers), their total logical size
 * in bytes, and the bytes their data takes once compressed and encrypted ({@code storedBytes}:
 * inline bytes and chunk record sizes, before erasure coding or copies).
 */
public record BucketUsage(String bucket, long objects, long bytes, long storedBytes) {
}
