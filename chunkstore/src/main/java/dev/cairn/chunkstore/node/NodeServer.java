package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.tls.TlsMaterial;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.chunkstore.PieceStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage node's HTTP API over a {@link PieceStore}.
 *
 * <pre>
 * PUT    /v1/pieces/{id}                  body = the piece       201 {"size":N,"crc32c":N}
 * GET    /v1/pieces/{id}?offset=&amp;length=  the bytes (clamped)    200, X-Cairn-Piece-Size, X-Cairn-Piece-Crc32c
 * HEAD   /v1/pieces/{id}                                         200, X-Cairn-Piece-Size, X-Cairn-Piece-Crc32c
 * HEAD   /v1/pieces/{id}?verify=true      (re-reads every block)  200 as HEAD, 409 when corrupt
 * DELETE /v1/pieces/{id}                                         204, or 404 when absent
 * GET    /v1/pieces?after={id}&amp;limit=N   JSON lines in {@link PieceOrder}, X-Cairn-Truncated: true|false
 * GET    /v1/info                         {@link NodeInfo} JSON
 * GET    /health                          {"status":"ok"}        anonymous
 * GET    /metrics                         Prometheus text        anonymous
 * </pre>
 *
 * CRC32C values are unsigned decimals. Errors are {@code {"error":code,"message":...}} with the
 * status and code of {@link NodeError}; the code is also in the {@code X-Cairn-Error} header.
 *
 * <p>Every request except {@code /health} and {@code /metrics} must carry a valid
 * {@link ClusterAuth} signature: none answers 401, a bad or expired one 403, before anything else
 * is looked at. {@code /metrics} is anonymous on purpose: Prometheus scrapes it without the
 * cluster secret, and it holds counters and gauges only, never piece data or ids.
 *
 * <p>Design note. Requests are parsed by {@link NodeOperation#parse} and dispatched here on the
 * event loop, which only authenticates, moves bytes and renders. A PUT body is never handed to a
 * generic body handler: the signature is checked first, then the body is copied into one array
 * bounded by the maximum piece size (413 past it), then hashed, compared with the signed digest and
 * stored, all on the worker executor; the answer hops back to the request's context. Reads and
 * listings also run on the worker.
 */
public final class NodeServer {
    private static final Logger LOG = LoggerFactory.getLogger(NodeServer.class);

    /** The default bound on a piece upload: 64 MiB of piece and a little slack. */
    public static final int DEFAULT_MAX_PIECE_BYTES = (64 << 20) + (64 << 10);
    public static final String PIECE_SIZE_HEADER = "X-Cairn-Piece-Size";
    public static final String PIECE_CRC32C_HEADER = "X-Cairn-Piece-Crc32c";
    public static final String TRUNCATED_HEADER = "X-Cairn-Truncated";
    public static final String NDJSON = "application/x-ndjson";

    private static final String JSON = "application/json";
    private static final long AUTH_WARN_EVERY_MILLIS = 60_000;

    private final Vertx vertx;
    private final Executor worker;
    private final PieceStore store;
    private final PieceLister lister;
    private final ClusterAuth auth;
    private final PrometheusMeterRegistry registry;
    private final NodeMetrics metrics;
    private final Settings settings;
    private final AtomicLong lastAuthWarning = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong bufferedBytes = new AtomicLong();
    private volatile HttpServer server;

    /**
     * @param nodeId            this node's id, reported by {@code /v1/info}
     * @param zone              its failure domain, or null
     * @param maxPieceBytes     the largest PUT body accepted (413 past it)
     * @param maxBufferedBytes  the most upload bytes held in memory at once, over all PUTs; an
     *                          upload that would cross it is refused with 503 before its body is read
     */
    public record Settings(String nodeId, String zone, int maxPieceBytes, long maxBufferedBytes) {
        public Settings {
            if (nodeId == null) {
                throw new NullPointerException("nodeId");
            }
            if (maxPieceBytes < 1 || maxBufferedBytes < maxPieceBytes) {
                throw new IllegalArgumentException("need 0 < maxPieceBytes <= maxBufferedBytes");
            }
        }

        /** Default bounds: 64 MiB pieces, uploads buffered up to a quarter of the heap (at least two pieces). */
        public static Settings of(String nodeId, String zone) {
            return new Settings(nodeId, zone, DEFAULT_MAX_PIECE_BYTES,
                    Math.max(2L * DEFAULT_MAX_PIECE_BYTES, Runtime.getRuntime().maxMemory() / 4));
        }
    }

    /**
     * @param worker   runs all file I/O and hashing; never the event loop
     * @param lister   pages through the store in piece-id order
     * @param registry where the node's meters go; {@code /metrics} serves its scrape
     */
    public NodeServer(Vertx vertx, Executor worker, PieceStore store, PieceLister lister, ClusterAuth auth,
                      PrometheusMeterRegistry registry, Settings settings) {
        this.vertx = vertx;
        this.worker = worker;
        this.store = store;
        this.lister = lister;
        this.auth = auth;
        this.registry = registry;
        this.settings = settings;
        this.metrics = new NodeMetrics(registry, store);
    }

    /** Binds the listener; completes with the actual port (use 0 for a free one). */
    public CompletableFuture<Integer> listen(String host, int port) {
        return listen(host, port, null);
    }

    /**
     * Binds the listener, serving HTTPS only (TLS 1.2 and 1.3, HTTP/1.1) with {@code tls} when it is
     * not null; completes with the actual port. {@link #httpServer()} takes a renewed pair later.
     */
    public CompletableFuture<Integer> listen(String host, int port, TlsMaterial tls) {
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setHandle100ContinueAutomatically(false)
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setIdleTimeout(120)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setTcpNoDelay(true);
        if (tls != null) {
            options.setSsl(true)
                    .setKeyCertOptions(tls.keyCertOptions())
                    .setEnabledSecureTransportProtocols(TlsMaterial.PROTOCOLS)
                    .setUseAlpn(false);
        }
        return vertx.createHttpServer(options)
                .requestHandler(this::handle)
                .listen()
                .map(s -> {
                    server = s;
                    return s.actualPort();
                })
                .toCompletionStage().toCompletableFuture();
    }

    /** The listener (for a certificate reload), or null before {@link #listen} completed. */
    public HttpServer httpServer() {
        return server;
    }

    /** The bound port, or -1 before {@link #listen} completed. */
    public int port() {
        HttpServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    /** Stops accepting connections and waits up to {@code timeout} for in-flight requests. */
    public CompletableFuture<Void> shutdown(Duration timeout) {
        HttpServer s = server;
        if (s == null) {
            return CompletableFuture.completedFuture(null);
        }
        return s.shutdown(timeout).toCompletionStage().toCompletableFuture();
    }

    // ---- dispatch ----

    private void handle(HttpServerRequest req) {
        String path = req.path() == null ? "" : req.path();
        NodeOperation op = NodeOperation.parse(req.method().name(), path, req.query());
        Exchange ex = new Exchange(req, op);
        if (!op.anonymous() && !authenticate(ex)) {
            return;
        }
        if (op instanceof NodeOperation.Invalid invalid) {
            ex.fail(invalid.error(), invalid.message());
        } else if (op instanceof NodeOperation.PutPiece put) {
            put(ex, put.id());
        } else if (op instanceof NodeOperation.GetPiece get) {
            get(ex, get);
        } else if (op instanceof NodeOperation.HeadPiece head) {
            onWorker(ex, () -> store.head(head.id()), info -> {
                pieceHeaders(ex.response(), info);
                ex.end(200, null, null);
            });
        } else if (op instanceof NodeOperation.VerifyPiece verify) {
            onWorker(ex, () -> {
                if (!store.verify(verify.id())) {
                    throw new PieceException.Corrupt(verify.id(), "a block fails its checksum");
                }
                return store.head(verify.id());
            }, info -> {
                pieceHeaders(ex.response(), info);
                ex.end(200, null, null);
            });
        } else if (op instanceof NodeOperation.DeletePiece delete) {
            long signed = Long.parseLong(ex.req.getHeader(ClusterAuth.TIME_HEADER)); // checked by authenticate
            onWorker(ex, () -> store.delete(delete.id(), signed), deleted -> {
                if (deleted) {
                    metrics.deletes.increment();
                    ex.end(204, null, null);
                } else {
                    ex.fail(NodeError.NOT_FOUND, "piece not found: " + delete.id());
                }
            });
        } else if (op instanceof NodeOperation.ListPieces list) {
            onWorker(ex, () -> lister.list(list.after(), list.limit()), page -> {
                ex.response().putHeader(TRUNCATED_HEADER, Boolean.toString(page.truncated()));
                ex.end(200, NDJSON, jsonLines(page));
            });
        } else if (op instanceof NodeOperation.Info) {
            NodeInfo info = new NodeInfo(settings.nodeId(), settings.zone(), store.capacityBytes(), store.usedBytes(),
                    store.pieceCount());
            ex.end(200, JSON, info.toJson().toBuffer());
        } else if (op instanceof NodeOperation.Health) {
            ex.end(200, JSON, Buffer.buffer("{\"status\":\"ok\"}"));
        } else if (op instanceof NodeOperation.Metrics) {
            onWorker(ex, registry::scrape,
                    text -> ex.end(200, "text/plain; version=0.0.4; charset=utf-8", Buffer.buffer(text)));
        } else {
            ex.fail(NodeError.INTERNAL, "unhandled operation " + op.name());
        }
    }

    /** Checks the signature headers; answers 401/403 and returns false when they do not pass. */
    private boolean authenticate(Exchange ex) {
        MultiMap h = ex.req.headers();
        String sha = h.get(ClusterAuth.CONTENT_SHA256_HEADER);
        ClusterAuth.Verdict verdict = auth.verify(ex.req.method().name(), ex.req.uri(),
                h.get(ClusterAuth.TIME_HEADER), sha, h.get(ClusterAuth.SIGNATURE_HEADER));
        NodeError error;
        String message;
        switch (verdict) {
            case OK:
                if (ClusterAuth.EMPTY_SHA256.equals(sha) || !bodiless(ex.req.method())) {
                    return true; // an upload's body is checked against the digest once it has arrived
                }
                error = NodeError.DIGEST_MISMATCH;
                message = "a " + ex.req.method() + " request has no body: its content digest must be the empty one";
                break;
            case MISSING:
                error = NodeError.UNAUTHENTICATED;
                message = "cluster signature required (X-Cairn-Time, X-Cairn-Content-Sha256, X-Cairn-Signature)";
                break;
            case EXPIRED:
                error = NodeError.EXPIRED;
                message = "request time is more than " + ClusterAuth.MAX_SKEW.toMinutes()
                        + " minutes away from the node's clock";
                break;
            default:
                error = NodeError.BAD_SIGNATURE;
                message = "signature does not match the cluster secret";
        }
        metrics.authFailure(verdict == ClusterAuth.Verdict.OK ? "digest" : verdict.name().toLowerCase());
        long now = System.currentTimeMillis();
        long last = lastAuthWarning.get();
        if (now - last >= AUTH_WARN_EVERY_MILLIS && lastAuthWarning.compareAndSet(last, now)) {
            LOG.warn("refused {} {} from {}: {} (further refusals for a minute are only counted)",
                    ex.req.method(), ex.op.name(), ex.req.remoteAddress(), message);
        }
        ex.fail(error, message);
        return false;
    }

    private static boolean bodiless(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.DELETE;
    }

    // ---- pieces ----

    private void put(Exchange ex, PieceId id) {
        HttpServerRequest req = ex.req;
        int max = settings.maxPieceBytes();
        String declared = req.getHeader("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                ex.fail(NodeError.BAD_REQUEST, "bad Content-Length");
                return;
            }
            if (length > max) {
                ex.fail(NodeError.TOO_LARGE, "a piece is at most " + max + " bytes; this one is " + length);
                return;
            }
        }
        long reserve = length >= 0 ? length : max;
        if (!ex.reserve(reserve)) {
            ex.fail(NodeError.UNAVAILABLE, "node is busy: too many uploads in flight");
            return;
        }
        if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
            req.response().writeContinue();
        }
        BoundedBody body = new BoundedBody(length, max);
        String sha = req.getHeader(ClusterAuth.CONTENT_SHA256_HEADER);
        req.handler(chunk -> {
            if (!ex.done && !body.append(chunk)) {
                ex.fail(NodeError.TOO_LARGE, "a piece is at most " + max + " bytes");
            }
        });
        req.exceptionHandler(t -> ex.abandon(t));
        req.endHandler(v -> {
            if (ex.done) {
                return;
            }
            ByteBuffer data = body.view();
            onWorker(ex, () -> {
                if (!ClusterAuth.bodyMatches(sha, data)) {
                    throw new Refusal(NodeError.DIGEST_MISMATCH, "body does not match X-Cairn-Content-Sha256");
                }
                return store.put(id, data, Long.parseLong(req.getHeader(ClusterAuth.TIME_HEADER)));
            }, info -> {
                metrics.writes.increment();
                metrics.writtenBytes.increment(info.size());
                JsonObject json = new JsonObject().put("size", info.size()).put("crc32c", unsigned(info.crc32c()));
                ex.end(201, JSON, json.toBuffer());
            });
        });
    }

    private void get(Exchange ex, NodeOperation.GetPiece get) {
        onWorker(ex, () -> {
            PieceInfo info = store.head(get.id());
            return new Read(info, store.read(get.id(), get.offset(), get.length()));
        }, read -> {
            metrics.reads.increment();
            metrics.readBytes.increment(read.data.remaining());
            pieceHeaders(ex.response(), read.info);
            ex.end(200, "application/octet-stream", BufferInternal.buffer(Unpooled.wrappedBuffer(read.data)));
        });
    }

    private record Read(PieceInfo info, ByteBuffer data) {
    }

    private static void pieceHeaders(HttpServerResponse response, PieceInfo info) {
        response.putHeader(PIECE_SIZE_HEADER, Long.toString(info.size()));
        response.putHeader(PIECE_CRC32C_HEADER, Long.toString(unsigned(info.crc32c())));
    }

    private static Buffer jsonLines(PiecePage page) {
        StringBuilder sb = new StringBuilder(page.pieces().size() * 80);
        for (PieceInfo p : page.pieces()) {
            sb.append("{\"id\":\"").append(p.id()).append("\",\"size\":").append(p.size())
                    .append(",\"crc32c\":").append(unsigned(p.crc32c())).append("}\n");
        }
        return Buffer.buffer(sb.toString());
    }

    static long unsigned(int crc) {
        return Integer.toUnsignedLong(crc);
    }

    // ---- worker hop and error mapping ----

    /** Runs {@code work} on the worker, then {@code then} (or the error path) back on this context. */
    private <T> void onWorker(Exchange ex, Callable<T> work, Consumer<T> then) {
        Context ctx = vertx.getOrCreateContext();
        try {
            worker.execute(() -> {
                T result = null;
                Throwable error = null;
                try {
                    result = work.call();
                } catch (Throwable t) {
                    error = t;
                }
                T r = result;
                Throwable e = error;
                ctx.runOnContext(v -> {
                    if (e != null) {
                        failWith(ex, e);
                    } else {
                        then.accept(r);
                    }
                });
            });
        } catch (RejectedExecutionException e) {
            ex.fail(NodeError.UNAVAILABLE, "node is shutting down or overloaded");
        }
    }

    private void failWith(Exchange ex, Throwable t) {
        if (t instanceof Refusal r) {
            if (r.error == NodeError.DIGEST_MISMATCH) {
                metrics.authFailure("digest");
            }
            ex.fail(r.error, r.getMessage());
        } else if (t instanceof PieceException.NotFound) {
            ex.fail(NodeError.NOT_FOUND, t.getMessage());
        } else if (t instanceof PieceException.Stale) {
            LOG.warn("refused {}: {}", ex.op.name(), t.getMessage());
            ex.fail(NodeError.STALE, t.getMessage());
        } else if (t instanceof PieceException.Corrupt) {
            metrics.checksumFailures.increment();
            LOG.warn("{}", t.getMessage());
            ex.fail(NodeError.CORRUPT, t.getMessage());
        } else if (t instanceof PieceException.CapacityExceeded) {
            long capacity = store.capacityBytes();
            JsonObject extra = new JsonObject()
                    .put("free", Math.max(0, capacity - store.usedBytes()))
                    .put("capacity", capacity);
            ex.fail(NodeError.CAPACITY, t.getMessage(), extra);
        } else if (t instanceof PieceException.Unavailable) {
            ex.fail(NodeError.UNAVAILABLE, t.getMessage());
        } else if (t instanceof IllegalArgumentException) {
            ex.fail(NodeError.BAD_REQUEST, t.getMessage());
        } else {
            LOG.warn("{} failed", ex.op.name(), t);
            ex.fail(NodeError.INTERNAL, "internal error: " + t.getClass().getSimpleName());
        }
    }

    /** A refusal decided on the worker, rendered as the given error. */
    private static final class Refusal extends RuntimeException {
        private final NodeError error;

        Refusal(NodeError error, String message) {
            super(message, null, false, false);
            this.error = error;
        }
    }

    // ---- one request/response ----

    /** A request in flight: renders exactly one answer and records its latency. */
    private final class Exchange {
        final HttpServerRequest req;
        final NodeOperation op;
        final long startNanos = System.nanoTime();
        boolean done;
        long reserved;

        Exchange(HttpServerRequest req, NodeOperation op) {
            this.req = req;
            this.op = op;
        }

        HttpServerResponse response() {
            return req.response();
        }

        /** Reserves upload buffer space until this exchange is done; false when the budget is spent. */
        boolean reserve(long bytes) {
            long limit = settings.maxBufferedBytes();
            while (true) {
                long used = bufferedBytes.get();
                if (used + bytes > limit) {
                    return false;
                }
                if (bufferedBytes.compareAndSet(used, used + bytes)) {
                    reserved = bytes;
                    return true;
                }
            }
        }

        private void finish() {
            done = true;
            if (reserved > 0) {
                bufferedBytes.addAndGet(-reserved);
                reserved = 0;
            }
        }

        void end(int status, String contentType, Buffer body) {
            if (done) {
                return;
            }
            finish();
            HttpServerResponse response = req.response();
            response.setStatusCode(status);
            if (contentType != null) {
                response.putHeader("Content-Type", contentType);
            }
            boolean unread = op instanceof NodeOperation.PutPiece && !req.isEnded();
            if (unread) {
                // an early answer to an upload: do not read the rest of its body, drop the connection
                response.putHeader("Connection", "close");
            }
            metrics.request(op.name(), status, startNanos);
            try {
                (body == null || req.method() == HttpMethod.HEAD ? response.end() : response.end(body))
                        .onComplete(ar -> {
                            if (unread) {
                                req.connection().close();
                            }
                        });
            } catch (IllegalStateException e) {
                LOG.debug("{}: client went away before the answer: {}", op.name(), e.toString()); // connection closed
            }
        }

        void fail(NodeError error, String message) {
            fail(error, message, null);
        }

        void fail(NodeError error, String message, JsonObject extra) {
            if (done) {
                return;
            }
            req.response().putHeader(NodeError.HEADER, error.code());
            JsonObject json = new JsonObject().put("error", error.code()).put("message", message);
            if (extra != null) {
                json.mergeIn(extra);
            }
            end(error.status(), JSON, json.toBuffer());
        }

        /** The client went away mid-request: nothing to answer. */
        void abandon(Throwable t) {
            if (!done) {
                finish();
                LOG.debug("{} abandoned: {}", op.name(), t.toString());
                metrics.request(op.name(), 499, startNanos);
            }
        }
    }
}
