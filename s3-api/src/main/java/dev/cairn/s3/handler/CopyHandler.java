package dev.cairn.s3.handler;

import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.PartRecord;
import dev.cairn.metadata.UploadRecord;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import dev.cairn.s3.crypto.DataProtection;
import dev.cairn.s3.crypto.ObjectSealing;
import dev.cairn.s3.crypto.SseRequest;
import dev.cairn.s3.data.ChunkCodec;
import dev.cairn.s3.data.ObjectCopier;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.CopySource;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.xml.CopyDocuments;
import io.vertx.core.Future;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CopyObject, same or cross bucket, and UploadPartCopy. COPY keeps the source's headers and metadata, REPLACE takes
 * them from the request. Copying an object onto itself (how rclone updates a modification time)
 * keeps its chunks and only rewrites the record; any other copy streams the data chunk by chunk
 * into new chunks.
 */
final class CopyHandler {
    private final S3Services s;
    private final ObjectCopier copier;

    CopyHandler(S3Services services, ObjectCopier copier) {
        this.s = services;
        this.copier = copier;
    }

    Future<Void> copyObject(S3Exchange ex, ObjectRequest.CopyObject op) {
        CopySource source = op.source();
        if (ex.header("x-amz-copy-source-range") != null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The x-amz-copy-source-range header is only allowed with UploadPartCopy");
        }
        boolean replace = directive(ex.header("x-amz-metadata-directive"), "metadata");
        Map<String, String> newTags = directive(ex.header("x-amz-tagging-directive"), "tagging")
                ? TagSets.fromHeader(ex) : null;
        Map<String, String> newHeaders = replace ? ObjectHeaders.systemHeaders(ex.request().headers()) : null;
        Map<String, String> newMeta = replace ? ObjectHeaders.userMetadata(ex.request().headers()) : null;
        String requestedClass = ObjectHeaders.requestedStorageClass(ex.request().headers());
        ChecksumAlgorithm requested = checksumAlgorithm(ex.header("x-amz-checksum-algorithm"));
        WriteCondition condition = WriteConditions.ofWrite(ex);
        SseRequest sourceKey = Encryptions.presented(s, ex, SseRequest.COPY_PREFIX);
        SseRequest sse = Encryptions.requestedWrite(s, ex, ex.request().headers());
        boolean self = source.bucket().equals(op.bucket()) && source.key().equals(op.key());
        String[] storageClass = new String[1];
        DataProtection.Write[] protection = new DataProtection.Write[1];
        ChunkCodec[] sourceCodec = new ChunkCodec[1];
        WriteAcls.ObjectAccess[] access = new WriteAcls.ObjectAccess[1];
        BucketAccess[] bucketTarget = new BucketAccess[1];
        return s.bucketAccess(ex, op.bucket())
                .compose(b -> {
                    bucketTarget[0] = b;
                    access[0] = WriteAcls.forObject(ex.request().headers(), b, ex.principal(), s.identities());
                    return s.requireBucket(ex, op.bucket());
                })
                .compose(b -> s.blocking(ex, () -> {
                    storageClass[0] = ObjectHeaders.storageClass(requestedClass, b);
                    ObjectRecord src = sourceObject(source);
                    sourceCodec[0] = s.protection().forRead(Encryptions.sealingOf(src.sealing()), sourceKey);
                    protection[0] = Encryptions.forWrite(s, op.bucket().value(), sse);
                    return src;
                }))
                .compose(src -> {
                    CopyConditions.check(ex, src);
                    DataProtection.Write target = protection[0];
                    Map<String, String> headers = replace ? newHeaders : src.headers();
                    Map<String, String> meta = replace ? newMeta : src.userMetadata();
                    Map<String, String> tags = newTags != null ? newTags : src.tags();
                    if (src.version() != null) {
                        ex.response().putHeader("x-amz-copy-source-version-id", src.versionId());
                    }
                    if (self && source.versionId() == null && !replace && newTags == null && requestedClass == null
                            && requested == null && sse.mode() == null && !target.sealed() && src.sealing() == null) {
                        throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "This copy request is illegal because it "
                                + "is trying to copy an object to itself without changing the object's metadata, "
                                + "storage class, website redirect location or encryption attributes.");
                    }
                    if (self && !target.sealed() && src.sealing() == null && (requested == null
                            || src.checksum() != null && src.checksum().algorithm().equals(requested.name()))) {
                        ObjectRecord updated = new ObjectRecord(src.size(), src.etag(), s.clock().millis(), headers,
                                meta, src.checksum(), storageClass[0], src.inline(), src.chunks(), src.parts(),
                                access[0].owner(), tags, access[0].acl());
                        return commit(ex, op, bucketTarget[0], updated, List.of(), condition);
                    }
                    ChecksumAlgorithm alg = requested != null ? requested : src.checksum() == null ? null
                            : ChecksumAlgorithm.fromName(src.checksum().algorithm()).orElse(null);
                    return Future.fromCompletionStage(copier.copy(src, 0, src.size(), storageClass[0], alg,
                                    !target.sealed(), new ObjectCopier.Codecs(sourceCodec[0], target.codec(), 0)),
                                    ex.context())
                            .compose(copy -> {
                                Checksum checksum = alg == null ? null : new Checksum(alg.name(), "FULL_OBJECT",
                                        Base64.getEncoder().encodeToString(copy.checksumDigest()));
                                ObjectRecord created = new ObjectRecord(src.size(),
                                        HexFormat.of().formatHex(copy.md5()), s.clock().millis(), headers, meta,
                                        checksum, storageClass[0], copy.inline(), copy.refs(),
                                        List.of(), access[0].owner(), tags, access[0].acl(), target.sealingBytes());
                                return commit(ex, op, bucketTarget[0], created, copy.records(), condition)
                                        .recover(err -> {
                                            s.writer().discard(copy.records());
                                            return Future.failedFuture(err);
                                        });
                            });
                })
                .compose(record -> Expirations.of(s, ex, op.bucket().value(), op.key().value(), null, record)
                        .compose(expiration -> {
                            Encryptions.answer(ex.response(), protection[0]);
                            if (record.version() != null) {
                                ex.response().putHeader("x-amz-version-id", record.versionId());
                            }
                            Expirations.write(ex.response(), expiration);
                            return ex.sendXml(200, CopyDocuments.copyObjectResult(record.etag(),
                                    record.modifiedMillis(), record.checksum()));
                        }));
    }

    /** UploadPartCopy: a byte range (x-amz-copy-source-range) or all of an object becomes a part. */
    Future<Void> uploadPartCopy(S3Exchange ex, ObjectRequest.UploadPartCopy op) {
        int partNumber = op.partNumber();
        String uploadId = op.uploadId().value();
        String rangeHeader = ex.header("x-amz-copy-source-range");
        SseRequest sourceKey = Encryptions.presented(s, ex, SseRequest.COPY_PREFIX);
        SseRequest presented = Encryptions.presented(s, ex, "");
        ObjectCopier.Codecs[] codecs = new ObjectCopier.Codecs[1];
        ObjectSealing[] uploadSealing = new ObjectSealing[1];
        return s.requireBucket(ex, op.bucket())
                .compose(b -> s.blocking(ex, () -> {
                    UploadRecord upload = s.metadata().getUpload(op.bucket().value(), op.key().value(), uploadId)
                            .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).with("UploadId", uploadId));
                    ObjectRecord src = sourceObject(op.source());
                    uploadSealing[0] = Encryptions.sealingOf(upload.sealing());
                    codecs[0] = new ObjectCopier.Codecs(
                            s.protection().forRead(Encryptions.sealingOf(src.sealing()), sourceKey),
                            s.protection().forParts(uploadSealing[0], presented,
                                    Encryptions.bucketCompression(s, op.bucket().value())),
                            partNumber);
                    return Map.entry(upload, src);
                }))
                .compose(found -> {
                    UploadRecord upload = found.getKey();
                    ObjectRecord src = found.getValue();
                    CopyConditions.check(ex, src);
                    long[] range = copyRange(rangeHeader, src.size());
                    ChecksumAlgorithm alg = upload.checksumAlgorithm() == null ? null
                            : ChecksumAlgorithm.fromName(upload.checksumAlgorithm()).orElse(null);
                    return Future.fromCompletionStage(copier.copy(src, range[0], range[1], upload.storageClass(), alg,
                            false, codecs[0]), ex.context()).compose(copy -> {
                                Checksum checksum = alg == null ? null : new Checksum(alg.name(), "FULL_OBJECT",
                                        Base64.getEncoder().encodeToString(copy.checksumDigest()));
                                PartRecord part = new PartRecord(partNumber, range[1],
                                        HexFormat.of().formatHex(copy.md5()), s.clock().millis(), checksum,
                                        copy.refs());
                                return s.blocking(ex, () -> {
                                    s.metadata().putPart(op.bucket().value(), op.key().value(), uploadId, part,
                                            copy.records());
                                    return part;
                                }).recover(err -> {
                                    s.writer().discard(copy.records());
                                    return Future.failedFuture(err);
                                });
                            });
                })
                .map(part -> {
                    Encryptions.answer(ex.response(), uploadSealing[0], presented);
                    return part;
                })
                .compose(part -> ex.sendXml(200, CopyDocuments.copyPartResult(part.etag(), part.modifiedMillis(),
                        part.checksum())));
    }

    /** {start, length} of x-amz-copy-source-range ("bytes=first-last"), or the whole object. */
    static long[] copyRange(String header, long size) {
        if (header == null) {
            return new long[]{0, size};
        }
        String h = header.trim();
        try {
            if (h.startsWith("bytes=")) {
                String[] ab = h.substring("bytes=".length()).split("-", -1);
                if (ab.length == 2 && !ab[0].isBlank() && !ab[1].isBlank()) {
                    long first = Long.parseLong(ab[0].trim());
                    long last = Long.parseLong(ab[1].trim());
                    if (first >= 0 && first <= last && last < size) {
                        return new long[]{first, last - first + 1};
                    }
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                            "Range specified is not valid for source object of size: " + size)
                            .with("ArgumentName", "x-amz-copy-source-range").with("ArgumentValue", header);
                }
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The x-amz-copy-source-range value must be of the form "
                + "bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
                .with("ArgumentName", "x-amz-copy-source-range").with("ArgumentValue", header);
    }

    /**
     * The copy's source version (blocking): the current object, or the version named; NoSuchBucket,
     * NoSuchKey or NoSuchVersion naming the source, InvalidRequest for a delete marker named by id.
     */
    private ObjectRecord sourceObject(CopySource source) {
        if (s.metadata().getBucket(source.bucket().value()).isEmpty()) {
            throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", source.bucket().value());
        }
        String id = source.versionId() == null ? null : source.versionId().value();
        ObjectRecord o = s.metadata().getObjectVersion(source.bucket().value(), source.key().value(), id)
                .orElseThrow(() -> id == null ? new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", source.key().value())
                        : new S3Exception(S3ErrorCode.NO_SUCH_VERSION).with("Key", source.key().value())
                        .with("VersionId", id));
        if (o.isDeleteMarker()) {
            throw id == null ? new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", source.key().value())
                    : new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The source of a copy request may not specifically refer to a delete marker by version id.");
        }
        return o;
    }

    /** Stores the copy as a new version (its id proposed here); the record as stored. */
    private Future<ObjectRecord> commit(S3Exchange ex, ObjectRequest.CopyObject op, BucketAccess target,
                                        ObjectRecord record, List<ChunkRecord> chunks, WriteCondition condition) {
        return s.blocking(ex, () -> {
            ObjectRecord proposed = record.withVersion(ObjectLocks.versionFor(s, ex.request().headers(),
                    op.bucket().value(), record.modifiedMillis(), false));
            return s.quotas().commit(target, op.key().value(), record.size(),
                    () -> s.metadata().commitAndWait(new MetaCommand.PutObject(op.bucket().value(), op.key().value(),
                            proposed, chunks, condition, s.metadata().garbageDueMillis())).written());
        });
    }

    /** Whether an x-amz-{metadata,tagging}-directive header says REPLACE (COPY is the default). */
    private static boolean directive(String header, String what) {
        if (header == null || header.equalsIgnoreCase("COPY")) {
            return false;
        }
        if (header.equalsIgnoreCase("REPLACE")) {
            return true;
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown " + what + " directive.")
                .with("ArgumentName", "x-amz-" + what + "-directive").with("ArgumentValue", header);
    }

    private static ChecksumAlgorithm checksumAlgorithm(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        return ChecksumAlgorithm.fromName(header.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported."));
    }
}
