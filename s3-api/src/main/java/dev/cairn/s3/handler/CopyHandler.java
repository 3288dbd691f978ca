package dev.cairn.s3.handler;

import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.checksum.ChecksumAlgorithm;
import dev.cairn.s3.data.ObjectCopier;
import dev.cairn.s3.http.Names;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.xml.CopyDocuments;
import io.vertx.core.Future;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CopyObject, same or cross bucket. COPY keeps the source's headers and metadata, REPLACE takes
 * them from the request. Copying an object onto itself (how rclone updates a modification time)
 * keeps its chunks and only rewrites the record; any other copy streams the data chunk by chunk
 * into new chunks.
 */
public final class CopyHandler {
    private final S3Services s;
    private final ObjectCopier copier;

    public CopyHandler(S3Services services, ObjectCopier copier) {
        this.s = services;
        this.copier = copier;
    }

    public Future<Void> copyObject(S3Exchange ex) {
        Names.checkKey(ex.key());
        BucketHandler.checkAcl(ex);
        CopySource source = CopySource.parse(ex.header("x-amz-copy-source"));
        Names.checkKey(source.key());
        if (ex.header("x-amz-copy-source-range") != null) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                    "The x-amz-copy-source-range header is only allowed with UploadPartCopy");
        }
        boolean replace = directive(ex.header("x-amz-metadata-directive"));
        Map<String, String> newHeaders = replace ? ObjectHeaders.systemHeaders(ex.request().headers()) : null;
        Map<String, String> newMeta = replace ? ObjectHeaders.userMetadata(ex.request().headers()) : null;
        String requestedClass = ObjectHeaders.requestedStorageClass(ex.request().headers());
        ChecksumAlgorithm requested = checksumAlgorithm(ex.header("x-amz-checksum-algorithm"));
        WriteCondition condition = ObjectHandler.writeCondition(ex);
        boolean self = source.bucket().equals(ex.bucket()) && source.key().equals(ex.key());
        String[] storageClass = new String[1];
        return s.requireBucket(ex)
                .compose(b -> s.blocking(ex, () -> {
                    storageClass[0] = ObjectHeaders.storageClass(requestedClass, b);
                    if (s.metadata().getBucket(source.bucket()).isEmpty()) {
                        throw new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", source.bucket());
                    }
                    return s.metadata().getObject(source.bucket(), source.key()).orElseThrow(() ->
                            new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", source.key()));
                }))
                .compose(src -> {
                    CopySource.checkConditions(ex, src);
                    Map<String, String> headers = replace ? newHeaders : src.headers();
                    Map<String, String> meta = replace ? newMeta : src.userMetadata();
                    if (self && !replace && requestedClass == null && requested == null) {
                        throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "This copy request is illegal because it "
                                + "is trying to copy an object to itself without changing the object's metadata, "
                                + "storage class, website redirect location or encryption attributes.");
                    }
                    if (self && (requested == null || src.checksum() != null
                            && src.checksum().algorithm().equals(requested.name()))) {
                        ObjectRecord updated = new ObjectRecord(src.size(), src.etag(), s.clock().millis(), headers,
                                meta, src.checksum(), storageClass[0], src.inline(), src.chunks(), src.parts(),
                                s.owner().id());
                        return commit(ex, updated, List.of(), condition);
                    }
                    ChecksumAlgorithm alg = requested != null ? requested : src.checksum() == null ? null
                            : ChecksumAlgorithm.fromName(src.checksum().algorithm()).orElse(null);
                    return Future.fromCompletionStage(copier.copy(src, storageClass[0], alg), ex.context())
                            .compose(copy -> {
                                Checksum checksum = alg == null ? null : new Checksum(alg.name(), "FULL_OBJECT",
                                        Base64.getEncoder().encodeToString(copy.checksumDigest()));
                                ObjectRecord created = new ObjectRecord(src.size(),
                                        HexFormat.of().formatHex(copy.md5()), s.clock().millis(), headers, meta,
                                        checksum, storageClass[0], copy.inline(), ObjectHandler.refs(copy.chunks()),
                                        List.of(), s.owner().id());
                                return commit(ex, created, copy.chunks(), condition).recover(err -> {
                                    s.writer().discard(copy.chunks());
                                    return Future.failedFuture(err);
                                });
                            });
                })
                .compose(record -> ex.sendXml(200, CopyDocuments.copyObjectResult(record.etag(),
                        record.modifiedMillis(), record.checksum())));
    }

    private Future<ObjectRecord> commit(S3Exchange ex, ObjectRecord record, List<ChunkRecord> chunks,
                                        WriteCondition condition) {
        return s.blocking(ex, () -> {
            s.metadata().putObject(ex.bucket(), ex.key(), record, chunks, condition);
            return record;
        });
    }

    private static boolean directive(String header) {
        if (header == null || header.equalsIgnoreCase("COPY")) {
            return false;
        }
        if (header.equalsIgnoreCase("REPLACE")) {
            return true;
        }
        throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Unknown metadata directive.")
                .with("ArgumentName", "x-amz-metadata-directive").with("ArgumentValue", header);
    }

    private static ChecksumAlgorithm checksumAlgorithm(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        return ChecksumAlgorithm.fromName(header.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                new S3Exception(S3ErrorCode.INVALID_REQUEST, "Checksum algorithm provided is unsupported."));
    }
}
