package dev.cairn.metadata;

import java.util.List;
import java.util.Objects;

/**
 * The multipart-upload commands of {@link MetaCommand}: start, parts, completion, abort, and
 * forgetting old completions.
 */
public sealed interface UploadCommand<R extends MetaResult> extends MetaCommand<R> {

    /** Starts an upload; its id (32 lowercase hex digits) is chosen by the caller. */
    record CreateUpload(UploadRecord upload) implements UploadCommand<MetaResult.Done> {
        public CreateUpload {
            if (KeyCodec.uploadIdBytes(upload.uploadId()) == null) {
                throw new IllegalArgumentException("upload id must be 32 lowercase hex digits: " + upload.uploadId());
            }
        }

        @Override
        public Type type() {
            return Type.CREATE_UPLOAD;
        }
    }

    /** Records a part with its chunk records; a replaced part's chunks become garbage. */
    record PutPart(String bucket, String key, String uploadId, PartRecord part, List<ChunkRecord> newChunks,
                   long garbageDueMillis) implements UploadCommand<MetaResult.Done> {
        public PutPart {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(uploadId, "uploadId");
            if (part.partNumber() < 1) {
                throw new IllegalArgumentException("part number must be at least 1: " + part.partNumber());
            }
            newChunks = newChunks == null ? List.of() : List.copyOf(newChunks);
        }

        @Override
        public Type type() {
            return Type.PUT_PART;
        }
    }

    /**
     * Completes an upload into {@code object}, whose chunks must be exactly those of
     * {@code chosenParts} in order (else rejected as a Conflict); unchosen parts and the replaced
     * object become garbage. Records the completion ({@link CompletedUpload}, completed at the
     * object's modification time) with {@code partsDigest}, the caller's digest of the part list
     * the completion named, so a retried completion can be answered the same way.
     */
    record CompleteUpload(String bucket, String key, String uploadId, List<Integer> chosenParts, ObjectRecord object,
                          WriteCondition condition, byte[] partsDigest, long garbageDueMillis)
            implements UploadCommand<MetaResult.Replaced> {
        public CompleteUpload {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(uploadId, "uploadId");
            Objects.requireNonNull(object, "object");
            chosenParts = List.copyOf(chosenParts);
            condition = condition == null ? WriteCondition.NONE : condition;
            partsDigest = Objects.requireNonNull(partsDigest, "partsDigest").clone();
        }

        @Override
        public byte[] partsDigest() {
            return partsDigest.clone();
        }

        @Override
        public Type type() {
            return Type.COMPLETE_UPLOAD;
        }
    }

    /** Removes an upload and its parts; their chunks become garbage. */
    record AbortUpload(String bucket, String key, String uploadId, long garbageDueMillis)
            implements UploadCommand<MetaResult.Done> {
        public AbortUpload {
            Objects.requireNonNull(bucket, "bucket");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(uploadId, "uploadId");
        }

        @Override
        public Type type() {
            return Type.ABORT_UPLOAD;
        }
    }

    /**
     * Forgets up to {@code limit} recorded completions made before {@code completedBeforeMillis},
     * oldest first; the result is how many. Not synced: after a crash the same rows are simply
     * forgotten again.
     */
    record ForgetCompletedUploads(long completedBeforeMillis, int limit) implements UploadCommand<MetaResult.Count> {
        public ForgetCompletedUploads {
            if (limit < 0) {
                throw new IllegalArgumentException("negative limit " + limit);
            }
        }

        @Override
        public Type type() {
            return Type.FORGET_COMPLETED_UPLOADS;
        }

        @Override
        public boolean durable() {
            return false;
        }
    }
}
