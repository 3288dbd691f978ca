package dev.cairn.s3.iam;

/** A storage quota: at most {@code maxBytes} bytes and {@code maxObjects} objects; a negative limit is none. */
public record Quota(long maxBytes, long maxObjects) {
    public static final Quota NONE = new Quota(-1, -1);

    public boolean limitsBytes() {
        return maxBytes >= 0;
    }

    public boolean limitsObjects() {
        return maxObjects >= 0;
    }

    public boolean isNone() {
        return !limitsBytes() && !limitsObjects();
    }

    /** Whether storing {@code addBytes} more bytes and {@code addObjects} more objects on top of the usage stays within. */
    public boolean allows(long usedBytes, long usedObjects, long addBytes, long addObjects) {
        return (!limitsBytes() || usedBytes + addBytes <= maxBytes)
                && (!limitsObjects() || usedObjects + addObjects <= maxObjects);
    }
}
