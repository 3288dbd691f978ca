package dev.cairn.s3.handler;

import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.CompletedUpload;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PartRecord;
import dev.cairn.metadata.UploadCommand;
import dev.cairn.metadata.UploadRecord;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import dev.cairn.s3.data.BodyExpectations;
import dev.cairn.s3.crypto.DataProtection;
import dev.cairn.s3.crypto.ObjectSealing;
import dev.cairn.s3.crypto.SealingKeys;
import dev.cairn.s3.crypto.SseRequest;
import dev.cairn.s3.data.ChunkCodec;
import dev.cairn.s3.data.IngestResult;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.xml.S3Url;
import dev.cairn.s3.xml.ListDocuments;
import dev.cairn.s3.xml.MultipartDocuments;
import io.vertx.core.Future;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts. */
public final class MultipartHandler {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_COMPLETE_BODY = 4 * 1024 * 1024;
    /** How long a completion is remembered, so that retries of it get its answer. */
    public static final Duration COMPLETION_MEMORY = Duration.ofHours(1);

    private final S3Services s;

    MultipartHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> create(S3Exchange ex, ObjectRequest.CreateMultipartUpload op) {
        String bucket = op.bucket().value();
        String key = op.key().value();
        Map<String, String> headers = ObjectHeaders.systemHeaders(ex.request().headers());
        Map<String, String> meta = ObjectHeaders.userMetadata(ex.request().headers());
        Map<String, String> tags = TagSets.fromHeader(ex);
        String requestedClass = ObjectHeaders.requestedStorageClass(ex.request().headers());
        ChecksumAlgorithm alg = null;
        String algHeader = ex.header("x-amz-checksum-algorithm");
        if (algHeader != null && !algHeader.isBlank()) {
            alg = ChecksumAlgorithm.fromName(algHeader.trim()).orElseThrow(() ->
                    new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported."));
        }
        String type = checksumType(alg, ex.header("x-amz-checksum-type"));
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String uploadId = HexFormat.of().formatHex(id);
        String algName = alg == null ? null : alg.name();
        SseRequest requested = Encryptions.requestedWrite(s, ex, ex.request().headers());
        WriteAcls.ObjectAccess[] access = new WriteAcls.ObjectAccess[1];
        return s.bucketAccess(ex, op.bucket()).compose(a -> {
            access[0] = WriteAcls.forObject(ex.request().headers(), a, ex.principal(), s.identities());
            return s.requireBucket(ex, op.bucket());
        }).compose(b -> s.blocking(ex, () -> {
            DataProtection.Write protection = Encryptions.forWrite(s, bucket, requested);
            long now = s.clock().millis();
            UploadRecord upload = new UploadRecord(bucket, key, uploadId, now,
                    UploadLocks.withLock(s, ex.request().headers(), bucket, headers, now), meta,
                    algName, type, ObjectHeaders.storageClass(requestedClass, b), access[0].owner(), tags,
                    access[0].acl(), protection.sealingBytes());
            s.metadata().createUpload(upload);
            return Map.entry(upload, protection);
        })).compose(created -> {
            UploadRecord upload = created.getKey();
            Encryptions.answer(ex.response(), created.getValue());
            if (upload.checksumAlgorithm() != null) {
                ex.response().putHeader("x-amz-checksum-algorithm", upload.checksumAlgorithm());
                ex.response().putHeader("x-amz-checksum-type", upload.checksumType());
            }
            return ex.sendXml(200, MultipartDocuments.initiate(bucket, key, uploadId));
        });
    }

    Future<Void> uploadPart(S3Exchange ex, ObjectRequest.UploadPart op) {
        int partNumber = op.partNumber();
        String uploadId = op.uploadId().value();
        BucketAccess[] target = new BucketAccess[1];
        SseRequest presented = Encryptions.presented(s, ex, "");
        ObjectSealing[] sealing = new ObjectSealing[1];
        return s.bucketAccess(ex, op.bucket())
                .compose(b -> {
                    target[0] = b;
                    return upload(ex, op);
                })
                .compose(upload -> {
                    ChecksumAlgorithm alg = upload.checksumAlgorithm() == null ? null
                            : ChecksumAlgorithm.fromName(upload.checksumAlgorithm()).orElse(null);
                    BodyExpectations expect = UploadBodies.expectations(ex, alg, upload.storageClass());
                    sealing[0] = Encryptions.sealingOf(upload.sealing());
                    return s.blocking(ex, () -> {
                        ChunkCodec codec = s.protection().forParts(sealing[0], presented,
                                Encryptions.bucketCompression(s, op.bucket().value()));
                        if (expect.declaredLength() >= 0) {
                            s.quotas().check(target[0], expect.declaredLength(), 0); // refused before it is read
                        }
                        return codec;
                    }).compose(codec -> UploadBodies.ingest(s, ex, expect.withCodec(codec, partNumber), 0));
                })
                .compose(write -> {
                    IngestResult body = write.result();
                    Checksum checksum = body.checksum() == null ? null : new Checksum(body.checksum().name(),
                            "FULL_OBJECT", Base64.getEncoder().encodeToString(body.checksumDigest()));
                    PartRecord part = new PartRecord(partNumber, body.size(), HexFormat.of().formatHex(body.md5()),
                            s.clock().millis(), checksum, body.refs());
                    return write.commit(() -> s.blocking(ex, () -> {
                        s.metadata().putPart(op.bucket().value(), op.key().value(), uploadId, part, body.records());
                        return part;
                    }));
                })
                .compose(part -> {
                    Encryptions.answer(ex.response(), sealing[0], presented);
                    ex.response().putHeader("ETag", ObjectHeaders.quote(part.etag()));
                    if (part.checksum() != null) {
                        ex.response().putHeader("x-amz-checksum-" + part.checksum().algorithm().toLowerCase(Locale.ROOT),
                                part.checksum().value());
                    }
                    return ex.sendEmpty(200);
                });
    }

    /**
     * CompleteMultipartUpload. A retry of a completion that already happened (its answer lost to
     * a timeout, or two completions racing) gets the same answer while the completion is recent
     * ({@link #COMPLETION_MEMORY}): the upload is gone, but its completion record names the part
     * list it was completed with; a retry naming other parts is NoSuchUpload.
     */
    Future<Void> complete(S3Exchange ex, ObjectRequest.CompleteMultipartUpload op) {
        String bucket = op.bucket().value();
        String key = op.key().value();
        String uploadId = op.uploadId().value();
        WriteCondition condition = WriteConditions.ofWrite(ex);
        Long declaredSize = objectSizeHeader(ex.header("x-amz-mp-object-size"));
        SseRequest presented = Encryptions.presented(s, ex, "");
        ObjectSealing[] completedSealing = new ObjectSealing[1];
        BucketAccess[] target = new BucketAccess[1];
        return s.bucketAccess(ex, op.bucket())
                .compose(b -> {
                    target[0] = b;
                    return SmallBodies.read(s, ex, MAX_COMPLETE_BODY);
                })
                .compose(body -> s.blocking(ex, () -> {
                    Optional<UploadRecord> upload = s.metadata().getUpload(bucket, key, uploadId);
                    CompletedUpload earlier = upload.isEmpty() ? recentCompletion(op) : null;
                    List<CompletionPlan.Requested> requested = CompletionPlan.parseRequest(body);
                    byte[] digest = CompletionPlan.digest(requested);
                    if (earlier != null) {
                        return sameAnswer(earlier, digest, declaredSize);
                    }
                    CompletionPlan plan;
                    try {
                        plan = CompletionPlan.build(upload.get(), requested, s.metadata().allParts(uploadId));
                    } catch (S3Exception missingParts) {
                        // a racing completion may have taken the parts since the upload was read:
                        // the upload is then gone and its completion record says what it answered
                        if (missingParts.error() == S3ErrorCode.INVALID_PART
                                && s.metadata().getUpload(bucket, key, uploadId).isEmpty()) {
                            return sameAnswer(recentCompletion(op), digest, declaredSize);
                        }
                        throw missingParts;
                    }
                    plan.checkObjectChecksum(ex.request().headers());
                    ObjectSealing sealing = Encryptions.sealingOf(upload.get().sealing());
                    if (presented != null) {
                        SealingKeys.checkPresented(sealing, presented);
                    }
                    completedSealing[0] = sealing;
                    checkDeclaredSize(declaredSize, plan.size());
                    ObjectRecord object = new ObjectRecord(plan.size(), plan.etag(), s.clock().millis(),
                            UploadLocks.objectHeaders(upload.get().headers()), upload.get().userMetadata(), plan.checksum(),
                            upload.get().storageClass(), null, plan.chunks(), plan.summaries(), upload.get().owner(),
                            upload.get().tags(), upload.get().acl(), upload.get().sealing(),
                            UploadLocks.versionAt(s, upload.get().headers(), bucket, s.clock().millis()));
                    try {
                        ObjectRecord written = s.quotas().commit(target[0], key, object.size(), () ->
                                s.metadata().commitAndWait(new UploadCommand.CompleteUpload(bucket, key, uploadId,
                                        plan.numbers(), object, condition, digest, s.metadata().garbageDueMillis()))
                                        .written());
                        if (written.version() != null) {
                            ex.response().putHeader("x-amz-version-id", written.versionId());
                        }
                        Expirations.write(ex.response(), Expirations.on(s, bucket, key, written));
                    } catch (MetadataException.NoSuchUpload raced) { // another completion got there first
                        return sameAnswer(recentCompletion(op), digest, declaredSize);
                    }
                    return new CompletedUpload(bucket, key, uploadId, object.modifiedMillis(), object.size(),
                            object.etag(), object.checksum(), digest);
                }))
                .compose(done -> {
                    Encryptions.answer(ex.response(), completedSealing[0], presented);
                    if (done.checksum() != null) {
                        ObjectHeaders.writeChecksum(ex.response(), done.checksum());
                    }
                    String location = "/" + bucket + "/" + S3Url.encode(key);
                    return ex.sendXml(200, MultipartDocuments.complete(location, bucket, key, done.etag(),
                            done.checksum()));
                });
    }

    /** The recent completion of an upload of this key that no longer exists; else NoSuchUpload. */
    private CompletedUpload recentCompletion(ObjectRequest.CompleteMultipartUpload op) {
        String uploadId = op.uploadId().value();
        return s.metadata().getCompletedUpload(uploadId)
                .filter(c -> c.bucket().equals(op.bucket().value()) && c.key().equals(op.key().value()))
                .filter(c -> c.completedMillis() > s.clock().millis() - COMPLETION_MEMORY.toMillis())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).with("UploadId", uploadId));
    }

    /** A retry naming the parts the completion named gets its answer; other parts are NoSuchUpload. */
    private static CompletedUpload sameAnswer(CompletedUpload done, byte[] digest, Long declaredSize) {
        if (!MessageDigest.isEqual(done.partsDigest(), digest)) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD, "The specified upload was completed with another list "
                    + "of parts.").with("UploadId", done.uploadId());
        }
        checkDeclaredSize(declaredSize, done.size());
        return done;
    }

    private static void checkDeclaredSize(Long declared, long size) {
        if (declared != null && declared != size) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The provided 'x-amz-mp-object-size' header value "
                    + declared + " does not match what was computed: " + size);
        }
    }

    Future<Void> abort(S3Exchange ex, ObjectRequest.AbortMultipartUpload op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> s.blocking(ex, () -> {
                    s.metadata().abortUpload(op.bucket().value(), op.key().value(), op.uploadId().value());
                    return null;
                }))
                .compose(v -> ex.sendEmpty(204));
    }

    Future<Void> listParts(S3Exchange ex, ObjectRequest.ListParts op) {
        String uploadId = op.uploadId().value();
        int max = op.maxParts();
        int marker = op.partNumberMarker();
        return s.requireBucket(ex, op.bucket())
                .compose(b -> upload(ex, op))
                .compose(upload -> s.blocking(ex, () -> s.metadata().listParts(uploadId, marker, max))
                        .compose(parts -> {
                            boolean truncated = parts.size() > max;
                            List<PartRecord> page = truncated ? parts.subList(0, max) : parts;
                            return ex.sendXml(200, ListDocuments.listParts(upload, page, marker, max, truncated,
                                    s::owner));
                        }));
    }

    private Future<UploadRecord> upload(S3Exchange ex, ObjectRequest.OfUpload op) {
        String uploadId = op.uploadId().value();
        return s.blocking(ex, () -> s.metadata().getUpload(op.bucket().value(), op.key().value(), uploadId)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).with("UploadId", uploadId)));
    }

    private static String checksumType(ChecksumAlgorithm alg, String header) {
        if (alg == null) {
            if (header != null) {
                throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
            }
            return null;
        }
        String type = header == null ? (alg == ChecksumAlgorithm.CRC64NVME ? "FULL_OBJECT" : "COMPOSITE")
                : header.trim().toUpperCase(Locale.ROOT);
        if (!type.equals("FULL_OBJECT") && !type.equals("COMPOSITE")) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Value for x-amz-checksum-type header is invalid.");
        }
        if (type.equals("FULL_OBJECT") && !alg.isCrc()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "The FULL_OBJECT checksum type cannot be used with the "
                    + alg.name().toLowerCase(Locale.ROOT) + " checksum algorithm.");
        }
        if (type.equals("COMPOSITE") && alg == ChecksumAlgorithm.CRC64NVME) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
        }
        return type;
    }

    private static Long objectSizeHeader(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid x-amz-mp-object-size");
        }
    }
}
