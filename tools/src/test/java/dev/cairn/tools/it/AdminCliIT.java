package dev.cairn.tools.it;

import dev.cairn.s3.BuildInfo;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged {@code cairn} command as an operator runs it against real servers: generated help,
 * usage errors (exit 2) and the version from the shaded jar; an unreachable endpoint named with
 * its cause (exit 3); the root credentials a server generated found through {@code --data-dir};
 * {@code --json} without a value; and {@code --watch} following a rebalance and a drain until the
 * movers really are done: right after each watch ends the server reports nothing left to move, and
 * the drained node can be removed at once.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class AdminCliIT {
    private static final Map<String, String> NO_ENV = Map.of();

    @TempDir
    Path dir;

    private static CommandLine.Result cairn(Map<String, String> env, String... args) {
        return ClusterFixture.cairn("AdminCliIT", env, List.of(args));
    }

    @Test
    void helpUsageErrorsVersionAndAnUnreachableServer() throws IOException {
        CommandLine.Result help = cairn(NO_ENV, "--help");
        assertEquals(2, help.exitCode(), help.describe("cairn --help"));
        assertTrue(help.stdout().startsWith("Usage: cairn"), help.describe("cairn --help"));
        CommandLine.Result adminHelp = cairn(NO_ENV, "admin", "--help");
        assertEquals(2, adminHelp.exitCode(), adminHelp.describe("cairn admin --help"));
        assertTrue(adminHelp.stdout().contains("Usage: cairn admin") && adminHelp.stdout().contains("--json"),
                adminHelp.describe("cairn admin --help"));
        CommandLine.Result usage = cairn(NO_ENV, "admin", "nodes", "--jsn");
        assertEquals(2, usage.exitCode(), usage.describe("a usage error"));
        assertTrue(usage.stderr().contains("Unknown option: '--jsn'") && usage.stderr().contains("Usage: cairn admin nodes"),
                usage.describe("a usage error"));
        CommandLine.Result bare = cairn(NO_ENV);
        assertEquals(2, bare.exitCode(), bare.describe("cairn alone"));
        assertTrue(bare.stderr().contains("Usage: cairn"), bare.describe("cairn alone"));

        CommandLine.Result version = cairn(NO_ENV, "version").assertOk();
        assertTrue(version.stdout().startsWith("cairn " + BuildInfo.current().version() + "\n"), version.describe("version"));
        assertEquals(version.stdout(), cairn(NO_ENV, "admin", "--version").assertOk().stdout());

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        CommandLine.Result down = cairn(NO_ENV, "admin", "summary", "--endpoint", url, "--access-key", "a",
                "--secret-key", "b");
        assertEquals(3, down.exitCode(), down.describe("unreachable"));
        assertTrue(down.stderr().contains(url + "/admin/summary") && down.stderr().contains("connection refused"),
                down.describe("unreachable"));
    }

    @Test
    void rootCredentialsAreReadFromTheServersDataDirectory() {
        Path data = dir.resolve("server");
        try (ServerProcess server = ServerProcess.start("AdminCliIT-generated", data, List.of(),
                Map.of("CAIRN_ROOT_ACCESS_KEY", "", "CAIRN_ROOT_SECRET_KEY", ""))) {
            assertTrue(Files.isRegularFile(data.resolve("root-credentials")), "the server generated its credentials");
            String endpoint = server.adminUri().toString();

            CommandLine.Result summary = cairn(NO_ENV, "admin", "summary", "--endpoint", endpoint, "--data-dir",
                    data.toString()).assertOk();
            assertTrue(summary.stdout().contains("health:"), summary.describe("summary"));
            assertTrue(summary.stdout().contains("server:      cairn " + BuildInfo.current().version()),
                    summary.describe("summary names the server's version"));

            CommandLine.Result nodes = cairn(Map.of("CAIRN_DATA_DIR", data.toString()), "admin", "--endpoint", endpoint,
                    "nodes", "--json").assertOk();
            JsonObject json = new JsonObject(nodes.stdout());
            assertEquals("local-0", json.getJsonArray("nodes").getJsonObject(0).getString("id"), nodes.stdout());

            CommandLine.Result wrong = cairn(NO_ENV, "admin", "nodes", "--endpoint", endpoint, "--access-key",
                    "CAIRNWRONG", "--secret-key", "wrong");
            assertEquals(1, wrong.exitCode(), wrong.describe("wrong keys"));
            assertTrue(wrong.stderr().contains("answered 403"), wrong.describe("wrong keys"));

            CommandLine.Result none = cairn(NO_ENV, "admin", "nodes", "--endpoint", endpoint, "--data-dir",
                    dir.resolve("elsewhere").toString());
            assertEquals(2, none.exitCode(), none.describe("no credentials anywhere"));
            assertTrue(none.stderr().contains("no root credentials"), none.describe("no credentials anywhere"));
        }
    }

    @Test
    void watchEndsWhenTheRebalanceAndTheDrainAreDone() throws Exception {
        try (ClusterFixture cluster = ClusterFixture.start("AdminCliIT", dir.resolve("cluster"), 3, "rs2+1",
                ClusterFixture.FAST_MOVERS); S3Client s3 = cluster.s3()) {
            s3.createBucket(b -> b.bucket("data"));
            Map<String, SeededBytes> objects = new LinkedHashMap<>();
            for (int i = 0; i < 24; i++) {
                objects.put("obj/" + i, new SeededBytes(300 + i, TestFiles.MiB + i * 7919L));
            }
            SeededObjects.forEach(objects, 4, (key, content) -> {
                SeededObjects.put(s3, "data", key, content);
                return "";
            });
            cluster.awaitMoversSettled(Duration.ofSeconds(60));
            // slow enough that the watch sees the moves under way
            cluster.cli("rebalance", "throttle", "--bytes-per-second", "2MiB").assertOk();

            long movedBefore = cluster.rebalances().getJsonObject("movers").getJsonObject("rebalance")
                    .getLong("bytesMoved");
            NodeProcess joined = cluster.addNode();
            long joinedAt = cluster.adminNodes().getLong("mapVersion");
            CommandLine.Result rebalance = cluster.cli("rebalance", "status", "--watch", "--interval", "300ms")
                    .assertOk();
            JsonObject after = cluster.rebalances();
            assertTrue(after.getLong("settledMapVersion") >= joinedAt && after.getLong("chunksToMove") == 0,
                    "the watch ended only when the movers had settled: " + after.encode() + "\n"
                            + rebalance.describe("watch"));
            assertTrue(after.getJsonObject("movers").getJsonObject("rebalance").getLong("bytesMoved") > movedBefore,
                    "the rebalance moved pieces: " + after.encode());
            assertTrue(rebalance.stdout().contains("the movers are done: nothing left to move"),
                    rebalance.describe("watch"));
            assertTrue(rebalance.stdout().lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d \\w+: \\d+% .*ETA.*")),
                    rebalance.describe("plain progress lines when not a terminal"));
            assertFalse(rebalance.stdout().contains("\r"), "no terminal redraws in a file");

            CommandLine.Result drain = cluster.cli("drain", joined.id(), "--watch", "--json", "--interval", "300ms")
                    .assertOk();
            List<JsonObject> lines = drain.stdout().lines().map(JsonObject::new).toList();
            assertEquals("DRAINING", lines.get(0).getString("state"), drain.describe("drain"));
            JsonObject last = lines.get(lines.size() - 1);
            assertEquals(0, last.getLong("chunksToMove"), drain.describe("drain"));
            assertTrue(lines.size() >= 2, drain.describe("a status line per poll"));

            CommandLine.Result removed = cluster.cli("remove", joined.id()).assertOk();
            assertTrue(removed.stdout().contains("REMOVED"), removed.describe("remove right after the watch"));
            cluster.forget(joined);

            Map<String, String> expected = new LinkedHashMap<>();
            objects.forEach((k, c) -> expected.put(k, c.sha256()));
            assertEquals(expected, SeededObjects.forEach(objects, 4,
                    (key, content) -> SeededObjects.getSha256(s3, "data", key)));
        }
    }
}
