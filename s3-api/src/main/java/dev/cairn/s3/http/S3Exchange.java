package dev.cairn.s3.http;

import dev.cairn.s3.auth.AuthResult;
import dev.cairn.s3.iam.Principal;
import dev.cairn.s3.request.S3Request;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One S3 request in flight: the HTTP exchange, its request id, the typed operation it was parsed
 * into, and who sent it.
 */
public final class S3Exchange {
    public static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final HttpServerRequest request;
    private final String requestId;
    private final Context context;
    private final long startNanos = System.nanoTime();
    private final Promise<Void> clientGone = Promise.promise();
    private S3Request op;
    private AuthResult auth;
    private Principal principal = Principal.ANONYMOUS;
    private java.util.function.LongSupplier bodyBytesSentAside = () -> 0;

    public S3Exchange(HttpServerRequest request, String requestId, Context context) {
        this.request = request;
        this.requestId = requestId;
        this.context = context;
    }

    public HttpServerRequest request() {
        return request;
    }

    public HttpServerResponse response() {
        return request.response();
    }

    public String requestId() {
        return requestId;
    }

    public Context context() {
        return context;
    }

    public long startNanos() {
        return startNanos;
    }

    /**
     * Completes when the connection closes before the response ended (the client went away).
     * The response's own close handler belongs to the router; everything else listens here.
     */
    public Future<Void> clientGone() {
        return clientGone.future();
    }

    void connectionClosed() {
        clientGone.tryComplete();
    }

    /** The typed operation (null until the request is parsed). */
    public S3Request op() {
        return op;
    }

    public void op(S3Request operation) {
        this.op = operation;
    }

    /** The verified signature (null for an anonymous request and for requests that authenticate themselves). */
    public AuthResult auth() {
        return auth;
    }

    public void auth(AuthResult a) {
        this.auth = a;
    }

    /** Who sent the request: anonymous until a signature is verified. */
    public Principal principal() {
        return principal;
    }

    public void principal(Principal p) {
        this.principal = p;
    }

    /**
     * Response body bytes sent past the response's own writes (piece ranges the kernel sends
     * from the files), which {@link HttpServerResponse#bytesWritten()} does not count.
     */
    public long bodyBytesSentAside() {
        return bodyBytesSentAside.getAsLong();
    }

    public void bodyBytesSentAside(java.util.function.LongSupplier count) {
        this.bodyBytesSentAside = count;
    }

    public String header(String name) {
        return request.getHeader(name);
    }

    public boolean isHead() {
        return "HEAD".equals(request.method().name());
    }

    /** Sends an XML document with the given status. */
    public Future<Void> sendXml(int status, byte[] xml) {
        HttpServerResponse r = response().setStatusCode(status);
        r.putHeader("Content-Type", "application/xml");
        r.putHeader("Content-Length", Integer.toString(xml.length));
        return r.end(Buffer.buffer(xml));
    }

    /** Sends a response without a body. */
    public Future<Void> sendEmpty(int status) {
        HttpServerResponse r = response().setStatusCode(status);
        if (!r.headers().contains("Content-Length")) {
            r.putHeader("Content-Length", "0");
        }
        return r.end();
    }

    public static String httpDate(long millis) {
        return HTTP_DATE.format(Instant.ofEpochMilli(millis));
    }
}
