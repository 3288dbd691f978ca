package dev.cairn.metadata;

import java.util.Objects;
import java.util.Optional;

/**
 * What applying a {@link MetaCommand} gave: the value the command's type promises, or
 * {@link Rejected} when a precondition failed (the command then changed nothing). Results are
 * values with a binary form ({@link ResultCodec}), so a replica that applied a command can answer
 * the gateway that sent it.
 */
public sealed interface MetaResult {

    /** A command with nothing to return. */
    record Done() implements MetaResult {
    }

    Done DONE = new Done();

    /**
     * The object a write replaced or removed (empty when there was none), and the record it wrote
     * as stored, with the version the state machine gave it (null when it wrote none).
     */
    record Replaced(Optional<ObjectRecord> previous, ObjectRecord written) implements MetaResult {
        public Replaced {
            Objects.requireNonNull(previous, "previous");
        }

        public Replaced(Optional<ObjectRecord> previous) {
            this(previous, null);
        }
    }

    /** The bucket as the command left it. */
    record BucketResult(BucketRecord bucket) implements MetaResult {
    }

    /** The object as the command left it. */
    record ObjectResult(ObjectRecord object) implements MetaResult {
    }

    /** The cluster-map version after a membership change. */
    record MapVersion(long version) implements MetaResult {
    }

    /** Whether a compare-and-set went through ({@code false}: the state was not the expected one). */
    record Swapped(boolean applied) implements MetaResult {
    }

    /** How many rows a command removed. */
    record Count(int count) implements MetaResult {
    }

    /** The writer epoch a command opened. */
    record Epoch(long epoch) implements MetaResult {
    }

    /**
     * A command that could not be applied because of what it found (a value it cannot decode, a
     * broken invariant): it changed nothing, and the caller gets a
     * {@link MetadataException.StorageFailure} with this message. Every replica applying the same
     * command to the same state fails it the same way.
     */
    record Failed(String message) implements MetaResult {
        public Failed {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A refused command: which precondition failed, with what the matching
     * {@link MetadataException} needs ({@code subject}: the bucket or upload id; {@code detail}:
     * the key or a message; {@code existing}: the bucket for BUCKET_EXISTS).
     */
    record Rejected(Reason reason, String subject, String detail, BucketRecord existing) implements MetaResult {
        public enum Reason {
            NO_SUCH_BUCKET(1), BUCKET_EXISTS(2), BUCKET_NOT_EMPTY(3), NO_SUCH_UPLOAD(4), NO_SUCH_KEY(5),
            PRECONDITION_FAILED(6), CONFLICT(7), OBJECT_LOCKED(8);

            final int tag;

            Reason(int tag) {
                this.tag = tag;
            }

            static Reason ofTag(int tag) {
                for (Reason r : values()) {
                    if (r.tag == tag) {
                        return r;
                    }
                }
                throw new IllegalArgumentException("unknown rejection tag " + tag);
            }
        }

        public Rejected {
            Objects.requireNonNull(reason, "reason");
            if (reason == Reason.BUCKET_EXISTS) {
                Objects.requireNonNull(existing, "existing");
            }
        }

        /** The rejection of a domain exception thrown while applying; StorageFailure is not a rejection. */
        static Rejected of(MetadataException e) {
            if (e instanceof MetadataException.NoSuchBucket x) {
                return new Rejected(Reason.NO_SUCH_BUCKET, x.bucket(), null, null);
            } else if (e instanceof MetadataException.BucketAlreadyExists x) {
                return new Rejected(Reason.BUCKET_EXISTS, x.existing().name(), null, x.existing());
            } else if (e instanceof MetadataException.BucketNotEmpty x) {
                return new Rejected(Reason.BUCKET_NOT_EMPTY, x.bucket(), null, null);
            } else if (e instanceof MetadataException.NoSuchUpload x) {
                return new Rejected(Reason.NO_SUCH_UPLOAD, x.uploadId(), null, null);
            } else if (e instanceof MetadataException.NoSuchKey x) {
                return new Rejected(Reason.NO_SUCH_KEY, x.bucket(), x.key(), null);
            } else if (e instanceof MetadataException.PreconditionFailed x) {
                return new Rejected(Reason.PRECONDITION_FAILED, null, x.getMessage(), null);
            } else if (e instanceof MetadataException.Conflict x) {
                return new Rejected(Reason.CONFLICT, null, x.getMessage(), null);
            } else if (e instanceof MetadataException.ObjectLocked x) {
                return new Rejected(Reason.OBJECT_LOCKED, null, x.getMessage(), null);
            }
            throw e;
        }

        /** The domain exception this rejection stands for (a new instance each call). */
        public MetadataException toException() {
            return switch (reason) {
                case NO_SUCH_BUCKET -> new MetadataException.NoSuchBucket(subject);
                case BUCKET_EXISTS -> new MetadataException.BucketAlreadyExists(existing);
                case BUCKET_NOT_EMPTY -> new MetadataException.BucketNotEmpty(subject);
                case NO_SUCH_UPLOAD -> new MetadataException.NoSuchUpload(subject);
                case NO_SUCH_KEY -> new MetadataException.NoSuchKey(subject, detail);
                case PRECONDITION_FAILED -> new MetadataException.PreconditionFailed(detail);
                case CONFLICT -> new MetadataException.Conflict(detail);
                case OBJECT_LOCKED -> new MetadataException.ObjectLocked(detail);
            };
        }
    }
}
