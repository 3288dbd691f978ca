package dev.cairn.s3.handler;

import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.CompletedUpload;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PartRecord;
import dev.cairn.metadata.UploadRecord;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import dev.cairn.s3.data.BodyExpectations;
import dev.cairn.s3.data.IngestPipeline;
import dev.cairn.s3.http.Names;
import dev.cairn.s3.http.S3Exchange;
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
import java.util.regex.Pattern;

/** CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts. */
public final class MultipartHandler {
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{32}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_COMPLETE_BODY = 4 * 1024 * 1024;
    /** How long a completion is remembered, so that retries of it get its answer. */
    public static final Duration COMPLETION_MEMORY = Duration.ofHours(1);

    private final S3Services s;

    public MultipartHandler(S3Services services) {
        this.s = services;
    }

    public Future<Void> create(S3Exchange ex) {
        Names.checkKey(ex.key());
        AclRules.checkHeaders(ex);
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
        return s.requireBucket(ex).compose(bucket -> {
            UploadRecord upload = new UploadRecord(ex.bucket(), ex.key(), uploadId, s.clock().millis(), headers, meta,
                    algName, type, ObjectHeaders.storageClass(requestedClass, bucket), s.owner().id(), tags);
            return s.blocking(ex, () -> {
                s.metadata().createUpload(upload);
                return upload;
            });
        }).compose(upload -> {
            if (upload.checksumAlgorithm() != null) {
                ex.response().putHeader("x-amz-checksum-algorithm", upload.checksumAlgorithm());
                ex.response().putHeader("x-amz-checksum-type", upload.checksumType());
            }
            return ex.sendXml(200, MultipartDocuments.initiate(ex.bucket(), ex.key(), uploadId));
        });
    }

