package dev.cairn.tools;

import dev.cairn.s3.auth.RequestSigner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code cairn admin nodes|summary|bucket-class|drain|remove|rebalance status|pause|resume|throttle}:
 * the admin API, signed with the root credentials.
 */
final class AdminCommand {
    static final Set<String> FLAGS = new LinkedHashSet<>(List.of("endpoint", "access-key", "secret-key", "region",
            "json", "bytes-per-second", "moves-per-node"));
    private static final String SUBCOMMANDS = "nodes | summary | bucket-class | drain | remove | rebalance";

    private AdminCommand() {
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("cairn admin needs a subcommand: " + SUBCOMMANDS);
        }
        String what = args.get(0);
        List<String> positional = new java.util.ArrayList<>();
        int i = 1;
        while (i < args.size() && !args.get(i).startsWith("--")) {
            positional.add(args.get(i++));
        }
        Flags f = Flags.parse(args.subList(i, args.size()), FLAGS, env);
        String path;
        String method = "GET";
        String body = null;
        switch (what) {
            case "drain", "remove" -> {
                if (positional.size() != 1) {
                    throw new IllegalArgumentException("usage: cairn admin " + what + " NODE");
                }
                method = "POST";
                path = "/admin/nodes/" + positional.get(0) + "/" + what;
            }
            case "rebalance" -> {
                String sub = positional.isEmpty() ? "status" : positional.get(0);
                if (sub.equals("status") && positional.size() <= 1) {
                    path = "/admin/rebalances";
                } else if ((sub.equals("pause") || sub.equals("resume")) && positional.size() == 1) {
                    method = "POST";
                    path = "/admin/rebalances/" + sub;
                } else if (sub.equals("throttle") && positional.size() == 1) {
                    method = "PUT";
                    path = "/admin/rebalances/throttle";
                    JsonObject t = new JsonObject();
                    if (f.get("bytes-per-second", null) != null) {
                        t.put("bytesPerSecond", f.getSize("bytes-per-second", 0));
                    }
                    if (f.get("moves-per-node", null) != null) {
                        t.put("movesPerNode", f.getInt("moves-per-node", 0));
                    }
                    body = t.encode();
                } else {
                    throw new IllegalArgumentException("usage: cairn admin rebalance status | pause | resume | throttle "
                            + "[--bytes-per-second 64MiB] [--moves-per-node 2]");
                }
            }
            case "nodes", "summary" -> path = "/admin/" + what;
            case "bucket-class" -> {
                if (positional.isEmpty() || positional.size() > 2) {
                    throw new IllegalArgumentException("usage: cairn admin bucket-class BUCKET [STORAGE_CLASS|none]");
                }
                path = "/admin/buckets/" + positional.get(0) + "/storage-class";
                if (positional.size() == 2) {
                    method = "PUT";
                    String sc = positional.get(1);
                    body = new JsonObject().put("storageClass", sc.equalsIgnoreCase("none") ? null : sc).encode();
                }
            }
            default -> throw new IllegalArgumentException("unknown admin subcommand: " + what + " (" + SUBCOMMANDS + ")");
        }
        URI endpoint = URI.create(f.get("endpoint", "http://127.0.0.1:9001"));
        String ak = f.get("access-key", env.getOrDefault("CAIRN_ROOT_ACCESS_KEY", env.get("AWS_ACCESS_KEY_ID")));
        String sk = f.get("secret-key", env.getOrDefault("CAIRN_ROOT_SECRET_KEY", env.get("AWS_SECRET_ACCESS_KEY")));
        if (ak == null || sk == null) {
            throw new IllegalArgumentException("root credentials: --access-key/--secret-key or CAIRN_ROOT_ACCESS_KEY/"
                    + "CAIRN_ROOT_SECRET_KEY");
        }
        String host = endpoint.getHost() + ":" + (endpoint.getPort() < 0 ? 80 : endpoint.getPort());
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        byte[] payload = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        new RequestSigner(ak, sk, f.get("region", "us-east-1")) // the admin API checks the body against its hash
                .sign(method, host, path, null, dev.cairn.chunkstore.node.ClusterAuth.sha256Hex(payload), Instant.now())
                .forEach(req::header);
        HttpResponse<String> resp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(req.build(), HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
            System.err.println("cairn admin: " + resp.statusCode() + " " + resp.body());
            return 1;
        }
        JsonObject json = new JsonObject(resp.body());
        if (Boolean.parseBoolean(f.get("json", "false"))) {
            out.println(json.encodePrettily());
        } else if (what.equals("nodes")) {
            printNodes(json, out);
        } else if (what.equals("summary")) {
            printSummary(json, out);
        } else if (what.equals("drain") || what.equals("remove")) {
            out.printf("node %s is %s%n", json.getString("id"), json.getString("state"));
        } else if (path.equals("/admin/rebalances")) {
            printRebalance(json, out);
        } else if (json.containsKey("paused") && json.size() == 1) {
            out.println(json.getBoolean("paused") ? "movers paused" : "movers running");
        } else if (what.equals("rebalance")) {
            out.printf("mover throttle: %s/s, %d moves per node%n", bytes(json.getLong("bytesPerSecond")),
                    json.getInteger("movesPerNode"));
        } else {
            out.printf("bucket %s: new objects get %s (%s)%n", json.getString("bucket"), json.getString("storageClass"),
                    json.getString("protection"));
        }
        return 0;
    }

    private static void printNodes(JsonObject json, PrintStream out) {
        out.printf("%-24s %-9s %-26s %-10s %12s %12s %9s  %s%n", "ID", "STATE", "ADDRESS", "ZONE", "CAPACITY", "USED",
                "PIECES", "LAST HEARTBEAT");
        JsonArray nodes = json.getJsonArray("nodes");
        for (int i = 0; i < nodes.size(); i++) {
            JsonObject n = nodes.getJsonObject(i);
            out.printf("%-24s %-9s %-26s %-10s %12s %12s %9d  %s%n", n.getString("id"), n.getString("state"),
                    n.getString("address"), n.getString("zone").isEmpty() ? "-" : n.getString("zone"),
                    n.getLong("capacity") == 0 ? "unlimited" : bytes(n.getLong("capacity")), bytes(n.getLong("used")),
                    n.getLong("pieces"), n.getString("lastHeartbeat"));
        }
        out.printf("cluster map version %d, %d node(s)%n", json.getLong("mapVersion"), nodes.size());
    }

    private static void printSummary(JsonObject s, PrintStream out) {
        out.printf("health:      %s (%s)%n", s.getString("health"), s.getString("reason"));
        out.printf("protection:  %s (%s)%n", s.getString("protection"), s.getString("protectionPolicy"));
        out.printf("nodes:       %s, %d writable%n", s.getJsonObject("nodes").encode(), s.getInteger("writableNodes"));
        out.printf("buckets:     %d%n", s.getLong("buckets"));
        out.printf("objects:     %d (%s)%n", s.getLong("objects"), bytes(s.getLong("bytes")));
        out.printf("repairs:     %d pending%n", s.getLong("repairsPending"));
        JsonObject movers = s.getJsonObject("movers");
        if (movers != null) {
            out.printf("movers:      %s%s%n", movers.getString("state"), movers.getString("reason") == null ? ""
                    : " (" + movers.getLong("blockedChunks") + " chunks: " + movers.getString("reason") + ")");
        }
    }

    private static void printRebalance(JsonObject s, PrintStream out) {
        long eta = s.getLong("etaSeconds");
        out.printf("state:       %s (pass %d, map v%d)%n", s.getString("state"), s.getLong("passes"),
                s.getLong("mapVersion"));
        JsonObject blocked = s.getJsonObject("blocked");
        if (blocked != null) {
            out.printf("blocked:     %d chunks: %s%n", blocked.getLong("chunks"), blocked.getString("reason"));
        }
        out.printf("to move:     %d chunks, %s%n", s.getLong("chunksToMove"), bytes(s.getLong("bytesToMove")));
        out.printf("moved:       %d chunks, %s at %s/s, ETA %s%n", s.getLong("chunksMoved"), bytes(s.getLong("bytesMoved")),
                bytes(s.getLong("bytesPerSecond")), eta < 0 ? "unknown" : eta + " s");
        out.printf("errors:      %d%s%n", s.getLong("errors"),
                s.getString("lastError") == null ? "" : " (last: " + s.getString("lastError") + ")");
        JsonObject t = s.getJsonObject("throttle");
        out.printf("throttle:    %s/s, %d moves per node%n", bytes(t.getLong("bytesPerSecond")), t.getInteger("movesPerNode"));
        JsonObject movers = s.getJsonObject("movers");
        for (String m : movers.fieldNames()) {
            JsonObject c = movers.getJsonObject(m);
            out.printf("  %-10s to move %d chunks (%s), moved %d pieces (%s), %d errors%s%n", m,
                    c.getLong("chunksToMove"), bytes(c.getLong("bytesToMove")), c.getLong("piecesMoved"),
                    bytes(c.getLong("bytesMoved")), c.getLong("errors"),
                    c.getLong("blockedChunks", 0L) > 0 ? ", " + c.getLong("blockedChunks") + " blocked" : "");
        }
        JsonObject sc = s.getJsonObject("scrub");
        out.printf("scrub:       last pass %s .. %s, %d pieces checked, %d corrupt, %d missing%n",
                sc.getString("lastPassStarted"), sc.getString("lastPassFinished"), sc.getLong("piecesChecked"),
                sc.getLong("corruptFound"), sc.getLong("missingFound"));
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format("%.1f %s", v, units[u]);
    }
}
