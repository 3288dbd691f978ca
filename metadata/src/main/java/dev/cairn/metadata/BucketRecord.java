package dev.cairn.metadata;

/**
 * A bucket. {@code region} is the LocationConstraint given at creation ("us-east-1" when none);
 * {@code defaultStorageClass} is the storage class objects get when a PUT names none (null:
 * STANDARD), set by the operator through the admin API; {@code versioning} is its S3 versioning
 * state (a bucket is created {@link Versioning#UNVERSIONED} and never goes back to it).
 */
public record BucketRecord(String name, String owner, long createdMillis, String region, String defaultStorageClass,
                           Versioning versioning) {

    /** S3 bucket versioning: never enabled, enabled, or suspended after being enabled. */
    public enum Versioning {
        UNVERSIONED, ENABLED, SUSPENDED
    }

    public BucketRecord {
        versioning = versioning == null ? Versioning.UNVERSIONED : versioning;
    }

    public BucketRecord(String name, String owner, long createdMillis, String region, String defaultStorageClass) {
        this(name, owner, createdMillis, region, defaultStorageClass, Versioning.UNVERSIONED);
    }

    public BucketRecord(String name, String owner, long createdMillis, String region) {
        this(name, owner, createdMillis, region, null);
    }

    public BucketRecord withDefaultStorageClass(String storageClass) {
        return new BucketRecord(name, owner, createdMillis, region, storageClass, versioning);
    }

    public BucketRecord withVersioning(Versioning state) {
        return new BucketRecord(name, owner, createdMillis, region, defaultStorageClass, state);
    }
}
