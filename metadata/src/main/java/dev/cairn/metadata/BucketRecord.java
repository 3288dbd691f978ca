package dev.cairn.metadata;

/** A bucket. {@code region} is the LocationConstraint given at creation ("us-east-1" when none). */
public record BucketRecord(String name, String owner, long createdMillis, String region) {
}
