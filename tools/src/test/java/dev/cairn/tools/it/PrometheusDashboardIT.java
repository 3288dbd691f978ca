package dev.cairn.tools.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance for the Grafana dashboard ({@code helm/cairn/dashboards/cairn.json}) over several
 * deployments in one Prometheus: a real {@code prometheus} on loopback scrapes two Cairn clusters
 * (a server and three chunkstores each, separate processes) under the target labels
 * {@code cluster="east"} and {@code cluster="west"}; east's nodes have a capacity, west's are
 * unlimited. S3 traffic runs through both (with an error and a lost piece, so error and failure
 * counters exist; a different number of objects in each). Then every {@code expr}, with Grafana's
 * {@code $cluster} and {@code $instance} set to one cluster and its targets, must return data and
 * only that cluster's: the same expr with the cluster of one and the instances of the other
 * returns nothing (so every series in it is filtered by both), labelled samples name only their
 * own cluster and instances, the object count and the capacity are each cluster's own, and west's
 * capacity shows as unlimited. The replicated-metadata row's series exist only on servers with
 * {@code --metadata-peers}: a third deployment, {@code cluster="raft"} (three server processes
 * replicating metadata, no nodes, buckets created through each), must answer each of that row's
 * exprs, and only with its own series; east and west (single servers: no Raft group) must answer
 * none. The lifecycle row's counters exist from the start on every server, so its queries answer
 * (zero) on east and west too. Without prometheus on PATH the test is skipped, under CI it fails.
 */
class PrometheusDashboardIT {
    private static final String BUCKET = "dashboard";
    private static final int EAST_OBJECTS = 10;
    private static final int WEST_OBJECTS = 4;
    /** Ranges of rate() in the dashboard: long enough for several 1 s scrapes. */
    private static final String RATE_RANGE = "30s";
    /** Every metric a query names (they all start so), each of which must carry both matchers. */
    private static final Pattern METRIC = Pattern.compile("\\b(cairn_\\w+|jvm_\\w+|process_\\w+|up)\\b(\\{[^}]*})?");

    @TempDir
    Path dir;
    ClusterFixture east;
    ClusterFixture west;
    final List<ServerProcess> raft = new ArrayList<>();
    PrometheusServer prometheus;

    @BeforeEach
    void start() throws IOException {
        Path binary = ExternalTool.require("prometheus");
        east = ClusterFixture.start("PrometheusDashboardIT-east", dir.resolve("east"), 3, "rs2+1");
        west = ClusterFixture.start("PrometheusDashboardIT-west", dir.resolve("west"), 3, "rs2+1", List.of(), 0);
        startRaft();
        List<PrometheusServer.Targets> targets = new ArrayList<>();
        for (Map.Entry<String, ClusterFixture> c : Map.of("east", east, "west", west).entrySet()) {
            Map<String, String> label = Map.of("cluster", c.getKey());
            targets.add(new PrometheusServer.Targets("cairn-server", label, List.of(hostPort(c.getValue().server()
                    .adminUri()))));
            targets.add(new PrometheusServer.Targets("cairn-chunkstore", label,
                    c.getValue().nodes().stream().map(n -> hostPort(n.address())).toList()));
        }
        targets.add(new PrometheusServer.Targets("cairn-server", Map.of("cluster", "raft"),
                raft.stream().map(r -> hostPort(r.adminUri())).toList()));
        Files.createDirectories(dir.resolve("prometheus"));
        prometheus = PrometheusServer.start(binary, dir.resolve("prometheus"), Logs.dir("PrometheusDashboardIT"),
                targets);
    }

