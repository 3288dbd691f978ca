package dev.cairn.tools;

import dev.cairn.s3.BuildInfo;
import dev.cairn.s3.RootCredentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code cairn} command line, in process: generated help, usage errors with exit 2, version
 * everywhere, completion, flags in any position, boolean flags without values, CAIRN_* defaults
 * that a flag overrides, and the admin commands' credential search and unreachable-server report.
 */
class CairnCliTest {
    @TempDir
    Path dir;

    private static AdminCommand admin(Map<String, String> env, String... args) {
        CommandLine.ParseResult p = Cairn.commandLine(env).parseArgs(args);
        return (AdminCommand) p.subcommand().commandSpec().userObject();
    }

    @Test
    void helpIsGeneratedForTheRootAndEveryCommand() {
        CliRun root = CliRun.of("--help");
        assertEquals(2, root.exitCode(), root.describe());
        for (String s : List.of("Usage: cairn", "server", "chunkstore", "admin", "bench", "version", "completion",
                "Exit codes:", "CAIRN_<FLAG>")) {
            assertTrue(root.out().contains(s), s + " in\n" + root.describe());
        }
        CliRun admin = CliRun.of("admin", "--help");
        assertEquals(2, admin.exitCode(), admin.describe());
        for (String s : List.of("Usage: cairn admin", "nodes", "summary", "bucket-class", "drain", "remove", "rebalance",
                "--endpoint", "--json", "--data-dir", "root-credentials")) {
            assertTrue(admin.out().contains(s), s + " in\n" + admin.describe());
        }
        CliRun drain = CliRun.of("admin", "drain", "--help");
        assertEquals(2, drain.exitCode(), drain.describe());
        assertTrue(drain.out().contains("--watch") && drain.out().contains("--endpoint"), drain.describe());
        assertEquals(2, CliRun.of("help", "server").exitCode());
        assertTrue(CliRun.of("help", "server").out().contains("--mover-bytes-per-second"));
    }