    public Future<Void> uploadPart(S3Exchange ex) {
        Names.checkKey(ex.key());
        int partNumber = partNumber(ex.param("partNumber"));
        String uploadId = uploadId(ex);
        return s.requireBucket(ex)
                .compose(b -> upload(ex, uploadId))
                .compose(upload -> {
                    ChecksumAlgorithm alg = upload.checksumAlgorithm() == null ? null
                            : ChecksumAlgorithm.fromName(upload.checksumAlgorithm()).orElse(null);
                    BodyExpectations expect = UploadBodies.expectations(ex, alg, upload.storageClass());
                    return UploadBodies.ingest(s, ex, expect, 0); // parts are always chunks
                })
                .compose(body -> {
                    Checksum checksum = body.checksum() == null ? null : new Checksum(body.checksum().name(),
                            "FULL_OBJECT", Base64.getEncoder().encodeToString(body.checksumDigest()));
                    PartRecord part = new PartRecord(partNumber, body.size(), HexFormat.of().formatHex(body.md5()),
                            s.clock().millis(), checksum, ObjectHandler.refs(body.chunks()));
                    return s.blocking(ex, () -> {
                        s.metadata().putPart(ex.bucket(), ex.key(), uploadId, part, body.chunks());
                        return part;
                    }).recover(err -> {
                        IngestPipeline.discard(body, s.writer(), s.metadata(), s.pool());
                        return Future.failedFuture(err);
                    });
                })
                .compose(part -> {
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
    public Future<Void> complete(S3Exchange ex) {
        Names.checkKey(ex.key());
        String uploadId = uploadId(ex);
        WriteCondition condition = WriteConditions.ofWrite(ex);
        Long declaredSize = objectSizeHeader(ex.header("x-amz-mp-object-size"));
        return s.requireBucket(ex)
                .compose(b -> SmallBodies.read(s, ex, MAX_COMPLETE_BODY))
                .compose(body -> s.blocking(ex, () -> {
                    Optional<UploadRecord> upload = s.metadata().getUpload(ex.bucket(), ex.key(), uploadId);
                    CompletedUpload earlier = upload.isEmpty() ? recentCompletion(ex, uploadId) : null;
                    List<CompletionPlan.Requested> requested = CompletionPlan.parseRequest(body);
                    byte[] digest = CompletionPlan.digest(requested);
                    if (earlier != null) {
                        return sameAnswer(earlier, digest, declaredSize);
                    }
                    CompletionPlan plan = CompletionPlan.build(upload.get(), requested, s.metadata().allParts(uploadId));
                    plan.checkObjectChecksum(ex.request().headers());
                    checkDeclaredSize(declaredSize, plan.size());
                    ObjectRecord object = new ObjectRecord(plan.size(), plan.etag(), s.clock().millis(),
                            upload.get().headers(), upload.get().userMetadata(), plan.checksum(),
                            upload.get().storageClass(), null, plan.chunks(), plan.summaries(), s.owner().id(),
                            upload.get().tags());
                    try {
                        s.metadata().completeUpload(ex.bucket(), ex.key(), uploadId, plan.numbers(), object, condition,
                                digest);
                    } catch (MetadataException.NoSuchUpload raced) { // another completion got there first
                        return sameAnswer(recentCompletion(ex, uploadId), digest, declaredSize);
                    }
                    return new CompletedUpload(ex.bucket(), ex.key(), uploadId, object.modifiedMillis(), object.size(),
                            object.etag(), object.checksum(), digest);
                }))
                .compose(done -> {
                    if (done.checksum() != null) {
                        ObjectHeaders.writeChecksum(ex.response(), done.checksum());
                    }
                    String location = "/" + ex.bucket() + "/" + dev.cairn.s3.xml.S3Url.encode(ex.key());
                    return ex.sendXml(200, MultipartDocuments.complete(location, ex.bucket(), ex.key(), done.etag(),
                            done.checksum()));
                });
    }

    /** The recent completion of an upload of this key that no longer exists; else NoSuchUpload. */
    private CompletedUpload recentCompletion(S3Exchange ex, String uploadId) {
        return s.metadata().getCompletedUpload(uploadId)
                .filter(c -> c.bucket().equals(ex.bucket()) && c.key().equals(ex.key()))
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

    public Future<Void> abort(S3Exchange ex) {
        Names.checkKey(ex.key());
        String uploadId = uploadId(ex);
        return s.requireBucket(ex)
                .compose(b -> s.blocking(ex, () -> {
                    s.metadata().abortUpload(ex.bucket(), ex.key(), uploadId);
                    return null;
                }))
                .compose(v -> ex.sendEmpty(204));
    }

    public Future<Void> listParts(S3Exchange ex) {
        Names.checkKey(ex.key());
        String uploadId = uploadId(ex);
        int max = ListHandler.limit(ex.param("max-parts"), "max-parts");
        int marker = partNumberMarker(ex.param("part-number-marker"), "part-number-marker");
        return s.requireBucket(ex)
                .compose(b -> upload(ex, uploadId))
                .compose(upload -> s.blocking(ex, () -> s.metadata().listParts(uploadId, marker, max))
                        .compose(parts -> {
                            boolean truncated = parts.size() > max;
                            List<PartRecord> page = truncated ? parts.subList(0, max) : parts;
                            return ex.sendXml(200, ListDocuments.listParts(upload, page, marker, max, truncated,
                                    s.owner()));
                        }));
    }

    private Future<UploadRecord> upload(S3Exchange ex, String uploadId) {
        return s.blocking(ex, () -> s.metadata().getUpload(ex.bucket(), ex.key(), uploadId)
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).with("UploadId", uploadId)));
    }

    private static String uploadId(S3Exchange ex) {
        String id = ex.param("uploadId");
        if (id == null || !UPLOAD_ID.matcher(id).matches()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).with("UploadId", id);
        }
        return id;
    }

    static int partNumber(String value) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n >= 1 && n <= CompletionPlan.MAX_PARTS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Part number must be an integer between 1 and 10000, inclusive")
                .with("ArgumentName", "partNumber").with("ArgumentValue", value);
    }

    static int partNumberMarker(String value, String name) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Invalid " + name)
                .with("ArgumentName", name).with("ArgumentValue", value);
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
