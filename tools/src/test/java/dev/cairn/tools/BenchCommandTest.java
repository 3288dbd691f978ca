package dev.cairn.tools;

import dev.cairn.s3.CairnServer;
import dev.cairn.s3.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cairn bench} against a real server in this JVM: every workload runs, checks what it
 * reads back, and reports throughput, latency percentiles and the CPU seconds of the process it
 * watches (this JVM, which runs the server), per GiB and per operation.
 */
class BenchCommandTest {
    private static final String AK = "BENCHTESTACCESSKEY01";
    private static final String SK = "bench/test/secret/key/0123456789abcdefghij";

    @TempDir
    Path dir;

    @Test
    void everyWorkloadRunsAndReportsServerCpuPerGibAndPerOperation() throws Exception {
        try (CairnServer server = CairnServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withPorts("127.0.0.1", 0, 0).withCredentials(AK, SK).withChunkSize(ServerConfig.MIN_CHUNK_SIZE))) {
            String endpoint = "http://127.0.0.1:" + server.s3Port();
            String pid = Long.toString(ProcessHandle.current().pid());
            String[] common = {"bench", "--endpoint", endpoint, "--access-key", AK, "--secret-key", SK,
                    "--bucket", "bench-test", "--size", "3MiB", "--objects", "3", "--concurrency", "2",
                    "--server-pid", pid};

            CliRun putGet = CliRun.of(concat(common, "--rounds", "2"));
            assertEquals(0, putGet.exitCode(), putGet.describe());
            assertPhase(putGet.out(), "PUT #1", 3);
            assertPhase(putGet.out(), "GET #2", 3);

            CliRun get = CliRun.of(concat(common, "--workload", "get", "--ops", "7"));
            assertEquals(0, get.exitCode(), get.describe()); // the objects of the run before, checked byte for byte
            assertPhase(get.out(), "GET", 7);

            CliRun mixed = CliRun.of(concat(common, "--workload", "mixed", "--ops", "8", "--read-percent", "75"));
            assertEquals(0, mixed.exitCode(), mixed.describe());
            assertPhase(mixed.out(), "MIXED 75% GET", 8);
        }
    }

    @Test
    void aMissingObjectFailsAGetRunAndABadWorkloadOrPidIsAUsageError() throws Exception {
        try (CairnServer server = CairnServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withPorts("127.0.0.1", 0, 0).withCredentials(AK, SK).withChunkSize(ServerConfig.MIN_CHUNK_SIZE))) {
            String[] common = {"bench", "--endpoint", "http://127.0.0.1:" + server.s3Port(), "--access-key", AK,
                    "--secret-key", SK, "--bucket", "empty-bench", "--size", "1KiB", "--objects", "2"};
            CliRun get = CliRun.of(concat(common, "--workload", "get"));
            assertEquals(Cairn.FAILED, get.exitCode(), get.describe());
            assertTrue(get.out().contains("GET: 0 ok, 2 failed"), get.describe());

            CliRun bad = CliRun.of(concat(common, "--workload", "sideways"));
            assertEquals(2, bad.exitCode(), bad.describe());
            assertTrue(bad.err().contains("put-get, put, get or mixed"), bad.describe());

            CliRun noPid = CliRun.of(concat(common, "--server-pid", "999999999"));
            assertEquals(2, noPid.exitCode(), noPid.describe());
            assertTrue(noPid.err().contains("/proc/999999999/stat"), noPid.describe());
        }
    }

    @Test
    void procStatTimesAreCountedAfterTheCommandName() {
        String stat = "4242 (java (weird) name) S 1 4242 4242 0 -1 4194560 12 0 0 0 250 75 0 0 20 0 40 0 99 0 0";
        assertEquals(3.25, ProcessCpu.parseSeconds(stat, 100), 1e-9);
        double self = new ProcessCpu(ProcessHandle.current().pid()).secondsOrFail();
        assertTrue(self > 0, "this JVM has used CPU: " + self);
    }

    private static void assertPhase(String out, String name, int ops) {
        Matcher m = Pattern.compile(Pattern.quote(name) + ": (\\d+) ok, 0 failed, .* ops/s, .* MiB/s, latency p50 .* p99 .*"
                + "\\R  server CPU: ([0-9.]+) s \\(.* cores\\), [0-9.]+ s per GiB, \\d+ ops per CPU second").matcher(out);
        assertTrue(m.find(), name + " in\n" + out);
        assertEquals(ops, Integer.parseInt(m.group(1)), out);
        assertTrue(Double.parseDouble(m.group(2)) > 0, "the server used CPU in " + name + ":\n" + out);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
