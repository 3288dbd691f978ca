package dev.cairn.tools.it;

import dev.cairn.chunkstore.node.ClusterAuth;
import dev.cairn.s3.auth.RequestSigner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A Cairn cluster on loopback for the integration tests: one {@code cairn server} with no
 * embedded chunkstores and N {@code cairn chunkstore} processes that join it, each a separate
 * JVM on port 0 with its own data directory under {@code dir}. Nodes can be SIGKILLed and
 * restarted on their data; the admin API and {@code /metrics} are read the way an operator reads
 * them (SigV4 with the root credentials; Prometheus text).
 *
 * <p>Logs: {@code target/it-logs/<name>/server-<n>.out|.err} and {@code node-<i>-<n>.out|.err}.
 */
public final class ClusterFixture implements AutoCloseable {
    public static final String CLUSTER_SECRET = "cairn-it-cluster-secret-0123456789";
    /** Heartbeat every second, DOWN after 4 s of silence: failures show within seconds. */
    public static final int HEARTBEAT_SECONDS = 1;
    public static final int DOWN_AFTER_SECONDS = 4;
    public static final long NODE_CAPACITY = 8L << 30;
    private static final Logger LOG = LoggerFactory.getLogger(ClusterFixture.class);
    private static final Duration CONVERGE_LIMIT = Duration.ofSeconds(30);

    /** Server flags for mover tests: rebuild 2 s after a node is DOWN, plan every second. */
    public static final List<String> FAST_MOVERS = List.of("--repair-grace", "2s", "--mover-pass-interval", "1s",
            "--mover-bytes-per-second", "512MiB", "--mover-moves-per-node", "4");

    private final String name;
    private final Path dir;
    private final ServerProcess server;
    private final List<NodeProcess> nodes;
    private final long nodeCapacity;
    private List<String> nodeArgs = List.of();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private ClusterFixture(String name, Path dir, ServerProcess server, List<NodeProcess> nodes, long nodeCapacity) {
        this.name = name;
        this.dir = dir;
        this.server = server;
        this.nodes = nodes;
        this.nodeCapacity = nodeCapacity;
    }

    /** Starts the server with {@code protection} and {@code nodeCount} nodes; returns when all are UP. */
    public static ClusterFixture start(String name, Path dir, int nodeCount, String protection) {
        return start(name, dir, nodeCount, protection, List.of());
    }

    /** As {@link #start(String, Path, int, String)}, with more server flags (they win over the defaults). */
    public static ClusterFixture start(String name, Path dir, int nodeCount, String protection,
                                       List<String> serverArgs) {
        return start(name, dir, nodeCount, protection, serverArgs, NODE_CAPACITY);
    }

    /** As above, with each node offering {@code nodeCapacity} bytes (0: no --capacity, unlimited). */
    public static ClusterFixture start(String name, Path dir, int nodeCount, String protection,
                                       List<String> serverArgs, long nodeCapacity) {
        return start(name, dir, nodeCount, protection, serverArgs, nodeCapacity, List.of());
    }

