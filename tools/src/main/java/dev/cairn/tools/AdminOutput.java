package dev.cairn.tools;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;

/** The admin API's answers as text for people ({@code --json} prints them as they came). */
final class AdminOutput {
    private AdminOutput() {
    }

    static void nodes(JsonObject json, PrintWriter out) {
        out.printf("%-24s %-9s %-26s %-10s %12s %12s %9s  %s%n", "ID", "STATE", "ADDRESS", "ZONE", "CAPACITY", "USED",
                "PIECES", "LAST HEARTBEAT");
        JsonArray nodes = json.getJsonArray("nodes");
        for (int i = 0; i < nodes.size(); i++) {
            JsonObject n = nodes.getJsonObject(i);
            String zone = n.getString("zone", "");
            out.printf("%-24s %-9s %-26s %-10s %12s %12s %9d  %s%n", n.getString("id"), n.getString("state"),
                    n.getString("address"), zone.isEmpty() ? "-" : zone,
                    n.getLong("capacity") == 0 ? "unlimited" : Units.bytes(n.getLong("capacity")),
                    Units.bytes(n.getLong("used")), n.getLong("pieces"), n.getString("lastHeartbeat"));
        }
        out.printf("cluster map version %d, %d node(s)%n", json.getLong("mapVersion"), nodes.size());
    }

    static void summary(JsonObject s, PrintWriter out) {
        out.printf("health:      %s (%s)%n", s.getString("health"), s.getString("reason"));
        out.printf("protection:  %s (%s)%n", s.getString("protection"), s.getString("protectionPolicy"));
        out.printf("nodes:       %s, %d writable%n", s.getJsonObject("nodes").encode(), s.getInteger("writableNodes"));
        out.printf("buckets:     %d%n", s.getLong("buckets"));
        out.printf("objects:     %d (%s, stored in %s after compression and encryption)%n", s.getLong("objects"),
                Units.bytes(s.getLong("bytes")), Units.bytes(s.getLong("storedBytes", 0L)));
        JsonArray largest = s.getJsonArray("largestBuckets");
        if (largest != null) {
            for (Object o : largest) {
                JsonObject b = (JsonObject) o;
                out.printf("  %-24s %d objects, %s logical, %s stored%n", b.getString("bucket"), b.getLong("objects"),
                        Units.bytes(b.getLong("bytes")), Units.bytes(b.getLong("storedBytes")));
            }
        }
        out.printf("repairs:     %d pending%n", s.getLong("repairsPending"));
        JsonObject movers = s.getJsonObject("movers");
        if (movers != null) {
            out.printf("movers:      %s%s%n", movers.getString("state"), movers.getString("reason") == null ? ""
                    : " (" + movers.getLong("blockedChunks") + " chunks: " + movers.getString("reason") + ")");
        }
        JsonObject build = s.getJsonObject("build");
        if (build != null) {
            out.printf("server:      cairn %s (commit %s, built %s)%n", build.getString("version"),
                    build.getString("revision"), build.getString("built"));
        }
    }

    static void nodeState(JsonObject node, PrintWriter out) {
        out.printf("node %s is %s%n", node.getString("id"), node.getString("state"));
    }

    static void paused(JsonObject json, PrintWriter out) {
        out.println(json.getBoolean("paused") ? "movers paused" : "movers running");
    }

    static void rebalance(JsonObject s, PrintWriter out) {
        long eta = s.getLong("etaSeconds");
        out.printf("state:       %s (pass %d, map v%d)%n", s.getString("state"), s.getLong("passes"),
                s.getLong("mapVersion"));
        String reason = MoverWatch.blockedReason(s);
        if (reason != null) {
            JsonObject blocked = s.getJsonObject("blocked");
            out.printf("blocked:     %s%s%n", blocked == null ? "" : blocked.getLong("chunks") + " chunks: ", reason);
        }
        out.printf("to move:     %d chunks, %s%n", s.getLong("chunksToMove"), Units.bytes(s.getLong("bytesToMove")));
        out.printf("moved:       %d chunks, %s at %s/s, ETA %s%n", s.getLong("chunksMoved"),
                Units.bytes(s.getLong("bytesMoved")), Units.bytes(s.getLong("bytesPerSecond")),
                eta < 0 ? "unknown" : eta + " s");
        out.printf("errors:      %d%s%n", s.getLong("errors"),
                s.getString("lastError") == null ? "" : " (last: " + s.getString("lastError") + ")");
        JsonObject t = s.getJsonObject("throttle");
        out.printf("throttle:    %s/s, %d moves per node%n", Units.bytes(t.getLong("bytesPerSecond")),
                t.getInteger("movesPerNode"));
        JsonObject movers = s.getJsonObject("movers");
        for (String m : movers.fieldNames()) {
            JsonObject c = movers.getJsonObject(m);
            out.printf("  %-10s to move %d chunks (%s), moved %d pieces (%s), %d errors%s%n", m,
                    c.getLong("chunksToMove"), Units.bytes(c.getLong("bytesToMove")), c.getLong("piecesMoved"),
                    Units.bytes(c.getLong("bytesMoved")), c.getLong("errors"),
                    c.getLong("blockedChunks", 0L) > 0 ? ", " + c.getLong("blockedChunks") + " blocked" : "");
        }
        JsonObject sc = s.getJsonObject("scrub");
        out.printf("scrub:       last pass %s .. %s, %d pieces checked, %d corrupt, %d missing%n",
                sc.getString("lastPassStarted"), sc.getString("lastPassFinished"), sc.getLong("piecesChecked"),
                sc.getLong("corruptFound"), sc.getLong("missingFound"));
    }
}
