package dev.cairn.s3.handler;

import dev.cairn.metadata.Checksum;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ChunkRef;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.WriteCondition;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.data.BodyExpectations;
import dev.cairn.s3.data.IngestPipeline;
import dev.cairn.s3.data.IngestResult;
import dev.cairn.s3.http.Names;
import dev.cairn.s3.http.S3Exchange;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** PutObject, GetObject, HeadObject and DeleteObject. */
public final class ObjectHandler {
    private final S3Services s;

    public ObjectHandler(S3Services services) {
        this.s = services;
    }

    public Future<Void> put(S3Exchange ex) {
        Names.checkKey(ex.key());
        AclRules.checkHeaders(ex);
        Map<String, String> headers = ObjectHeaders.systemHeaders(ex.request().headers());
        Map<String, String> meta = ObjectHeaders.userMetadata(ex.request().headers());
        Map<String, String> tags = TagSets.fromHeader(ex);
        String requestedClass = ObjectHeaders.requestedStorageClass(ex.request().headers());
        WriteCondition condition = writeCondition(ex);
        BodyExpectations headersChecked = UploadBodies.expectations(ex, null, requestedClass);
        return s.requireBucket(ex)
                .compose(bucket -> {
                    String sc = ObjectHeaders.storageClass(requestedClass, bucket);
                    return UploadBodies.ingest(s, ex, headersChecked.withStorageClass(sc),
                            s.config().inlineThreshold()).map(body -> Map.entry(sc, body));
                })
                .compose(stored -> commit(s, ex, ex.key(), stored.getValue(), stored.getKey(), headers, meta,
                        tags, condition))
                .compose(record -> {
                    writeEtagAndChecksum(ex.response(), record);
                    return ex.sendEmpty(200);
                });
    }

    /**
     * Stores an ingested body as object {@code key} of the request's bucket (PutObject, POST
     * Object); its chunks are discarded when the commit fails.
     */
    static Future<ObjectRecord> commit(S3Services s, S3Exchange ex, String key, IngestResult body,
                                       String storageClass, Map<String, String> headers, Map<String, String> meta,
                                       Map<String, String> tags, WriteCondition condition) {
        String etag = HexFormat.of().formatHex(body.md5());
        Checksum checksum = body.checksum() == null ? null : new Checksum(body.checksum().name(),
                "FULL_OBJECT", Base64.getEncoder().encodeToString(body.checksumDigest()));
        ObjectRecord record = new ObjectRecord(body.size(), etag, s.clock().millis(), headers, meta,
                checksum, storageClass, body.inline(), refs(body.chunks()), List.of(), s.owner().id(), tags);
        return s.blocking(ex, () -> s.metadata().putObject(ex.bucket(), key, record, body.chunks(), condition))
                .recover(err -> {
                    IngestPipeline.discard(body, s.writer(), s.metadata(), s.pool());
                    return Future.failedFuture(err);
                })
                .map(replaced -> record);
    }

    static void writeEtagAndChecksum(HttpServerResponse r, ObjectRecord record) {
        r.putHeader("ETag", ObjectHeaders.quote(record.etag()));
        if (record.checksum() != null) {
            ObjectHeaders.writeChecksum(r, record.checksum());
        }
    }

    public Future<Void> get(S3Exchange ex) {
        return read(ex, false);
    }

    public Future<Void> head(S3Exchange ex) {
        return read(ex, true);
    }

    private Future<Void> read(S3Exchange ex, boolean head) {
        Names.checkKey(ex.key());
        VersionIds.check(ex);
        return s.requireObject(ex)
                .compose(o -> {
                    Preconditions.check(ex, o);
                    ByteRange range = ex.param("partNumber") != null
                            ? partRange(o, MultipartHandler.partNumber(ex.param("partNumber")), ex)
                            : ByteRange.parse(ex.header("Range"), o.size());
                    HttpServerResponse r = ex.response();
                    long start = range == null ? 0 : range.start();
                    long length = range == null ? o.size() : range.length();
                    Runnable headers = () -> {
                        ObjectHeaders.write(r, o, "ENABLED".equalsIgnoreCase(ex.header("x-amz-checksum-mode"))
                                && range == null);
                        ResponseOverrides.apply(ex, r);
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
                    return s.streamer().open(ex.context(), o, start, length).compose(transfer -> {
                        headers.run();
                        return transfer.to(r);
                    });
                });
    }

    public Future<Void> delete(S3Exchange ex) {
        Names.checkKey(ex.key());
        VersionIds.check(ex);
        WriteCondition condition = ex.header("If-Match") != null
                ? WriteCondition.etagMatches(unquote(ex.header("If-Match"))) : WriteCondition.NONE;
        return s.requireBucket(ex)
                .compose(b -> s.blocking(ex, () -> s.metadata().deleteObject(ex.bucket(), ex.key(), condition)))
                .compose(old -> ex.sendEmpty(204));
    }

    /**
     * GetObject/HeadObject with partNumber: that part's bytes, with the object's part count. An
     * object uploaded in one piece has one part, the whole object.
     */
    private static ByteRange partRange(ObjectRecord o, int partNumber, S3Exchange ex) {
        int count = Math.max(1, o.parts().size());
        if (partNumber > count) {
            throw new S3Exception(S3ErrorCode.INVALID_PART_NUMBER)
                    .with("PartNumberRequested", Integer.toString(partNumber))
                    .with("ActualPartCount", Integer.toString(count));
        }
        ex.response().putHeader("x-amz-mp-parts-count", Integer.toString(count));
        if (o.parts().isEmpty()) {
            return o.size() == 0 ? null : new ByteRange(0, o.size());
        }
        long start = 0;
        for (int i = 0; i < partNumber - 1; i++) {
            start += o.parts().get(i).size();
        }
        return new ByteRange(start, o.parts().get(partNumber - 1).size());
    }

    static WriteCondition writeCondition(S3Exchange ex) {
        String ifNoneMatch = ex.header("If-None-Match");
        String ifMatch = ex.header("If-Match");
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.trim().equals("*")) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                        "If-None-Match on writes supports only '*'").with("Header", "If-None-Match");
            }
            return WriteCondition.MUST_NOT_EXIST;
        }
        if (ifMatch != null) {
            return WriteCondition.etagMatches(unquote(ifMatch));
        }
        return WriteCondition.NONE;
    }

    static String unquote(String etag) {
        String e = etag.trim();
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            return e.substring(1, e.length() - 1);
        }
        return e;
    }

    static List<ChunkRef> refs(List<ChunkRecord> chunks) {
        return chunks.stream().map(c -> new ChunkRef(c.id(), c.size())).toList();
    }
}
