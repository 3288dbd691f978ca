package dev.cairn.tools.it;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One packaged {@code cairn chunkstore} node running as a separate JVM on port 0 and joining a
 * server's admin endpoint. Its id and piece URL are parsed from the startup banner; its data
 * directory (and so its id) survive {@link #kill9()} and {@link #restart()}.
 *
 * <p>Each incarnation's stdout and stderr go to
 * {@code target/it-logs/<cluster>/<name>-<n>.out|.err}.
 */
public final class NodeProcess {
    private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);
    private static final Pattern READY_LINE = Pattern.compile("Cairn chunkstore (\\S+) is ready");
    private static final Pattern PIECES_LINE = Pattern.compile("pieces:\\s+(https?://\\S+)");
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private final String name;
    private final Path dataDir;
    private final Path logDir;
    private final String join;
    private final String clusterSecret;
    private final List<String> extraArgs;
    private int incarnation;
    private Process process;
    private String id;
    private URI address;
    private Path stdout;
    private Path stderr;

    private NodeProcess(String name, Path dataDir, Path logDir, String join, String clusterSecret,
                        List<String> extraArgs) {
        this.name = name;
        this.dataDir = dataDir.toAbsolutePath();
        this.logDir = logDir;
        this.join = join;
        this.clusterSecret = clusterSecret;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** Starts the process; call {@link #awaitReady()} (possibly for several nodes at once) before use. */
    static NodeProcess launch(String name, Path dataDir, Path logDir, URI join, String clusterSecret,
                              List<String> extraArgs) {
        return launch(name, dataDir, logDir, join.toString(), clusterSecret, extraArgs);
    }

    /** As above, joining every server of {@code joinList} (comma-separated admin URLs). */
    static NodeProcess launch(String name, Path dataDir, Path logDir, String joinList, String clusterSecret,
                              List<String> extraArgs) {
        String join = joinList;
        NodeProcess n = new NodeProcess(name, dataDir, logDir, join, clusterSecret, extraArgs);
        n.spawn();
        return n;
    }

    public String name() {
        return name;
    }

    /** The node id it printed (kept in its data dir across restarts). */
    public String id() {
        return id;
    }

    /** Base URL of its piece API, e.g. {@code http://127.0.0.1:40123}. */
    public URI address() {
        return address;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where its piece files live: {@code <data>/pieces-store/pieces/ab/cd/<32 hex>.<index>}. */
    public Path piecesDir() {
        return dataDir.resolve("pieces-store").resolve("pieces");
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path stderrLog() {
        return stderr;
    }

    /** The piece files on its disk now (names like {@code <32 hex>.<index>}), with their paths. */
    public List<Path> pieceFiles() {
        if (!Files.isDirectory(piecesDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(piecesDir())) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new AssertionError("cannot list " + piecesDir(), e);
        }
    }

    /** SIGKILLs the node (Process.destroyForcibly) and checks it died of signal 9. */
    public void kill9() {
        long pid = process.pid();
        process.destroyForcibly();
        int exit = ServerProcess.waitForExit(process, STOP_LIMIT);
        ServerProcess.forget(process);
        if (exit != 128 + 9) {
            throw new AssertionError(name + " pid " + pid + " exited " + exit + ", not 137 (SIGKILL)");
        }
        LOG.info("{}: SIGKILLed node {} pid {}", name, id, pid);
    }

    /**
     * SIGSTOPs the node: its sockets stay open and the kernel still accepts connections, but it
     * answers nothing - a node in a long GC pause or stuck on a dead disk. {@link #thaw()} undoes it.
     */
    public void freeze() {
        signal("STOP");
        LOG.info("{}: froze node {} pid {} (SIGSTOP)", name, id, process.pid());
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        signal("CONT");
        LOG.info("{}: thawed node {} pid {} (SIGCONT)", name, id, process.pid());
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!kill.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a new incarnation on the same data directory (it must not be running). */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        String before = id;
        spawn();
        awaitReady();
        if (before != null && !before.equals(id)) {
            throw new AssertionError(name + " came back as node " + id + ", was " + before
                    + ": the node id must persist in its data dir");
        }
    }

    /** Sends SIGTERM without waiting (several nodes then stop in parallel); {@link #stop()} waits. */
    public void terminate() {
        if (isAlive()) {
            process.destroy();
        }
    }

    /** SIGTERM and wait; used at the end of the class. */
    public void stop() {
        if (!isAlive()) {
            return;
        }
        process.destroy();
        try {
            ServerProcess.waitForExit(process, STOP_LIMIT);
        } catch (AssertionError slow) {
            process.destroyForcibly();
            ServerProcess.waitForExit(process, STOP_LIMIT);
            throw new AssertionError(name + " did not stop within " + STOP_LIMIT + " of SIGTERM; killed it", slow);
        } finally {
            ServerProcess.forget(process);
        }
    }

    private void spawn() {
        incarnation++;
        stdout = logDir.resolve(name + "-" + incarnation + ".out");
        stderr = logDir.resolve(name + "-" + incarnation + ".err");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-jar", ServerProcess.jar().toString(),
                "chunkstore",
                "--data-dir", dataDir.toString(),
                "--host", "127.0.0.1",
                "--port", "0",
                "--join", join));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("CAIRN_"));
        pb.environment().put("CAIRN_CLUSTER_SECRET", clusterSecret);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        ServerProcess.reapOnExit(process);
    }

    /** Waits for the banner with the node id and piece URL. */
    void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (true) {
            String out = ServerProcess.read(stdout);
            Matcher ready = READY_LINE.matcher(out);
            Matcher pieces = PIECES_LINE.matcher(out);
            if (ready.find() && pieces.find()) {
                id = ready.group(1);
                address = URI.create(pieces.group(1));
                LOG.info("{}: node {} #{} pid {} at {} data {}", name, id, incarnation, process.pid(), address,
                        dataDir);
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited " + process.exitValue() + " before it was ready"
                        + "\n--- stdout:\n" + out + "\n--- stderr:\n" + Logs.tail(stderr, 4000));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError(name + " was not ready within " + STARTUP_LIMIT
                        + "\n--- stdout:\n" + out + "\n--- stderr:\n" + Logs.tail(stderr, 4000));
            }
            ServerProcess.sleep(50);
        }
    }
}
