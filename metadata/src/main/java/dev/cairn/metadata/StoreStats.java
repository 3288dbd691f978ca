package dev.cairn.metadata;

public record StoreStats(long buckets, long objects, long bytes) {
}
