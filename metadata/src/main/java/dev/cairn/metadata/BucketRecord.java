package dev.cairn.metadata;

/**
 * A bucket. {@code region} is the LocationConstraint given at creation ("us-east-1" when none);
 * {@code defaultStorageClass} is the storage class objects get when a PUT names none (null:
 * STANDARD), set by the operator through the admin API.
 */
public record BucketRecord(String name, String owner, long createdMillis, String region, String defaultStorageClass) {

    public BucketRecord(String name, String owner, long createdMillis, String region) {
        this(name, owner, createdMillis, region, null);
    }

    public BucketRecord withDefaultStorageClass(String storageClass) {
        return new BucketRecord(name, owner, createdMillis, region, storageClass);
    }
}
