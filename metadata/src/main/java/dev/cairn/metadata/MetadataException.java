package dev.cairn.metadata;

/**
 * Domain errors of the metadata store. The S3 layer maps each to its S3 error. Every subclass but
 * {@link StorageFailure} is a precondition a command can fail on; it travels as a
 * {@link MetaResult.Rejected} and is rebuilt from it, so each carries what that needs.
 */
public class MetadataException extends RuntimeException {
    public MetadataException(String message) {
        super(message);
    }

    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }

    public static final class NoSuchBucket extends MetadataException {
        private final String bucket;

        public NoSuchBucket(String bucket) {
            super("no such bucket: " + bucket);
            this.bucket = bucket;
        }

        public String bucket() {
            return bucket;
        }
    }

    public static final class BucketAlreadyExists extends MetadataException {
        private final BucketRecord existing;

        public BucketAlreadyExists(BucketRecord existing) {
            super("bucket exists: " + existing.name());
            this.existing = existing;
        }

        public BucketRecord existing() {
            return existing;
        }
    }

    public static final class BucketNotEmpty extends MetadataException {
        private final String bucket;

        public BucketNotEmpty(String bucket) {
            super("bucket not empty: " + bucket);
            this.bucket = bucket;
        }

        public String bucket() {
            return bucket;
        }
    }

    public static final class NoSuchUpload extends MetadataException {
        private final String uploadId;

        public NoSuchUpload(String uploadId) {
            super("no such upload: " + uploadId);
            this.uploadId = uploadId;
        }

        public String uploadId() {
            return uploadId;
        }
    }

    public static final class PreconditionFailed extends MetadataException {
        public PreconditionFailed(String message) {
            super(message);
        }
    }

    public static final class NoSuchKey extends MetadataException {
        private final String bucket;
        private final String key;

        public NoSuchKey(String bucket, String key) {
            super("no such key: " + bucket + "/" + key);
            this.bucket = bucket;
            this.key = key;
        }

        public String bucket() {
            return bucket;
        }

        public String key() {
            return key;
        }
    }

    /**
     * A concurrent change made the request's view stale (e.g. a part was uploaded again while its
     * upload was being completed); the request was not applied.
     */
    public static final class Conflict extends MetadataException {
        public Conflict(String message) {
            super(message);
        }
    }

    /**
     * The version is protected by object lock (a retention in force, or a legal hold): it cannot
     * be deleted, nor its retention shortened or removed (GOVERNANCE: unless bypassing).
     */
    public static final class ObjectLocked extends MetadataException {
        public ObjectLocked(String message) {
            super(message);
        }
    }

    /**
     * The metadata disk is (nearly) full: the write was refused or failed for space. Deletes are
     * still accepted while free space lasts above zero, so space can be freed.
     */
    public static final class OutOfSpace extends MetadataException {
        public OutOfSpace(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** RocksDB failed or returned data this version cannot decode. */
    /**
     * Replicated metadata cannot answer now: no leader, or no majority of peers, within the
     * retries (the request may be retried; S3 answers 503).
     */
    public static final class Unavailable extends MetadataException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class StorageFailure extends MetadataException {
        public StorageFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
