package dev.cairn.s3.access;

/**
 * S3 Object Ownership. BucketOwnerEnforced (the default for new buckets) disables ACLs: the
 * bucket owner owns every object and only policies grant access. With BucketOwnerPreferred an
 * object written with bucket-owner-full-control belongs to the bucket owner; with ObjectWriter
 * the writer owns what it writes. ACLs count under both.
 */
public enum ObjectOwnership {
    BUCKET_OWNER_ENFORCED("BucketOwnerEnforced"),
    BUCKET_OWNER_PREFERRED("BucketOwnerPreferred"),
    OBJECT_WRITER("ObjectWriter");

    private final String wireName;

    ObjectOwnership(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean aclsEnabled() {
        return this != BUCKET_OWNER_ENFORCED;
    }

    /** The setting named {@code value} (x-amz-object-ownership, ObjectOwnership), or null. */
    public static ObjectOwnership named(String value) {
        for (ObjectOwnership o : values()) {
            if (o.wireName.equals(value)) {
                return o;
            }
        }
        return null;
    }
}
