package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.chunkstore.ReadFence;
import io.netty.buffer.Unpooled;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link ChunkStoreClient} for one chunkstore node over HTTP (the protocol of {@link NodeServer}).
 * Every request is signed with {@link ClusterAuth}; a PUT body is hashed on the worker executor,
 * then sent from the caller's buffer without a copy. Bodies read back are bounded (a GET by the
 * length asked for); a {@link #readInto} copies the piece straight into the caller's buffer.
 * Each call has a deadline ({@link Timeouts}); past it the request is reset.
 *
 * <p>Futures complete on the worker executor, never on an event loop, so callers may chain
 * blocking or CPU-heavy work - except a successful {@link #readInto}, which completes where its
 * last byte arrived (one thread hop less per piece on the GET path). Failures are
 * {@link PieceException}s: NotFound (404), Corrupt (409), CapacityExceeded (507), and
 * Unavailable for everything else: connection errors, timeouts, 5xx, and refusals (401/403:
 * check CAIRN_CLUSTER_SECRET and clocks; 400/413). {@link #close()} closes the HTTP client only
 * when this client created it.
 */
public final class RemoteChunkStoreClient implements ChunkStoreClient {
    private static final int MAX_LIST_BYTES = 16 << 20;
    private static final int MAX_SMALL_BYTES = 1 << 20;

    private final Vertx vertx;
    private final HttpClient http;
    private final boolean ownsHttp;
    private final String nodeId;
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final ClusterAuth auth;
    private final Executor worker;
    private final Timeouts timeouts;
    /**
     * The event loop every request to this node is issued from, so the pool's connections to the
     * node live on it and each part of an answer is handled where it arrives: issued from the
     * caller's loop, a connection made on another loop handed every 64 KiB of a piece over to the
     * caller's thread (a task and a wakeup each).
     */
    private final Context home;
    private volatile boolean closed;

    /** Deadlines per request: {@code put} for uploads, {@code read} for everything else. */
    public record Timeouts(Duration put, Duration read) {
        public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(10));

        public Timeouts {
            if (put.isNegative() || put.isZero() || read.isNegative() || read.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive");
            }
        }
    }

    /**
     * @param http    a client to share with other node clients; not closed by {@link #close()}
     * @param nodeId  the node's id as the cluster map knows it
     * @param baseUri {@code http://host:port} of the node (a path prefix is kept)
     * @param worker  runs hashing and completes the futures
     */
    public RemoteChunkStoreClient(Vertx vertx, HttpClient http, String nodeId, URI baseUri, ClusterAuth auth,
                                  Executor worker, Timeouts timeouts) {
        this(vertx, http, false, nodeId, baseUri, auth, worker, timeouts);
    }

    private RemoteChunkStoreClient(Vertx vertx, HttpClient http, boolean ownsHttp, String nodeId, URI baseUri,
                                   ClusterAuth auth, Executor worker, Timeouts timeouts) {
        if (vertx == null || http == null || nodeId == null || baseUri == null || auth == null || worker == null
                || timeouts == null) {
            throw new NullPointerException("all arguments are required");
        }
        String scheme = baseUri.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || baseUri.getHost() == null) {
            throw new IllegalArgumentException("node address must be http(s)://host:port, not " + baseUri);
        }
        this.vertx = vertx;
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.nodeId = nodeId;
        this.ssl = "https".equals(scheme);
        this.host = baseUri.getHost();
        this.port = baseUri.getPort() > 0 ? baseUri.getPort() : ssl ? 443 : 80;
        String path = baseUri.getRawPath() == null ? "" : baseUri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.auth = auth;
        this.worker = worker;
        this.timeouts = timeouts;
        this.home = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
    }

    /** A client with its own HTTP client (closed with it) and the default timeouts. */
    public static RemoteChunkStoreClient create(Vertx vertx, String nodeId, URI baseUri, ClusterAuth auth,
                                                Executor worker) {
        return new RemoteChunkStoreClient(vertx, newHttpClient(vertx), true, nodeId, baseUri, auth, worker,
                Timeouts.DEFAULTS);
    }

    /** An HTTP client suited to node traffic (keep-alive, no compression), to share between node clients. */
    public static HttpClientAgent newHttpClient(Vertx vertx) {
        return vertx.createHttpClient(options(), new PoolOptions().setHttp1MaxSize(16));
    }

    /**
     * As {@link #newHttpClient(Vertx)}, trusting {@code trust} (instead of the JVM's default CAs)
     * and checking the host name for the requests it sends over TLS: a node's heartbeats to a
     * server whose admin port serves HTTPS.
     */
    public static HttpClientAgent newHttpClient(Vertx vertx, io.vertx.core.net.TrustOptions trust) {
        HttpClientOptions options = options();
        options.setTrustOptions(trust);
        options.setVerifyHost(true);
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(16));
    }

    private static HttpClientOptions options() {
        return new HttpClientOptions()
                .setKeepAlive(true)
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setConnectTimeout(5_000)
                .setIdleTimeout(60);
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public CompletableFuture<PieceInfo> put(PieceId id, ByteBuffer data) {
        ByteBuffer view = data.duplicate();
        long size = view.remaining();
        CompletableFuture<PieceInfo> result = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                try {
                    String sha = ClusterAuth.sha256Hex(view);
                    Buffer body = BufferInternal.buffer(Unpooled.wrappedBuffer(view.duplicate()));
                    call(HttpMethod.PUT, piecePath(id), body, sha, timeouts.put(), MAX_SMALL_BYTES, r -> {
                        if (r.status != 201) {
                            throw error(r, id, size);
                        }
                        JsonObject json = r.json();
                        Long stored = json.getLong("size");
                        Long crc = json.getLong("crc32c");
                        if (stored == null || crc == null || stored != size) {
                            throw unavailable("node answered a PUT with " + json.encode(), null);
                        }
                        return new PieceInfo(id, size, (int) (long) crc);
                    }).whenComplete((v, t) -> completeNow(result, v, t));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(unavailable("worker pool rejected the call", e));
        }
        return result;
    }

    @Override
    public CompletableFuture<ByteBuffer> get(PieceId id, long offset, int length) {
        if (offset < 0 || length < 0) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException("bad range: offset " + offset + ", length " + length));
        }
        String target = piecePath(id) + "?offset=" + offset + "&length=" + length;
        return call(HttpMethod.GET, target, null, ClusterAuth.EMPTY_SHA256, timeouts.read(), length, r -> {
            if (r.status != 200) {
                throw error(r, id, 0);
            }
            return r.body.view();
        });
    }

    @Override
    public CompletableFuture<Integer> readInto(PieceId id, long offset, ByteBuffer dst) {
        return readInto(id, offset, dst, new ReadFence());
    }

    /**
     * Copies each part of the answer into {@code dst} as it arrives (see {@link FencedBody}): no
     * body array, no copy of the whole piece. The fence is shut before the future completes. A
     * success completes on the event loop that received the last byte, so whoever chains on it
     * must not block; a failure completes on the worker, as every other call does.
     */
    @Override
    public CompletableFuture<Integer> readInto(PieceId id, long offset, ByteBuffer dst, ReadFence fence) {
        if (offset < 0) {
            fence.shut();
            return CompletableFuture.failedFuture(new IllegalArgumentException("bad offset " + offset));
        }
        if (closed) {
            fence.shut();
            return CompletableFuture.failedFuture(unavailable("client closed", null));
        }
        int at = dst.position();
        int room = dst.remaining();
        String target = piecePath(id) + "?offset=" + offset + "&length=" + room;
        CompletableFuture<Integer> result = new CompletableFuture<>();
        exchange(HttpMethod.GET, target, null, ClusterAuth.EMPTY_SHA256, timeouts.read(), result, resp -> {
            if (resp.statusCode() == 200) {
                return FencedBody.read(resp, dst, at, room, fence);
            }
            return readBody(resp, MAX_SMALL_BYTES).compose(b ->
                    Future.failedFuture(error(new Response(resp.statusCode(), resp.headers(), b), id, 0)));
        }, ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                Throwable t = ar.cause();
                result.completeExceptionally(t instanceof PieceException || t instanceof ReadFence.GivenUp ? t
                        : unavailable("GET " + target + " failed: " + t, t));
            }
        });
        CompletableFuture<Integer> out = new CompletableFuture<>();
        result.whenComplete((n, t) -> {
            fence.shut(); // before anyone hears the read ended: no byte lands in dst after that
            if (t == null) {
                out.complete(n);
            } else if (Context.isOnEventLoopThread()) {
                runOnWorker(() -> completeNow(out, null, t));
            } else {
                completeNow(out, null, t);
            }
        });
        return out;
    }

    @Override
    public CompletableFuture<PieceInfo> head(PieceId id) {
        return head(id, piecePath(id), timeouts.read());
    }

    /** Whole-piece verification on the node; it reads the piece, so it gets the put timeout. */
    @Override
    public CompletableFuture<PieceInfo> verify(PieceId id) {
        return head(id, piecePath(id) + "?verify=true", timeouts.put());
    }

    private CompletableFuture<PieceInfo> head(PieceId id, String target, Duration timeout) {
        return call(HttpMethod.HEAD, target, null, ClusterAuth.EMPTY_SHA256, timeout, 0, r -> {
            if (r.status != 200) {
                throw error(r, id, 0);
            }
            try {
                long size = Long.parseLong(r.headers.get(NodeServer.PIECE_SIZE_HEADER));
                long crc = Long.parseLong(r.headers.get(NodeServer.PIECE_CRC32C_HEADER));
                return new PieceInfo(id, size, (int) crc);
            } catch (NumberFormatException | NullPointerException e) {
                throw unavailable("node answered a HEAD without piece headers", e);
            }
        });
    }

    @Override
    public CompletableFuture<Boolean> delete(PieceId id) {
        return call(HttpMethod.DELETE, piecePath(id), null, ClusterAuth.EMPTY_SHA256, timeouts.read(),
                MAX_SMALL_BYTES, r -> {
                    if (r.status == 204) {
                        return true;
                    }
                    PieceException e = error(r, id, 0);
                    if (e instanceof PieceException.NotFound) {
                        return false;
                    }
                    throw e;
                });
    }

    /**
     * One page of the node's pieces in {@link PieceOrder}, after {@code after} (null: from the
     * first); at most {@code limit} (1..10000).
     */
    @Override
    public CompletableFuture<PiecePage> list(PieceId after, int limit) {
        if (limit < 1 || limit > NodeOperation.MAX_LIST_LIMIT) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("limit must be 1.." + NodeOperation.MAX_LIST_LIMIT));
        }
        String target = basePath + NodeOperation.PIECES + "?limit=" + limit + (after == null ? "" : "&after=" + after);
        return call(HttpMethod.GET, target, null, ClusterAuth.EMPTY_SHA256, timeouts.read(), MAX_LIST_BYTES, r -> {
            if (r.status != 200) {
                throw error(r, null, 0);
            }
            List<PieceInfo> pieces = new ArrayList<>();
            for (String line : r.text().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonObject j = new JsonObject(line);
                    pieces.add(new PieceInfo(PieceId.parse(j.getString("id")), j.getLong("size"),
                            (int) (long) j.getLong("crc32c")));
                } catch (DecodeException | IllegalArgumentException | NullPointerException | ClassCastException e) {
                    throw unavailable("node sent a bad listing line: " + line, e);
                }
            }
            return new PiecePage(pieces, Boolean.parseBoolean(r.headers.get(NodeServer.TRUNCATED_HEADER)));
        });
    }

    /** The node's own view of itself ({@code GET /v1/info}). */
    public CompletableFuture<NodeInfo> info() {
        return call(HttpMethod.GET, basePath + "/v1/info", null, ClusterAuth.EMPTY_SHA256, timeouts.read(),
                MAX_SMALL_BYTES, r -> {
                    if (r.status != 200) {
                        throw error(r, null, 0);
                    }
                    try {
                        return NodeInfo.fromJson(r.json());
                    } catch (IllegalArgumentException e) {
                        throw unavailable(e.getMessage(), e);
                    }
                });
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsHttp) {
            http.close();
        }
    }

    @Override
    public String toString() {
        return "RemoteChunkStoreClient[" + nodeId + ", " + (ssl ? "https" : "http") + "://" + host + ":" + port + basePath + "]";
    }

    // ---- one signed request ----

    private record Response(int status, MultiMap headers, BoundedBody body) {
        String text() {
            ByteBuffer b = body.view();
            return new String(b.array(), b.arrayOffset() + b.position(), b.remaining(), StandardCharsets.UTF_8);
        }

        JsonObject json() throws PieceException {
            try {
                return new JsonObject(text());
            } catch (DecodeException e) {
                throw new PieceException.Unavailable("node sent a body that is not JSON", e);
            }
        }
    }

    @FunctionalInterface
    private interface ResponseMapper<T> {
        T map(Response response) throws PieceException;
    }

    /**
     * Sends one signed request and maps its answer on the worker; the future completes there.
     * {@code maxBody} bounds the body read back on success (error bodies are bounded separately).
     */
    private <T> CompletableFuture<T> call(HttpMethod method, String target, Buffer body, String sha, Duration timeout,
                                          int maxBody, ResponseMapper<T> mapper) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            return CompletableFuture.failedFuture(unavailable("client closed", null));
        }
        exchange(method, target, body, sha, timeout, result,
                resp -> readBody(resp, resp.statusCode() < 300 ? maxBody : MAX_SMALL_BYTES)
                        .map(b -> new Response(resp.statusCode(), resp.headers(), b)),
                ar -> {
                    if (ar.failed()) {
                        result.completeExceptionally(unavailable(method + " " + target + " failed: " + ar.cause(),
                                ar.cause()));
                        return;
                    }
                    runOnWorker(() -> {
                        try {
                            result.complete(mapper.map(ar.result()));
                        } catch (PieceException | RuntimeException e) {
                            result.completeExceptionally(e);
                        }
                    });
                });
        return onWorker(result);
    }

    /**
     * Sends one signed request from an event loop and reads its answer with {@code reader};
     * {@code then} gets the outcome there. Past {@code timeout}, {@code result} fails with
     * Unavailable and the request is reset.
     */
    private <R> void exchange(HttpMethod method, String target, Buffer body, String sha, Duration timeout,
                              CompletableFuture<?> result, Function<HttpClientResponse, Future<R>> reader,
                              Handler<AsyncResult<R>> then) {
        ClusterAuth.Signature sig = auth.sign(method.name(), target, sha);
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setSsl(ssl)
                .setURI(target)
                .setConnectTimeout(Math.min(timeout.toMillis(), 5_000))
                .setFollowRedirects(false);
        sig.headers().forEach(options::putHeader);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(timeout.toMillis(), id -> {
            if (result.completeExceptionally(unavailable(method + " " + target + " timed out after "
                    + timeout.toMillis() + " ms", new TimeoutException()))) {
                HttpClientRequest req = sent.get();
                if (req != null) {
                    req.reset(0, new TimeoutException());
                }
            }
        });
        Runnable exchange = () -> send(options, body, sent, result, reader).onComplete(ar -> {
            vertx.cancelTimer(timer);
            then.handle(ar);
        });
        // issued from the node's event loop, so the response handlers are set before the body arrives
        if (Vertx.currentContext() == home) {
            exchange.run();
        } else {
            home.runOnContext(v -> exchange.run());
        }
    }

    private <R> Future<R> send(RequestOptions options, Buffer body, AtomicReference<HttpClientRequest> sent,
                               CompletableFuture<?> result, Function<HttpClientResponse, Future<R>> reader) {
        return http.request(options)
                .compose(req -> {
                    sent.set(req);
                    if (result.isDone()) { // timed out while connecting
                        req.reset();
                        return Future.failedFuture(new TimeoutException());
                    }
                    return body == null ? req.send() : req.send(body);
                })
                .compose(reader);
    }

    /** Reads a response body into one array, failing (and resetting the request) past {@code max} bytes. */
    private static Future<BoundedBody> readBody(HttpClientResponse resp, int max) {
        Promise<BoundedBody> promise = Promise.promise();
        long declared = -1;
        String cl = resp.getHeader("Content-Length");
        if (resp.request().getMethod() == HttpMethod.HEAD) {
            declared = 0; // describes the GET, no body follows
        } else if (cl != null) {
            try {
                declared = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
        }
        if (declared > max) {
            resp.request().reset();
            return Future.failedFuture("response of " + declared + " bytes exceeds the " + max + " expected");
        }
        BoundedBody body = new BoundedBody(declared, max);
        resp.handler(chunk -> {
            if (!body.append(chunk) && promise.tryFail("response exceeds the " + max + " bytes expected")) {
                resp.request().reset();
            }
        });
        resp.exceptionHandler(promise::tryFail);
        resp.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    /** Maps an error answer back to the domain exception. */
    private PieceException error(Response r, PieceId id, long size) {
        NodeError code = NodeError.ofCode(r.headers.get(NodeError.HEADER));
        if (code == null) {
            code = r.status == 404 ? NodeError.NOT_FOUND : r.status == 409 ? NodeError.CORRUPT
                    : r.status == 507 ? NodeError.CAPACITY : null;
        }
        JsonObject json;
        try {
            json = r.body.length() > 0 ? new JsonObject(r.text()) : new JsonObject();
        } catch (DecodeException e) {
            json = new JsonObject();
        }
        String message = json.getValue("message") instanceof String m ? m : "HTTP " + r.status;
        if (code == NodeError.NOT_FOUND && id != null) {
            return new PieceException.NotFound(id);
        }
        if (code == NodeError.CORRUPT && id != null) {
            return new PieceException.Corrupt(id, "on node " + nodeId + ": " + message);
        }
        if (code == NodeError.CAPACITY) {
            long free = json.getValue("free") instanceof Number n ? n.longValue() : 0;
            return new PieceException.CapacityExceeded(nodeId, size, free);
        }
        String hint = r.status == 401 || r.status == 403 ? " (check CAIRN_CLUSTER_SECRET and the clocks)" : "";
        return unavailable("answered " + r.status + " " + (code == null ? "" : code.code() + ": ") + message + hint,
                null);
    }

    private PieceException.Unavailable unavailable(String message, Throwable cause) {
        return new PieceException.Unavailable("node " + nodeId + ": " + message, cause);
    }

    private String piecePath(PieceId id) {
        return basePath + NodeOperation.PIECES_PREFIX + id;
    }

    /** Moves completion off the event loop (the timer and transport failures complete there). */
    private <T> CompletableFuture<T> onWorker(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, t) -> {
            if (Context.isOnEventLoopThread()) {
                runOnWorker(() -> completeNow(out, v, t));
            } else {
                completeNow(out, v, t);
            }
        });
        return out;
    }

    /** Runs a task on the worker, or here when the worker refuses it (shutting down). */
    private void runOnWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private static <T> void completeNow(CompletableFuture<T> f, T value, Throwable error) {
        if (error != null) {
            f.completeExceptionally(error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
        } else {
            f.complete(value);
        }
    }
}