    /** As above, with more flags for every node (e.g. its TLS certificate). */
    public static ClusterFixture start(String name, Path dir, int nodeCount, String protection,
                                       List<String> serverArgs, long nodeCapacity, List<String> nodeArgs) {
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(List.of(
                "--chunkstores", "0",
                "--protection", protection,
                "--heartbeat-seconds", Integer.toString(HEARTBEAT_SECONDS),
                "--down-after-seconds", Integer.toString(DOWN_AFTER_SECONDS)));
        args.addAll(serverArgs);
        ServerProcess server = ServerProcess.start(name, dir.resolve("server"), args,
                Map.of("CAIRN_CLUSTER_SECRET", CLUSTER_SECRET));
        List<NodeProcess> nodes = new ArrayList<>();
        ClusterFixture cluster = new ClusterFixture(name, dir, server, nodes, nodeCapacity);
        cluster.nodeArgs = List.copyOf(nodeArgs);
        try {
            for (int i = 0; i < nodeCount; i++) {
                nodes.add(cluster.launchNode(i));
            }
            nodes.forEach(NodeProcess::awaitReady);
            cluster.awaitAllUp();
        } catch (RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
        LOG.info("{}: cluster of {} nodes up in {} ms", name, nodeCount, (System.nanoTime() - t0) / 1_000_000);
        return cluster;
    }

    private NodeProcess launchNode(int i) {
        List<String> args = new ArrayList<>(List.of("--heartbeat-seconds", Integer.toString(HEARTBEAT_SECONDS)));
        if (nodeCapacity > 0) {
            args.addAll(List.of("--capacity", Long.toString(nodeCapacity)));
        }
        args.addAll(nodeArgs);
        return NodeProcess.launch("node-" + i, dir.resolve("node-" + i), Logs.dir(name), server.adminUri(),
                CLUSTER_SECRET, args);
    }

    /** Starts one more node, which joins the cluster; returns once the server sees every node UP. */
    public NodeProcess addNode() {
        NodeProcess n = launchNode(nodes.size());
        nodes.add(n);
        n.awaitReady();
        awaitAllUp();
        return n;
    }

    /** Forgets a node the cluster removed (after its process stopped), so awaitAllUp no longer expects it. */
    public void forget(NodeProcess node) {
        node.stop();
        nodes.remove(node);
    }

    public ServerProcess server() {
        return server;
    }

    public List<NodeProcess> nodes() {
        return List.copyOf(nodes);
    }

    public List<NodeProcess> liveNodes() {
        return nodes.stream().filter(NodeProcess::isAlive).toList();
    }

    /** A sync SDK client (path style, checksums only when required) with the SDK's default retries. */
    public S3Client s3() {
        return server.s3ClientBuilder().build();
    }

    /** Like {@link #s3()}, but every failure reaches the test: no retries. */
    public S3Client s3WithoutRetries() {
        return server.s3ClientBuilder()
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(60)))
                .build();
    }

    // ---- admin API ----

    /** {@code GET /admin/nodes}, signed with the root credentials. */
    public JsonObject adminNodes() {
        return new JsonObject(adminGet("/admin/nodes", true).body());
    }

    /** {@code GET /admin/summary}, signed with the root credentials. */
    public JsonObject adminSummary() {
        return new JsonObject(adminGet("/admin/summary", true).body());
    }

    /** A GET on the admin port, SigV4-signed with the root credentials when {@code signed}. */
    public HttpResponse<String> adminGet(String path, boolean signed) {
        HttpResponse<String> r = admin("GET", path, null, signed);
        if (signed && r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    /** An admin request with an optional JSON body, SigV4-signed with the root credentials when {@code signed}. */
    public HttpResponse<String> admin(String method, String path, String body, boolean signed) {
        URI uri = server.adminUri().resolve(path);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (signed) {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            new RequestSigner(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY, ServerProcess.REGION)
                    .sign(method, uri.getHost() + ":" + uri.getPort(), path, null, ClusterAuth.sha256Hex(bytes),
                            Instant.now())
                    .forEach(req::header);
        }
        return send(req.build());
    }

    /** Runs {@code cairn admin ARGS} (the packaged CLI, as an operator would) against this server. */
    public CommandLine.Result cli(String... args) {
        List<String> cmd = new ArrayList<>(List.of("admin"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--endpoint", server.adminUri().toString()));
        return cairn(name, Map.of("CAIRN_ROOT_ACCESS_KEY", ServerProcess.ACCESS_KEY,
                "CAIRN_ROOT_SECRET_KEY", ServerProcess.SECRET_KEY), cmd);
    }

    /**
     * Runs the packaged {@code cairn ARGS} with no inherited CAIRN_* or AWS_* variable, only
     * {@code env}; output under {@code target/it-logs/<logName>/NNN-cli.*}.
     */
    public static CommandLine.Result cairn(String logName, Map<String, String> env, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", ServerProcess.jar().toString()));
        cmd.addAll(args);
        CommandLine line = CommandLine.of(cmd).unsetEnv(k -> k.startsWith("CAIRN_") || k.startsWith("AWS_"));
        env.forEach(line::env);
        return line.timeout(Duration.ofMinutes(3)).logTo(Logs.dir(logName), "cli").run();
    }

    /** {@code GET /admin/rebalances}: the movers' progress. */
    public JsonObject rebalances() {
        return new JsonObject(adminGet("/admin/rebalances", true).body());
    }

    /**
     * Waits until the movers planned against the current cluster map (or a later one) and found
     * nothing left to move, in a planning pass that started after this call (a pass already under
     * way may predate the last writes and their repair records); returns that progress report.
     */
    public JsonObject awaitMoversSettled(Duration limit) {
        long version = adminNodes().getLong("mapVersion");
        long passes = rebalances().getLong("passes");
        return await("movers settled on map v" + version, this::rebalances,
                r -> r.getLong("passes") >= passes + 2 && r.getLong("settledMapVersion") >= version
                        && r.getLong("chunksToMove") == 0, limit);
    }

    /** Every piece file on the live nodes' disks, as "chunkhex.index" by node id. */
    public Map<String, List<String>> piecesByNode() {
        Map<String, List<String>> out = new HashMap<>();
        for (NodeProcess n : liveNodes()) {
            out.put(n.id(), n.pieceFiles().stream().map(p -> p.getFileName().toString()).toList());
        }
        return out;
    }

    /** The server's Prometheus scrape ({@code GET /metrics} on the admin port). */
    public String serverMetrics() {
        return adminGet("/metrics", false).body();
    }

    /**
     * The value of a Prometheus sample whose name is {@code metric} and whose labels include
     * every one of {@code labels} (like {@code reason="corrupt"}); 0 when there is none.
     */
    public static double metricValue(String scrape, String metric, String... labels) {
        double sum = 0;
        for (String line : scrape.lines().toList()) {
            if (line.startsWith("#") || !(line.startsWith(metric + "{") || line.startsWith(metric + " "))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The admin API's record of a node, by id. */
    public JsonObject nodeRecord(String nodeId) {
        JsonArray list = adminNodes().getJsonArray("nodes");
        for (int i = 0; i < list.size(); i++) {
            if (list.getJsonObject(i).getString("id").equals(nodeId)) {
                return list.getJsonObject(i);
            }
        }
        throw new AssertionError("node " + nodeId + " not in /admin/nodes: " + list.encodePrettily());
    }

    // ---- requests to the S3 port and to nodes, by hand ----

    /** A PUT signed by hand (SigV4 header auth, unsigned payload) and sent with java.net.http. */
    public HttpResponse<String> signedPut(String bucket, String key, HttpRequest.BodyPublisher body,
                                          Duration timeout) {
        URI uri = server.s3Uri().resolve("/" + bucket + "/" + key);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(timeout).PUT(body);
        new RequestSigner(ServerProcess.ACCESS_KEY, ServerProcess.SECRET_KEY, ServerProcess.REGION)
                .sign("PUT", uri.getHost() + ":" + uri.getPort(), uri.getRawPath(), null,
                        RequestSigner.UNSIGNED_PAYLOAD, Instant.now())
                .forEach(req::header);
        return send(req.build());
    }

    /**
     * A request straight to a node's HTTP API, signed with {@code auth} the way the server signs
     * (method, path, time, body SHA-256), or unsigned when {@code auth} is null.
     */
    public HttpResponse<String> nodeRequest(NodeProcess node, String method, String path, ClusterAuth auth,
                                            byte[] body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(node.address().resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null) {
            String digest = body == null ? ClusterAuth.EMPTY_SHA256 : ClusterAuth.sha256Hex(body);
            auth.sign(method, path, digest).headers().forEach(req::header);
        }
        return send(req.build());
    }

    // ---- piece files ----

    /** Every piece file on every node's disk (killed nodes too), with its node. */
    public Map<Path, NodeProcess> pieceFiles() {
        Map<Path, NodeProcess> all = new HashMap<>();
        nodes.forEach(n -> n.pieceFiles().forEach(f -> all.put(f, n)));
        return all;
    }

    /** The piece files of the nodes that are running. */
    public Map<Path, NodeProcess> livePieceFiles() {
        Map<Path, NodeProcess> all = new HashMap<>();
        liveNodes().forEach(n -> n.pieceFiles().forEach(f -> all.put(f, n)));
        return all;
    }

    /** The files in {@code after} that were not in {@code before}. */
    public static Map<Path, NodeProcess> added(Map<Path, NodeProcess> before, Map<Path, NodeProcess> after) {
        Map<Path, NodeProcess> added = new HashMap<>(after);
        added.keySet().removeAll(before.keySet());
        return added;
    }

    // ---- membership ----

    /** SIGKILLs {@code count} live nodes, the last ones first; returns them. */
    public List<NodeProcess> killNodes(int count) {
        List<NodeProcess> live = new ArrayList<>(liveNodes());
        if (live.size() < count) {
            throw new IllegalStateException("only " + live.size() + " live nodes, cannot kill " + count);
        }
        List<NodeProcess> victims = new ArrayList<>(live.subList(live.size() - count, live.size()));
        victims.forEach(NodeProcess::kill9);
        return victims;
    }

    /**
     * Restarts every killed node on its data directory and waits until the server sees all of
     * them UP (a frozen node must have been thawed).
     */
    public void restoreAll() {
        List<NodeProcess> dead = nodes.stream().filter(n -> !n.isAlive()).toList();
        if (!dead.isEmpty()) {
            long t0 = System.nanoTime();
            dead.forEach(NodeProcess::restart);
            LOG.info("{}: restarted {} in {} ms", name, dead.stream().map(NodeProcess::name).toList(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
        awaitAllUp();
    }

    /** Waits until the server lists exactly this fixture's nodes, all UP, and all writable. */
    public void awaitAllUp() {
        List<String> ids = nodes.stream().map(NodeProcess::id).sorted().toList();
        awaitSummary("all " + ids.size() + " nodes UP and writable", s -> {
            JsonObject states = s.getJsonObject("nodes");
            return states.getInteger("UP", 0) == ids.size() && states.size() == 1
                    && s.getInteger("writableNodes") == ids.size();
        });
        List<String> listed = adminNodes().getJsonArray("nodes").stream()
                .map(o -> ((JsonObject) o).getString("id")).sorted().toList();
        if (!listed.equals(ids)) {
            throw new AssertionError("/admin/nodes lists " + listed + ", the nodes started are " + ids);
        }
    }

    /** Polls {@code /admin/summary} until {@code condition} holds; returns that summary. */
    public JsonObject awaitSummary(String what, Predicate<JsonObject> condition) {
        return await(what, this::adminSummary, condition, CONVERGE_LIMIT);
    }

    /** Polls {@code probe} every 100 ms until {@code condition} holds or {@code limit} passes. */
    public static <T> T await(String what, Supplier<T> probe, Predicate<T> condition, Duration limit) {
        long t0 = System.nanoTime();
        long deadline = t0 + limit.toNanos();
        T last;
        while (true) {
            last = probe.get();
            if (condition.test(last)) {
                LOG.info("{} after {} ms", what, (System.nanoTime() - t0) / 1_000_000);
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + limit + "; last seen: " + last);
            }
            ServerProcess.sleep(100);
        }
    }

    HttpResponse<String> send(HttpRequest req) {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Stops every node (SIGTERM, all at once) and then the server. */
    @Override
    public void close() {
        List<Throwable> failures = new ArrayList<>();
        nodes.forEach(NodeProcess::terminate);
        for (NodeProcess n : nodes) {
            try {
                n.stop();
            } catch (RuntimeException | AssertionError e) {
                failures.add(e);
            }
        }
        try {
            server.close();
        } catch (RuntimeException | AssertionError e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError(name + ": " + failures.size() + " process(es) did not stop cleanly");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }
}
