package dev.cairn.s3.http;

import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.request.S3Request;
import dev.cairn.placement.storage.StorageNodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of the S3 gateway: requests by operation and status class (total latency and
 * time to first byte, both with histograms), bytes in and out, errors by S3 error code, and gauges
 * over what is stored and the storage nodes. Every tag takes values from a closed set (operations
 * and error codes are enums, node tags are capped at {@link #MAX_NODES}).
 */
public final class S3Metrics {
    /** Per-node gauges are only published while the cluster has at most this many nodes. */
    public static final int MAX_NODES = 200;
    /** The operation tag when a request failed before it was parsed. */
    static final String UNPARSED = "Unknown";

    private final MeterRegistry registry;
    /**
     * The per-request meters, by operation (and status class): registered once each, so a
     * request costs no meter id, tag sorting or registry lookup (four per request before).
     */
    private final Map<String, Timer> firstByte = new ConcurrentHashMap<>();
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    private final Map<String, Counter> sent = new ConcurrentHashMap<>();

    public S3Metrics(MeterRegistry registry) {
        this.registry = registry;
    }

    static String operation(S3Exchange ex) {
        S3Request op = ex.op();
        return op == null ? UNPARSED : op.operation().awsName();
    }

    static String statusClass(int status) {
        if (status >= 200 && status < 600) {
            return (status / 100) + "xx";
        }
        return "5xx";
    }

    /** Hooks the exchange's response head; call once, when the request arrives. */
    public void started(S3Exchange ex) {
        ex.response().headersEndHandler(v -> firstByte.computeIfAbsent(operation(ex), op ->
                        Timer.builder("cairn.s3.request.first.byte")
                                .description("Time from the arrival of an S3 request until its response head is written")
                                .tag("operation", op)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(System.nanoTime() - ex.startNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * Records a finished exchange; call exactly once, when the response ended or the connection
     * closed. A response that never ended is counted with status "aborted".
     */
    public void finished(S3Exchange ex) {
        long elapsed = System.nanoTime() - ex.startNanos();
        HttpServerRequest request = ex.request();
        HttpServerResponse response = ex.response();
        String op = operation(ex);
        String status = response.ended() ? statusClass(response.getStatusCode()) : "aborted";
        requests.computeIfAbsent(op + ' ' + status, k -> Timer.builder("cairn.s3.requests")
                        .description("S3 requests, from arrival until the response ended, by operation and status class")
                        .tags("operation", op, "status", status)
                        .publishPercentileHistogram()
                        .register(registry))
                .record(elapsed, TimeUnit.NANOSECONDS);
        received.computeIfAbsent(op, k -> Counter.builder("cairn.s3.bytes.received")
                        .description("Request body bytes received by the S3 endpoint")
                        .baseUnit("bytes")
                        .tag("operation", op)
                        .register(registry))
                .increment(Math.max(0, request.bytesRead()));
        sent.computeIfAbsent(op, k -> Counter.builder("cairn.s3.bytes.sent")
                        .description("Response body bytes sent by the S3 endpoint")
                        .baseUnit("bytes")
                        .tag("operation", op)
                        .register(registry))
                .increment(Math.max(0, response.bytesWritten()) + ex.bodyBytesSentAside());
    }

    /** Counts one S3 error response. */
    public void error(S3Exchange ex, S3ErrorCode code) {
        Counter.builder("cairn.s3.errors")
                .description("S3 error responses, by S3 error code and operation")
                .baseUnit("errors")
                .tags("code", code.code(), "operation", operation(ex))
                .register(registry)
                .increment();
    }

    /** Registers the gauges over stored objects and the storage nodes. */
    public void bindStorage(MetadataStore metadata, StorageNodes nodes) {
        Gauge.builder("cairn.objects", metadata, m -> m.stats().objects())
                .description("Objects stored, in all buckets")
                .baseUnit("objects")
                .register(registry);
        Gauge.builder("cairn.stored.bytes", metadata, m -> m.stats().bytes())
                .description("Bytes of object data stored (logical size), in all buckets")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("cairn.buckets", metadata, m -> m.stats().buckets())
                .description("Buckets")
                .baseUnit("buckets")
                .register(registry);
        for (NodeState state : NodeState.values()) {
            Gauge.builder("cairn.nodes", nodes, n -> n.map().nodes().stream().filter(r -> r.state() == state).count())
                    .description("Storage nodes in the cluster map, by state")
                    .baseUnit("nodes")
                    .tag("state", stateName(state))
                    .register(registry);
        }
        MultiGauge capacity = MultiGauge.builder("cairn.node.capacity.bytes")
                .description("Bytes a storage node offers, as last reported (0 = unknown)")
                .baseUnit("bytes")
                .register(registry);
        MultiGauge used = MultiGauge.builder("cairn.node.used.bytes")
                .description("Bytes used on a storage node, as last reported")
                .baseUnit("bytes")
                .register(registry);
        MultiGauge pieces = MultiGauge.builder("cairn.node.pieces")
                .description("Pieces held by a storage node, as last reported")
                .baseUnit("pieces")
                .register(registry);
        // a 0/1 state set has no unit (a base unit would be appended to the name)
        MultiGauge states = MultiGauge.builder("cairn.node.state")
                .description("1 for the state a storage node is in, 0 for the others (by node and state)")
                .register(registry);
        Runnable refresh = () -> {
            List<NodeRecord> all = nodes.map().nodes();
            boolean publish = all.size() <= MAX_NODES;
            capacity.register(rows(all, publish, nodes, NodeRecord::capacity), true);
            used.register(rows(all, publish, nodes, NodeRecord::used), true);
            pieces.register(rows(all, publish, nodes, NodeRecord::pieces), true);
            states.register(stateRows(all, publish, nodes), true);
        };
        refresh.run();
        nodes.map().onChange(m -> refresh.run());
    }

    /** One row per (node, state), live: 1 while the node is in that state. */
    private static List<MultiGauge.Row<?>> stateRows(List<NodeRecord> all, boolean publish, StorageNodes nodes) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (NodeRecord r : publish ? all : List.<NodeRecord>of()) {
            String id = r.id();
            for (NodeState state : NodeState.values()) {
                rows.add(MultiGauge.Row.of(Tags.of("node", id, "state", stateName(state)), nodes,
                        n -> n.node(id).map(x -> x.state() == state ? 1.0 : 0.0).orElse(Double.NaN)));
            }
        }
        return rows;
    }

    private static String stateName(NodeState state) {
        return state.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static List<MultiGauge.Row<?>> rows(List<NodeRecord> all, boolean publish, StorageNodes nodes,
                                                ToDoubleFunction<NodeRecord> value) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        if (!publish) {
            return rows;
        }
        for (NodeRecord r : all) {
            if (r.state() == NodeState.REMOVED) {
                continue;
            }
            String id = r.id();
            rows.add(MultiGauge.Row.of(Tags.of("node", id), nodes,
                    n -> n.node(id).map(value::applyAsDouble).orElse(Double.NaN)));
        }
        return rows;
    }
}
