package dev.cairn.s3.http;

import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.RepeatedWarnings;
import dev.cairn.metadata.MetadataException;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.request.ObjectRequest;
import dev.cairn.s3.xml.XmlWriter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The one failure path: turns whatever a handler failed with into an S3 error response. Domain
 * errors of lower modules are translated here; anything unexpected becomes InternalError and is
 * logged with the request id. HEAD errors carry no body.
 */
public final class ErrorResponder {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);
    /** Every request fails the same way while nodes are down: one line per 10 s (each is counted as an S3 error). */
    private static final RepeatedWarnings UNAVAILABLE = new RepeatedWarnings(LOG, "storage-unavailable",
            java.time.Duration.ofSeconds(10), null);

    private ErrorResponder() {
    }

    public static S3Exception translate(S3Exchange ex, Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof S3Exception s3) {
            return s3;
        }
        if (e instanceof MetadataException.NoSuchBucket) {
            return new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", bucketName(ex));
        }
        if (e instanceof MetadataException.BucketNotEmpty) {
            return new S3Exception(S3ErrorCode.BUCKET_NOT_EMPTY).with("BucketName", bucketName(ex));
        }
        if (e instanceof MetadataException.NoSuchUpload) {
            return new S3Exception(S3ErrorCode.NO_SUCH_UPLOAD).with("UploadId", uploadId(ex));
        }
        if (e instanceof MetadataException.PreconditionFailed) {
            return new S3Exception(S3ErrorCode.PRECONDITION_FAILED).with("Condition", conditionHeader(ex));
        }
        if (e instanceof MetadataException.NoSuchKey) {
            return new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", ex == null || ex.op() == null ? null : ex.op().keyName());
        }
        if (e instanceof MetadataException.ObjectLocked) {
            return new S3Exception(S3ErrorCode.ACCESS_DENIED, "Access Denied because object protected by object lock.");
        }
        if (e instanceof MetadataException.Conflict) {
            return new S3Exception(S3ErrorCode.CONDITIONAL_REQUEST_CONFLICT);
        }
        if (e instanceof MetadataException.BucketAlreadyExists) {
            return new S3Exception(S3ErrorCode.BUCKET_ALREADY_OWNED_BY_YOU).with("BucketName", bucketName(ex));
        }
        if (e instanceof io.vertx.core.http.HttpClosedException
                || e instanceof io.vertx.core.VertxException && "Connection was closed".equals(e.getMessage())
                || ex != null && ex.response().closed()) {
            // the client went away: nothing can be answered, and it is not a server error
            LOG.info("[{}] client closed the connection during {} {} ({})", ex.requestId(), ex.request().method(),
                    ex.request().path(), e.getMessage());
            return new S3Exception(S3ErrorCode.INCOMPLETE_BODY);
        }
        if (e instanceof MetadataException.Unavailable) {
            UNAVAILABLE.warn("metadata", "[{}] metadata unavailable: {}", ex.requestId(), e.getMessage());
            return new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The metadata has no leader now; retry.");
        }
        if (e instanceof MetadataException.OutOfSpace) {
            return new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, e.getMessage()); // logged once by the store
        }
        if (e instanceof PieceException.CapacityExceeded || e instanceof PieceException.Unavailable) {
            UNAVAILABLE.warn(e.getClass().getSimpleName(), "[{}] storage unavailable: {}", ex.requestId(), e.toString());
            return new S3Exception(S3ErrorCode.SERVICE_UNAVAILABLE, "The storage nodes cannot take this request now.");
        }
        LOG.error("[{}] internal error on {} {}", ex.requestId(), ex.request().method(), ex.request().path(), e);
        return new S3Exception(S3ErrorCode.INTERNAL_ERROR);
    }

    private static String bucketName(S3Exchange ex) {
        return ex == null || ex.op() == null ? null : ex.op().bucketName();
    }

    private static String uploadId(S3Exchange ex) {
        return ex != null && ex.op() instanceof ObjectRequest.OfUpload u ? u.uploadId().value() : null;
    }

    private static String conditionHeader(S3Exchange ex) {
        for (String h : CONDITION_HEADERS) {
            if (ex.header(h) != null) {
                return h;
            }
        }
        return null;
    }

    private static final java.util.List<String> CONDITION_HEADERS = java.util.List.of("If-None-Match", "If-Match",
            "x-amz-if-match-size", "x-amz-if-match-last-modified-time");

    /** Renders the error; safe to call when the response is already (partly) sent. */
    public static void respond(S3Exchange ex, Throwable error) {
        respond(ex, error, null);
    }

    /** As {@link #respond(S3Exchange, Throwable)}, counting the error response in {@code metrics} (if not null). */
    public static void respond(S3Exchange ex, Throwable error, S3Metrics metrics) {
        S3Exception s3 = translate(ex, error);
        HttpServerResponse response = ex.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        int status = s3.error().status();
        LOG.debug("[{}] {} {} -> {} {}", ex.requestId(), ex.request().method(), ex.request().path(), status,
                s3.error().code());
        response.setStatusCode(status);
        if (metrics != null) {
            metrics.error(ex, s3.error());
        }
        for (Map.Entry<String, String> h : s3.headers().entrySet()) {
            response.putHeader(h.getKey(), h.getValue());
        }
        boolean unread = !ex.request().isEnded() && hasBody(ex);
        if (unread) {
            // the body was not (fully) read: do not try to reuse the connection
            response.putHeader("Connection", "close");
        }
        if (status == 304 || ex.isHead()) {
            response.headers().remove("Content-Length");
            response.putHeader("Content-Length", "0");
            closeAfter(ex, response.end(), unread);
            return;
        }
        byte[] xml = document(ex, s3);
        response.putHeader("Content-Type", "application/xml");
        response.putHeader("Content-Length", Integer.toString(xml.length));
        closeAfter(ex, response.end(Buffer.buffer(xml)), unread);
    }

    private static boolean hasBody(S3Exchange ex) {
        String cl = ex.header("Content-Length");
        return ex.header("Transfer-Encoding") != null || (cl != null && !cl.trim().equals("0"));
    }

    /** Unread body bytes read and dropped after an early error answer, so the client sees the answer. */
    static final long DRAIN_LIMIT = 16L * 1024 * 1024;

    /**
     * After an error answered before the body was read: keep reading (and dropping) what the client
     * still sends, up to {@link #DRAIN_LIMIT} or 10 s, then close. Closing at once would reset the
     * connection under a client still sending, which can lose the answer.
     */
    private static void closeAfter(S3Exchange ex, io.vertx.core.Future<Void> sent, boolean close) {
        if (!close) {
            return;
        }
        var request = ex.request();
        long[] drained = {0};
        Runnable closeNow = () -> request.connection().close();
        try {
            request.handler(b -> {
                drained[0] += b.length();
                if (drained[0] > DRAIN_LIMIT) {
                    closeNow.run();
                }
            });
            request.endHandler(v -> sent.onComplete(r -> closeNow.run()));
            request.exceptionHandler(e -> closeNow.run());
            request.resume();
        } catch (IllegalStateException alreadyRead) {
            sent.onComplete(r -> closeNow.run());
            return;
        }
        ex.context().owner().setTimer(10_000, t -> closeNow.run());
    }

    static byte[] document(S3Exchange ex, S3Exception s3) {
        XmlWriter w = XmlWriter.plainDocument("Error")
                .element("Code", s3.error().code())
                .element("Message", s3.getMessage());
        for (Map.Entry<String, String> e : s3.extra().entrySet()) {
            w.element(e.getKey(), e.getValue());
        }
        w.element("Resource", ex.request().path())
                .element("RequestId", ex.requestId())
                .element("HostId", ex.requestId());
        return w.toBytes();
    }
}
