package dev.cairn.metadata;

/**
 * A bucket. {@code region} is the LocationConstraint given at creation ("us-east-1" when none);
 * {@code defaultStorageClass} is the storage class objects get when a PUT names none (null:
 * STANDARD), set by the operator through the admin API; {@code versioning} is its S3 versioning
 * state (a bucket is created {@link Versioning#UNVERSIONED} and never goes back to it);
 * {@code objectLock} whether S3 object lock was enabled at creation (the bucket is then
 * versioned, and its versioning cannot be suspended).
 */
public record BucketRecord(String name, String owner, long createdMillis, String region, String defaultStorageClass,
                           Versioning versioning, boolean objectLock) {

    /** S3 bucket versioning: never enabled, enabled, or suspended after being enabled. */
    public enum Versioning {
        UNVERSIONED, ENABLED, SUSPENDED
    }

    public BucketRecord {
        versioning = versioning == null ? Versioning.UNVERSIONED : versioning;
    }

    public BucketRecord(String name, String owner, long createdMillis, String region, String defaultStorageClass) {
        this(name, owner, createdMillis, region, defaultStorageClass, Versioning.UNVERSIONED, false);
    }

    public BucketRecord(String name, String owner, long createdMillis, String region) {
        this(name, owner, createdMillis, region, null);
    }

    public BucketRecord withDefaultStorageClass(String storageClass) {
        return new BucketRecord(name, owner, createdMillis, region, storageClass, versioning, objectLock);
    }

    public BucketRecord withVersioning(Versioning state) {
        return new BucketRecord(name, owner, createdMillis, region, defaultStorageClass, state, objectLock);
    }

    /** This bucket with object lock enabled, and so versioning. */
    public BucketRecord withObjectLock() {
        return new BucketRecord(name, owner, createdMillis, region, defaultStorageClass, Versioning.ENABLED, true);
    }
}