    /** A lone % in a description makes picocli warn on stderr and print the raw text: every help must format. */
    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        int commands;
        try {
            commands = renderHelp(Cairn.commandLine(Map.of()));
        } finally {
            System.setErr(saved);
        }
        String warnings = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(commands > 10, commands + " commands");
        assertFalse(warnings.contains("Could not format"), warnings);
    }

    private static int renderHelp(CommandLine cl) {
        cl.getUsageMessage();
        int n = 1;
        for (CommandLine sub : cl.getSubcommands().values()) {
            n += renderHelp(sub);
        }
        return n;
    }

    @Test
    void noCommandOrSubcommandAndUsageErrorsPrintTheHelpAndExit2() {
        CliRun none = CliRun.of();
        assertEquals(2, none.exitCode(), none.describe());
        assertTrue(none.err().contains("Usage: cairn"), none.describe());

        CliRun adminAlone = CliRun.of("admin");
        assertEquals(2, adminAlone.exitCode(), adminAlone.describe());
        assertTrue(adminAlone.err().contains("Usage: cairn admin"), adminAlone.describe());

        CliRun unknownFlag = CliRun.of("admin", "nodes", "--bogus");
        assertEquals(2, unknownFlag.exitCode(), unknownFlag.describe());
        assertTrue(unknownFlag.err().contains("Unknown option: '--bogus'"), unknownFlag.describe());
        assertTrue(unknownFlag.err().contains("Usage: cairn admin nodes"), unknownFlag.describe());

        CliRun unknownCommand = CliRun.of("frobnicate");
        assertEquals(2, unknownCommand.exitCode(), unknownCommand.describe());
        assertTrue(unknownCommand.err().contains("Usage: cairn"), unknownCommand.describe());

        CliRun badSize = CliRun.of("server", "--chunk-size", "lots");
        assertEquals(2, badSize.exitCode(), badSize.describe());
        assertTrue(badSize.err().contains("'lots' is not a size"), badSize.describe());

        CliRun missingNode = CliRun.of("admin", "drain");
        assertEquals(2, missingNode.exitCode(), missingNode.describe());
        assertTrue(missingNode.err().contains("Missing required parameter: 'NODE'"), missingNode.describe());

        CliRun noThrottle = CliRun.of("admin", "rebalance", "throttle", "--access-key", "a", "--secret-key", "b");
        assertEquals(2, noThrottle.exitCode(), noThrottle.describe());
        assertTrue(noThrottle.err().contains("--bytes-per-second"), noThrottle.describe());
    }

    @Test
    void versionIsOnEveryCommandAndItsOwnCommand() {
        String version = "cairn " + BuildInfo.current().version();
        for (String[] args : List.of(new String[]{"version"}, new String[]{"--version"},
                new String[]{"admin", "--version"}, new String[]{"admin", "rebalance", "status", "--version"},
                new String[]{"server", "--version"}, new String[]{"chunkstore", "-V"})) {
            CliRun r = CliRun.of(args);
            assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.describe());
            assertTrue(r.out().startsWith(version + "\n"), String.join(" ", args) + ": " + r.describe());
            assertTrue(r.out().contains("commit:") && r.out().contains("built:"), r.describe());
        }
    }

    @Test
    void completionScriptCoversCommandsAndFlags() {
        CliRun r = CliRun.of("completion");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.out().contains("complete -F"), "a bash completion function");
        for (String s : List.of("admin", "rebalance", "--watch", "--chunk-size", "--json")) {
            assertTrue(r.out().contains(s), s);
        }
    }

    @Test
    void adminFlagsGoBeforeOrAfterTheSubcommandAndJsonNeedsNoValue() {
        AdminCommand before = admin(Map.of(), "admin", "--endpoint", "http://10.0.0.1:9001", "--json", "nodes");
        AdminCommand after = admin(Map.of(), "admin", "nodes", "--json", "--endpoint", "http://10.0.0.1:9001");
        AdminCommand nested = admin(Map.of(), "admin", "rebalance", "status", "--endpoint=http://10.0.0.1:9001",
                "--json", "--watch");
        for (AdminCommand a : List.of(before, after, nested)) {
            assertEquals(URI.create("http://10.0.0.1:9001"), a.endpoint);
            assertTrue(a.json);
        }
        assertTrue(admin(Map.of(), "admin", "nodes", "--json", "true").json, "--json true still works");
        assertFalse(admin(Map.of(), "admin", "nodes", "--json=false").json);
        assertFalse(admin(Map.of(), "admin", "nodes").json);
        AdminCommand drain = admin(Map.of(), "admin", "drain", "--watch", "node-7", "--interval", "500ms");
        assertEquals(URI.create("http://127.0.0.1:9001"), drain.endpoint, "the default endpoint");
    }

    @Test
    void variablesAreDefaultsAndFlagsWin() {
        Map<String, String> env = Map.of("CAIRN_ENDPOINT", "http://from-env:9001", "CAIRN_JSON", "true",
                "CAIRN_DATA_DIR", "/srv/cairn");
        AdminCommand fromEnv = admin(env, "admin", "nodes");
        assertEquals(URI.create("http://from-env:9001"), fromEnv.endpoint);
        assertEquals(Path.of("/srv/cairn"), fromEnv.dataDir);
        assertTrue(fromEnv.json);
        AdminCommand flags = admin(env, "admin", "nodes", "--endpoint", "http://from-flag:9001", "--json", "false");
        assertEquals(URI.create("http://from-flag:9001"), flags.endpoint);
        assertFalse(flags.json);
        assertEquals(URI.create("http://127.0.0.1:9001"), admin(Map.of("CAIRN_ENDPOINT", ""), "admin", "nodes").endpoint,
                "an empty variable is unset");
    }

    @Test
    void anUnreachableServerIsNamedWithItsUrlAndTheCause() throws IOException {
        int port = closedPort();
        CliRun r = CliRun.of("admin", "nodes", "--endpoint", "http://127.0.0.1:" + port, "--access-key", "a",
                "--secret-key", "b");
        assertEquals(Cairn.UNREACHABLE, r.exitCode(), r.describe());
        assertTrue(r.err().contains("http://127.0.0.1:" + port + "/admin/nodes"), r.describe());
        assertTrue(r.err().toLowerCase().contains("connect"), "the cause: " + r.describe());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.describe());
    }

    @Test
    void rootCredentialsAreFoundInTheDataDirectoryWhenNoKeysAreGiven() throws IOException {
        int port = closedPort();
        String endpoint = "http://127.0.0.1:" + port;
        CliRun none = CliRun.of("admin", "summary", "--endpoint", endpoint, "--data-dir", dir.toString());
        assertEquals(Cairn.USAGE, none.exitCode(), none.describe());
        assertTrue(none.err().contains("no root credentials") && none.err().contains(dir.resolve("root-credentials")
                .toString()), none.describe());

        RootCredentials.resolve(dir, null, null); // what a first server start writes
        CliRun found = CliRun.of("admin", "summary", "--endpoint", endpoint, "--data-dir", dir.toString());
        assertEquals(Cairn.UNREACHABLE, found.exitCode(), "credentials found, so it went on to connect: "
                + found.describe());
        CliRun viaEnv = CliRun.of(Map.of("CAIRN_DATA_DIR", dir.toString()), "admin", "summary", "--endpoint", endpoint);
        assertEquals(Cairn.UNREACHABLE, viaEnv.exitCode(), viaEnv.describe());

        CliRun half = CliRun.of("admin", "summary", "--endpoint", endpoint, "--access-key", "only-one");
        assertEquals(Cairn.USAGE, half.exitCode(), half.describe());
        assertTrue(half.err().contains("give both --access-key and --secret-key"), half.describe());
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