    /** Three servers replicating metadata (snapshots every 20 entries, so one exists), no nodes. */
    private void startRaft() throws IOException {
        StringBuilder peers = new StringBuilder();
        for (String id : List.of("a", "b", "c")) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                peers.append(peers.length() == 0 ? "" : ",").append(id).append("=127.0.0.1:").append(s.getLocalPort());
            }
        }
        for (String id : List.of("a", "b", "c")) {
            raft.add(ServerProcess.start("PrometheusDashboardIT-raft-" + id, dir.resolve("raft-" + id),
                    List.of("--chunkstores", "0", "--metadata-peers", peers.toString(), "--metadata-id", id,
                            "--metadata-snapshot-every", "20"),
                    Map.of("CAIRN_CLUSTER_SECRET", ClusterFixture.CLUSTER_SECRET)));
        }
    }

    @AfterEach
    void stop() {
        List<AutoCloseable> all = new ArrayList<>(List.of(new AutoCloseable[]{prometheus, east, west}));
        all.addAll(raft);
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private static String hostPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private static Set<String> instances(ClusterFixture c) {
        Set<String> out = new java.util.TreeSet<>();
        out.add(hostPort(c.server().adminUri()));
        c.nodes().forEach(n -> out.add(hostPort(n.address())));
        return out;
    }

    /** What Grafana puts for a multi-value $instance: the values regex-escaped, joined with "|". */
    private static String instanceRegex(Set<String> instances) {
        return "(" + instances.stream().map(i -> i.replace(".", "\\\\.")).collect(Collectors.joining("|")) + ")";
    }

    /** The dashboard's file, found from the tools module or the repository root. */
    static Path dashboardFile() {
        String configured = System.getProperty("cairn.dashboard");
        Path file = configured != null ? Path.of(configured) : Path.of("../helm/cairn/dashboards/cairn.json");
        assertTrue(Files.isRegularFile(file), "dashboard not found at " + file.toAbsolutePath());
        return file;
    }

    /** Every target expression of every panel, rows' nested panels included, with its panel. */
    static Map<String, JsonObject> expressions(JsonObject dashboard) {
        Map<String, JsonObject> out = new LinkedHashMap<>();
        collect(dashboard.getJsonArray("panels", new JsonArray()), out);
        return out;
    }

    private static void collect(JsonArray panels, Map<String, JsonObject> out) {
        for (int i = 0; i < panels.size(); i++) {
            JsonObject panel = panels.getJsonObject(i);
            JsonArray targets = panel.getJsonArray("targets", new JsonArray());
            for (int t = 0; t < targets.size(); t++) {
                String expr = targets.getJsonObject(t).getString("expr");
                if (expr != null) {
                    out.put(expr, panel);
                }
            }
            collect(panel.getJsonArray("panels", new JsonArray()), out);
        }
    }

    private static String promql(String expr, String cluster, Set<String> instances) {
        return expr.replace("$__rate_interval", RATE_RANGE).replace("$cluster", cluster)
                .replace("$instance", instanceRegex(instances));
    }

    /** The expr of the panel titled {@code title} whose legend is {@code legend}. */
    private static String expr(JsonObject dashboard, String title, String legend) {
        return expressions(dashboard).entrySet().stream()
                .filter(e -> e.getValue().getString("title").equals(title))
                .filter(e -> e.getValue().getJsonArray("targets").stream().map(JsonObject.class::cast)
                        .anyMatch(t -> t.getString("expr").equals(e.getKey()) && t.getString("legendFormat").equals(legend)))
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no panel " + title));
    }

    @Test
    void everyQueryWithClusterAndInstanceSetAnswersOnlyForItsOwnCluster() throws IOException {
        JsonObject dashboard = new JsonObject(Files.readString(dashboardFile()));
        Map<String, JsonObject> exprs = expressions(dashboard);
        assertTrue(exprs.size() >= 20, "dashboard has only " + exprs.size() + " queries");
        List<String> variables = dashboard.getJsonObject("templating").getJsonArray("list").stream()
                .map(v -> ((JsonObject) v).getString("name")).toList();
        assertTrue(variables.containsAll(List.of("datasource", "cluster", "instance")), variables.toString());
        List<String> unfiltered = new ArrayList<>();
        exprs.keySet().forEach(e -> {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                String sel = m.group(2) == null ? "" : m.group(2);
                if (!sel.contains("cluster=~\"$cluster\"") || !sel.contains("instance=~\"$instance\"")) {
                    unfiltered.add(m.group(1) + " in " + e);
                }
            }
        });
        assertEquals(List.of(), unfiltered, "series without the cluster and instance matchers");

        ClusterFixture.await("all eleven targets scraped and up", () -> prometheus.query("sum(up)"),
                r -> !r.isEmpty() && value(r.getJsonObject(0)) == 11, Duration.ofSeconds(60));
        runTraffic(east, EAST_OBJECTS);
        runTraffic(west, WEST_OBJECTS);
        runRaftTraffic();
        for (Map.Entry<String, Integer> c : Map.of("east", EAST_OBJECTS, "west", WEST_OBJECTS).entrySet()) {
            ClusterFixture.await("Prometheus has " + c.getKey() + "'s traffic", () -> prometheus.query(
                            "cairn_bucket_objects{bucket=\"" + BUCKET + "\", cluster=\"" + c.getKey() + "\"} "
                                    + "and on() cairn_piece_failures_total{cluster=\"" + c.getKey() + "\"}"),
                    r -> !r.isEmpty() && value(r.getJsonObject(0)) == c.getValue(), Duration.ofSeconds(60));
        }
        ServerProcess.sleep(3000); // a few more scrapes, so every rate() has two samples after the traffic

        Set<String> eastTargets = instances(east);
        Set<String> westTargets = instances(west);
        Set<String> raftTargets = raft.stream().map(r -> hostPort(r.adminUri()))
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        String boundedCapacity = expr(dashboard, "Capacity used vs total", "capacity");
        List<String> problems = new ArrayList<>();
        int raftExprs = 0;
        for (Map.Entry<String, JsonObject> e : exprs.entrySet()) {
            String title = e.getValue().getString("title") + ": ";
            if (replicatedOnly(e.getKey())) {
                raftExprs++;
                checkOwn(e.getKey(), "raft", raftTargets, true, title, problems);
                checkOwn(e.getKey(), "east", eastTargets, false, title, problems);
                checkOwn(e.getKey(), "west", westTargets, false, title, problems);
                String q = promql(e.getKey(), "raft", eastTargets);
                if (!prometheus.query(q).isEmpty()) {
                    problems.add(title + "cluster raft with east's instances answered: " + q);
                }
                continue;
            }
            checkOwn(e.getKey(), "east", eastTargets, true, title, problems);
            checkOwn(e.getKey(), "west", westTargets, !e.getKey().equals(boundedCapacity), title, problems);
            for (String[] cross : new String[][]{{"east", "west"}, {"west", "east"}}) {
                String q = promql(e.getKey(), cross[0], cross[1].equals("east") ? eastTargets : westTargets);
                if (!prometheus.query(q).isEmpty()) {
                    problems.add(title + "cluster " + cross[0] + " with " + cross[1] + "'s instances answered: " + q);
                }
            }
        }
        assertEquals(List.of(), problems, "dashboard queries that do not answer for exactly their own cluster");
        assertTrue(raftExprs >= 8, "the replicated metadata row has only " + raftExprs + " queries");
        // the lifecycle row: its counters are registered at start, so each query answers (checked above)
        long lifecycleExprs = exprs.keySet().stream().filter(q -> q.contains("cairn_lifecycle_")).count();
        assertTrue(lifecycleExprs >= 10, "the lifecycle row has only " + lifecycleExprs + " queries");
        assertEquals(0.0, single(promql(expr(dashboard, "Bytes re-protected by transitions", "re-protected"), "east",
                eastTargets)), "no transition ran on east");
        String term = expr(dashboard, "Term", "term");
        assertTrue(single(promql(term, "raft", raftTargets)) >= 1, "an elected leader's term");
        String leaders = expr(dashboard, "Leader", "{{instance}}");
        assertEquals(1.0, prometheus.query("sum(" + promql(leaders, "raft", raftTargets) + ")").stream()
                .mapToDouble(r -> value((JsonObject) r)).sum(), "exactly one of the three leads");

        String objects = expr(dashboard, "Objects", "objects");
        assertEquals(EAST_OBJECTS, single(promql(objects, "east", eastTargets)));
        assertEquals(WEST_OBJECTS, single(promql(objects, "west", westTargets)));
        String capacity = expr(dashboard, "Capacity", "capacity");
        assertEquals(3.0 * ClusterFixture.NODE_CAPACITY, single(promql(capacity, "east", eastTargets)));
        assertEquals(0.0, single(promql(capacity, "west", westTargets)), "west's nodes are unlimited");
        JsonObject mappings = exprs.get(capacity).getJsonObject("fieldConfig").getJsonObject("defaults")
                .getJsonArray("mappings").getJsonObject(0);
        assertEquals("unlimited", mappings.getJsonObject("options").getJsonObject("0").getString("text"),
                "0 shows as unlimited");
    }

    /** Whether every series {@code expr} names is one of replicated metadata ({@code cairn_metadata_*}). */
    private static boolean replicatedOnly(String expr) {
        Matcher m = METRIC.matcher(expr);
        boolean any = false;
        while (m.find()) {
            if (!m.group(1).startsWith("cairn_metadata_")) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** Buckets created through each replicated server: commits from every gateway, grouped by the leader. */
    private void runRaftTraffic() {
        for (ServerProcess server : raft) {
            ClusterFixture.await(server.adminUri() + " has a metadata leader", () -> metadataReady(server),
                    Boolean::booleanValue, Duration.ofSeconds(90));
        }
        for (int i = 0; i < raft.size(); i++) {
            try (S3Client s3 = raft.get(i).s3ClientBuilder().build()) {
                for (int b = 0; b < 5; b++) {
                    String name = "raft-" + i + "-" + b;
                    s3.createBucket(r -> r.bucket(name));
                }
            }
        }
        ClusterFixture.await("Prometheus has the replicated commits", () -> prometheus.query(
                        "sum(cairn_metadata_commit_commands_total{cluster=\"raft\"})"),
                r -> !r.isEmpty() && value(r.getJsonObject(0)) >= 15, Duration.ofSeconds(60));
    }

    /** Whether the server's readiness no longer waits for the metadata group (it may still lack nodes). */
    private static boolean metadataReady(ServerProcess server) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(server.adminUri().resolve("/health/ready")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 || !r.body().contains("metadata");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code expr} for {@code cluster}: data (unless {@code wantData} is false: none), only its own. */
    private void checkOwn(String expr, String cluster, Set<String> targets, boolean wantData, String title,
                          List<String> problems) {
        String q = promql(expr, cluster, targets);
        assertFalse(q.contains("$"), "unreplaced Grafana variable in " + q);
        JsonArray result = prometheus.query(q);
        if (wantData == result.isEmpty()) {
            problems.add(title + cluster + (wantData ? " has no data: " : " should have no data: ") + q);
        }
        for (int i = 0; i < result.size(); i++) {
            JsonObject labels = result.getJsonObject(i).getJsonObject("metric");
            String c = labels.getString("cluster");
            String instance = labels.getString("instance");
            if ((c != null && !c.equals(cluster)) || (instance != null && !targets.contains(instance))) {
                problems.add(title + cluster + " answered a series of another deployment " + labels.encode() + ": " + q);
            }
        }
    }

    private double single(String promql) {
        JsonArray r = prometheus.query(promql);
        assertEquals(1, r.size(), promql + " -> " + r.encode());
        return value(r.getJsonObject(0));
    }

    private static double value(JsonObject sample) {
        return Double.parseDouble(sample.getJsonArray("value").getString(1));
    }

    /**
     * Puts objects (Reed-Solomon 2+1 over three nodes), deletes every piece file of one node,
     * then reads everything back (reads rebuild the lost pieces: failures and reconstructions),
     * and asks for a key that does not exist (an S3 error).
     */
    private static void runTraffic(ClusterFixture cluster, int count) throws IOException {
        byte[] body = new byte[256 * 1024];
        new Random(7).nextBytes(body);
        try (S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            for (int i = 0; i < count; i++) {
                int n = i;
                s3.putObject(b -> b.bucket(BUCKET).key("object-" + n), RequestBody.fromBytes(body));
            }
            for (Path piece : cluster.nodes().get(0).pieceFiles()) {
                Files.delete(piece);
            }
            for (int i = 0; i < count; i++) {
                int n = i;
                assertArrayEquals(body, s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("object-" + n)).asByteArray());
            }
            assertThrows(NoSuchKeyException.class, () -> s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("absent")));
        }
    }
}
