package dev.cairn.s3.handler;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.data.BodyExpectations;
import dev.cairn.s3.crypto.DataProtection;
import dev.cairn.s3.crypto.ObjectSealing;
import dev.cairn.s3.crypto.SealingKeys;
import dev.cairn.s3.crypto.SseRequest;
import dev.cairn.s3.data.ChunkCodec;
import dev.cairn.s3.data.IngestResult;
import dev.cairn.s3.data.PieceRegionWriter;
import dev.cairn.s3.data.UncommittedWrite;
import dev.cairn.s3.access.BucketAccess;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketName;
import dev.cairn.s3.request.ObjectKey;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.request.S3Operation;
import dev.cairn.s3.request.VersionId;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** PutObject, GetObject, HeadObject and DeleteObject. */
final class ObjectHandler {
    private final S3Services s;

    ObjectHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> put(S3Exchange ex, ObjectRequest.PutObject op) {
        Map<String, String> headers = ObjectHeaders.systemHeaders(ex.request().headers());
        Map<String, String> meta = ObjectHeaders.userMetadata(ex.request().headers());
        Map<String, String> tags = TagSets.fromHeader(ex);
        String requestedClass = ObjectHeaders.requestedStorageClass(ex.request().headers());
        WriteCondition condition = WriteConditions.ofWrite(ex);
        BodyExpectations headersChecked = UploadBodies.expectations(ex, null, requestedClass);
        SseRequest requested = Encryptions.requestedWrite(s, ex, ex.request().headers());
        WriteAcls.ObjectAccess[] access = new WriteAcls.ObjectAccess[1];
        BucketAccess[] bucketAccess = new BucketAccess[1];
        return s.bucketAccess(ex, op.bucket())
                .compose(b -> {
                    bucketAccess[0] = b;
                    access[0] = WriteAcls.forObject(ex.request().headers(), b, ex.principal(), s.identities());
                    long declared = headersChecked.declaredLength();
                    return s.blocking(ex, () -> { // one trip to the worker pool: a small PUT is mostly such trips
                        if (declared >= 0) {
                            s.quotas().checkWrite(b, op.key().value(), declared); // before the body is read
                        }
                        BucketRecord bucket = s.metadata().getBucket(op.bucket().value()).orElseThrow(() ->
                                new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", op.bucket().value()));
                        return Map.entry(bucket, Encryptions.forWrite(s, op.bucket().value(), requested));
                    });
                })
                .compose(found -> {
                    DataProtection.Write protection = found.getValue();
                    String sc = ObjectHeaders.storageClass(requestedClass, found.getKey());
                    return UploadBodies.ingest(s, ex, headersChecked.withStorageClass(sc).withCodec(
                            protection.codec(), 0), inlineThreshold(s, protection))
                            .compose(body -> commit(s, ex, bucketAccess[0], op.key(), body, sc, headers, meta, tags,
                                    condition, access[0], protection));
                })
                .compose(record -> Expirations.of(s, ex, op.bucket().value(), op.key().value(), null, record)
                        .compose(expiration -> {
                            writeEtagAndChecksum(ex.response(), record);
                            Expirations.write(ex.response(), expiration);
                            return ex.sendEmpty(200);
                        }));
    }

    /** Encrypted data is never kept inline in metadata: only chunks are encrypted. */
    static int inlineThreshold(S3Services s, DataProtection.Write protection) {
        return protection.sealed() ? 0 : s.config().inlineThreshold();
    }

    /**
     * Stores an ingested body as object {@code key} of {@code bucket} (PutObject, POST Object),
     * within the bucket's and its owner's quotas; its chunks are discarded when the commit fails.
     */
    static Future<ObjectRecord> commit(S3Services s, S3Exchange ex, BucketAccess bucket, ObjectKey key,
                                       UncommittedWrite write,
                                       String storageClass, Map<String, String> headers, Map<String, String> meta,
                                       Map<String, String> tags, WriteCondition condition,
                                       WriteAcls.ObjectAccess access, DataProtection.Write protection) {
        IngestResult body = write.result();
        String etag = HexFormat.of().formatHex(body.md5());
        Checksum checksum = body.checksum() == null ? null : new Checksum(body.checksum().name(),
                "FULL_OBJECT", Base64.getEncoder().encodeToString(body.checksumDigest()));
        long now = s.clock().millis();
        ObjectRecord record = new ObjectRecord(body.size(), etag, now, headers, meta,
                checksum, storageClass, body.inline(), body.refs(), List.of(), access.owner(), tags,
                access.acl(), protection.sealingBytes());
        boolean integrityRequired = ex.op() != null && ex.op().operation() == S3Operation.PUT_OBJECT;
        return write.commit(() -> s.blocking(ex, () -> {
                    ObjectRecord proposed = record.withVersion(ObjectLocks.versionFor(s, ex.request().headers(),
                            bucket.bucket(), now, integrityRequired));
                    return s.quotas().commit(bucket, key.value(), record.size(),
                            () -> s.metadata().commitAndWait(new MetaCommand.PutObject(bucket.bucket(), key.value(),
                                    proposed, body.records(), condition, s.metadata().garbageDueMillis())).written());
                }))
                .map(written -> {
                    Encryptions.answer(ex.response(), protection);
                    return written;
                });
    }

    /** ETag, checksum and, for a version a versioned bucket made, {@code x-amz-version-id} of a write. */
    static void writeEtagAndChecksum(HttpServerResponse r, ObjectRecord record) {
        if (record.version() != null) {
            r.putHeader("x-amz-version-id", record.versionId());
        }
        r.putHeader("ETag", ObjectHeaders.quote(record.etag()));
        if (record.checksum() != null) {
            ObjectHeaders.writeChecksum(r, record.checksum());
        }
    }

    Future<Void> get(S3Exchange ex, ObjectRequest.GetObject op) {
        return read(ex, op.bucket(), op.key(), op.versionId(), op.partNumber(), op.responseOverrides(), false);
    }

    Future<Void> head(S3Exchange ex, ObjectRequest.HeadObject op) {
        return read(ex, op.bucket(), op.key(), op.versionId(), op.partNumber(), op.responseOverrides(), true);
    }

    private Future<Void> read(S3Exchange ex, BucketName bucket, ObjectKey key, VersionId versionId, Integer partNumber,
                              Map<String, String> overrides, boolean head) {
        SseRequest presented = Encryptions.presented(s, ex, "");
        String[] expiration = new String[1];
        return s.requireVersion(ex, bucket, key, versionId)
                .compose(o -> Expirations.of(s, ex, bucket.value(), key.value(), versionId, o)
                        .map(h -> {
                            expiration[0] = h;
                            return o;
                        }))
                .compose(o -> {
                    ObjectSealing sealing = Encryptions.sealingOf(o.sealing());
                    SealingKeys.checkPresented(sealing, presented); // before preconditions, as S3 does
                    Preconditions.check(ex, o);
                    ByteRange range;
                    Checksum checksum;
                    if (partNumber != null) {
                        if (ex.header("Range") != null) {
                            throw new S3Exception(S3ErrorCode.INVALID_REQUEST,
                                    "Cannot specify both Range header and partNumber query parameter");
                        }
                        PartSlice part = PartSlice.of(o, partNumber);
                        ex.response().putHeader("x-amz-mp-parts-count", Integer.toString(part.partsCount()));
                        range = part.range();
                        checksum = part.checksum();
                    } else {
                        range = ByteRange.parse(ex.header("Range"), o.size());
                        checksum = range == null ? o.checksum() : null;
                    }
                    HttpServerResponse r = ex.response();
                    boolean checksumMode = "ENABLED".equalsIgnoreCase(ex.header("x-amz-checksum-mode"));
                    long start = range == null ? 0 : range.start();
                    long length = range == null ? o.size() : range.length();
                    Runnable headers = () -> {
                        ObjectHeaders.write(r, o, checksumMode ? checksum : null);
                        ObjectLocks.writeHeaders(r, o);
                        Expirations.write(r, expiration[0]);
                        Encryptions.answer(r, sealing, presented);
                        overrides.forEach(r::putHeader);
                        r.putHeader("Content-Length", Long.toString(length));
                        if (range != null) {
                            r.setStatusCode(206);
                            r.putHeader("Content-Range", range.contentRange(o.size()));
                        } else {
                            r.setStatusCode(200);
                        }
                    };
                    if (head) {
                        headers.run();
                        return r.end();
                    }
                    // the first segment is read before any header: if it cannot be, the answer is an error (503)
                    PieceRegionWriter regions = o.isInline() ? null : PieceRegionWriter.of(ex.request());
                    if (regions != null) {
                        ex.bodyBytesSentAside(regions::bytesSent);
                    }
                    Future<ChunkCodec> codecFor = sealing == null
                            ? Future.succeededFuture(s.protection().forRead(null, presented)) // no key to read
                            : s.blocking(ex, () -> s.protection().forRead(sealing, presented));
                    return codecFor
                            .compose(codec -> s.streamer().open(ex.context(), o, start, length, codec, regions))
                            .compose(transfer -> {
                                try {
                                    headers.run();
                                } catch (RuntimeException e) {
                                    transfer.abandon(e);
                                    throw e;
                                }
                                return transfer.to(r, ex.clientGone());
                            });
                });
    }

    Future<Void> delete(S3Exchange ex, ObjectRequest.DeleteObject op) {
        WriteCondition condition = WriteConditions.ofDelete(ex);
        String owner = ex.principal().canonicalId();
        return s.requireBucket(ex, op.bucket())
                .compose(b -> ObjectLocks.bypass(s, ex, op.bucket(), op.key()))
                .compose(bypass -> s.blocking(ex, () -> ObjectDeletes.delete(s, op.bucket().value(),
                        op.key().value(), op.versionId(), condition, owner, bypass)))
                .compose(done -> {
                    done.writeHeaders(ex.response());
                    return ex.sendEmpty(204);
                });
    }

    static String unquote(String etag) {
        String e = etag.trim();
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            return e.substring(1, e.length() - 1);
        }
        return e;
    }
}
