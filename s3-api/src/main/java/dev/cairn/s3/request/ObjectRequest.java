package dev.cairn.s3.request;

import java.util.List;
import java.util.Map;

/**
 * A request on one object; by default it needs its operation's action on the object. Requests
 * that name a version need the action's "Version" variant (s3:GetObjectVersion...), as on AWS.
 */
public sealed interface ObjectRequest extends BucketRequest {

    ObjectKey key();

    @Override
    default String keyName() {
        return key().value();
    }

    @Override
    default List<Permission> permissions() {
        return List.of(new Permission(operation().action(), bucket(), key()));
    }

    /** A request naming an object version ({@code versionId} null when it names none). */
    sealed interface Versioned extends ObjectRequest {
        VersionId versionId();

        /** The action for a named version: s3:GetObject becomes s3:GetObjectVersion, and so on. */
        @Override
        default List<Permission> permissions() {
            String action = operation().action();
            if (versionId() != null) {
                action = switch (action) {
                    case "s3:GetObject" -> "s3:GetObjectVersion";
                    case "s3:DeleteObject" -> "s3:DeleteObjectVersion";
                    case "s3:GetObjectTagging" -> "s3:GetObjectVersionTagging";
                    case "s3:PutObjectTagging" -> "s3:PutObjectVersionTagging";
                    case "s3:DeleteObjectTagging" -> "s3:DeleteObjectVersionTagging";
                    case "s3:GetObjectAcl" -> "s3:GetObjectVersionAcl";
                    case "s3:PutObjectAcl" -> "s3:PutObjectVersionAcl";
                    case "s3:GetObjectAttributes" -> "s3:GetObjectVersionAttributes";
                    default -> action;
                };
            }
            return List.of(new Permission(action, bucket(), key()));
        }

        @Override
        default Map<String, String> conditionKeys() {
            return versionId() == null ? Map.of() : Map.of("s3:VersionId", versionId().value());
        }
    }

    /** A request of one multipart upload. */
    sealed interface OfUpload extends ObjectRequest {
        UploadId uploadId();
    }

    /** A copy: needs read access to its source too. */
    sealed interface Copy extends ObjectRequest {
        CopySource source();

        @Override
        default List<Permission> permissions() {
            return List.of(new Permission(operation().action(), bucket(), key()), source().permission());
        }
    }

    record PutObject(BucketName bucket, ObjectKey key) implements ObjectRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_OBJECT;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putObject(this, c);
        }
    }

    /**
     * GetObject; {@code partNumber} null for the whole object; {@code responseOverrides} maps
     * response header names to the values the response-* parameters gave.
     */
    record GetObject(BucketName bucket, ObjectKey key, VersionId versionId, Integer partNumber,
                     Map<String, String> responseOverrides) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_OBJECT;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getObject(this, c);
        }
    }

    record HeadObject(BucketName bucket, ObjectKey key, VersionId versionId, Integer partNumber,
                      Map<String, String> responseOverrides) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.HEAD_OBJECT;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.headObject(this, c);
        }
    }

    record GetObjectRetention(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_OBJECT_RETENTION;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getObjectRetention(this, c);
        }
    }

    record PutObjectRetention(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_OBJECT_RETENTION;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putObjectRetention(this, c);
        }
    }

    record GetObjectLegalHold(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_OBJECT_LEGAL_HOLD;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getObjectLegalHold(this, c);
        }
    }

    record PutObjectLegalHold(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_OBJECT_LEGAL_HOLD;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putObjectLegalHold(this, c);
        }
    }

    record DeleteObject(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_OBJECT;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteObject(this, c);
        }
    }

    record CopyObject(BucketName bucket, ObjectKey key, CopySource source) implements Copy {
        @Override
        public S3Operation operation() {
            return S3Operation.COPY_OBJECT;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.copyObject(this, c);
        }
    }

    record GetObjectTagging(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_OBJECT_TAGGING;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getObjectTagging(this, c);
        }
    }

    record PutObjectTagging(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_OBJECT_TAGGING;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putObjectTagging(this, c);
        }
    }

    record DeleteObjectTagging(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.DELETE_OBJECT_TAGGING;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.deleteObjectTagging(this, c);
        }
    }

    record GetObjectAcl(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_OBJECT_ACL;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getObjectAcl(this, c);
        }
    }

    record PutObjectAcl(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.PUT_OBJECT_ACL;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.putObjectAcl(this, c);
        }
    }

    record GetObjectAttributes(BucketName bucket, ObjectKey key, VersionId versionId) implements Versioned {
        @Override
        public S3Operation operation() {
            return S3Operation.GET_OBJECT_ATTRIBUTES;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.getObjectAttributes(this, c);
        }
    }

    record CreateMultipartUpload(BucketName bucket, ObjectKey key) implements ObjectRequest {
        @Override
        public S3Operation operation() {
            return S3Operation.CREATE_MULTIPART_UPLOAD;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.createMultipartUpload(this, c);
        }
    }

    record UploadPart(BucketName bucket, ObjectKey key, UploadId uploadId, int partNumber) implements OfUpload {
        @Override
        public S3Operation operation() {
            return S3Operation.UPLOAD_PART;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.uploadPart(this, c);
        }
    }

    record UploadPartCopy(BucketName bucket, ObjectKey key, UploadId uploadId, int partNumber, CopySource source)
            implements OfUpload, Copy {
        @Override
        public List<Permission> permissions() {
            return Copy.super.permissions();
        }

        @Override
        public S3Operation operation() {
            return S3Operation.UPLOAD_PART_COPY;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.uploadPartCopy(this, c);
        }
    }

    record CompleteMultipartUpload(BucketName bucket, ObjectKey key, UploadId uploadId) implements OfUpload {
        @Override
        public S3Operation operation() {
            return S3Operation.COMPLETE_MULTIPART_UPLOAD;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.completeMultipartUpload(this, c);
        }
    }

    record AbortMultipartUpload(BucketName bucket, ObjectKey key, UploadId uploadId) implements OfUpload {
        @Override
        public S3Operation operation() {
            return S3Operation.ABORT_MULTIPART_UPLOAD;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.abortMultipartUpload(this, c);
        }
    }

    record ListParts(BucketName bucket, ObjectKey key, UploadId uploadId, int maxParts, int partNumberMarker)
            implements OfUpload {
        @Override
        public S3Operation operation() {
            return S3Operation.LIST_PARTS;
        }

        @Override
        public <C, R> R accept(Visitor<C, R> v, C c) {
            return v.listParts(this, c);
        }
    }
}
