package dev.cairn.chunkstore.node;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a signed {@link HeartbeatMessage} to {@code {joinUrl}/cluster/v1/heartbeat} at once and
 * then every interval after the previous one finished (beats never overlap). Logs only changes:
 * the first accepted beat, the server becoming unreachable, refusing beats, and answering again.
 * Runs on a Vert.x event loop; building and signing a beat is a few hundred bytes of work.
 */
final class Heartbeater implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeater.class);

    private enum State { STARTING, ACCEPTED, UNREACHABLE, REFUSED }

    private final Vertx vertx;
    private final HttpClient http;
    private final URI join;
    private final String target;
    private final ClusterAuth auth;
    private final Supplier<HeartbeatMessage> message;
    private final Duration interval;
    private final long timeoutMillis;
    private State state = State.STARTING; // touched on the timer's event loop only
    private volatile long timer = -1;
    private volatile boolean stopped;
    private volatile long accepted;

    Heartbeater(Vertx vertx, HttpClient http, String joinUrl, ClusterAuth auth, Supplier<HeartbeatMessage> message,
                Duration interval) {
        this.vertx = vertx;
        this.http = http;
        this.join = URI.create(joinUrl);
        String base = join.getRawPath() == null ? "" : join.getRawPath();
        this.target = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + HeartbeatMessage.PATH;
        this.auth = auth;
        this.message = message;
        this.interval = interval;
        this.timeoutMillis = Math.max(1_000, Math.min(10_000, interval.toMillis() * 2));
    }

    void start() {
        vertx.runOnContext(v -> beat());
    }

    /** Heartbeats the server accepted so far. */
    long accepted() {
        return accepted;
    }

    private void beat() {
        if (stopped) {
            return;
        }
        byte[] body = message.get().toJson().encode().getBytes(StandardCharsets.UTF_8);
        ClusterAuth.Signature sig = auth.sign("POST", target, ClusterAuth.sha256Hex(body));
        boolean ssl = "https".equals(join.getScheme());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(join.getHost())
                .setPort(join.getPort() > 0 ? join.getPort() : ssl ? 443 : 80)
                .setSsl(ssl)
                .setURI(target)
                .setConnectTimeout(timeoutMillis)
                .setIdleTimeout(timeoutMillis)
                .putHeader("Content-Type", "application/json");
        sig.headers().forEach(options::putHeader);
        http.request(options)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> new Object[] {resp.statusCode(), b}))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        transition(State.UNREACHABLE, ar.cause().toString());
                    } else {
                        int status = (Integer) ar.result()[0];
                        if (status / 100 == 2) {
                            accepted++;
                            transition(State.ACCEPTED, null);
                        } else {
                            // one log line per event: a pretty-printed JSON body goes on one line
                            String text = ar.result()[1].toString().strip().replaceAll("\\s+", " ");
                            String hint = (status == 401 || status == 403) && !text.contains("transport_refused")
                                    ? " (check CAIRN_CLUSTER_SECRET and the clocks)" : "";
                            transition(State.REFUSED, "HTTP " + status
                                    + (text.isEmpty() ? "" : " " + text.substring(0, Math.min(200, text.length()))) + hint);
                        }
                    }
                    if (!stopped) {
                        timer = vertx.setTimer(interval.toMillis(), id -> beat());
                    }
                });
    }

    private void transition(State next, String detail) {
        State previous = state;
        state = next;
        if (previous == next) {
            return;
        }
        switch (next) {
            case ACCEPTED:
                if (previous == State.STARTING) {
                    LOG.info("joined the cluster at {}: heartbeats every {} ms", join, interval.toMillis());
                } else {
                    LOG.info("the server at {} accepts heartbeats again", join);
                }
                break;
            case UNREACHABLE:
                LOG.warn("the server at {} is unreachable ({}); retrying every {} ms, logged again when it answers",
                        join, detail, interval.toMillis());
                break;
            case REFUSED:
                LOG.warn("the server at {} refuses heartbeats: {}; logged again when it accepts them", join, detail);
                break;
            default:
                break;
        }
    }

    @Override
    public void close() {
        stopped = true;
        long t = timer;
        if (t >= 0) {
            vertx.cancelTimer(t);
        }
    }
}
