package dev.cairn.tools.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Runs an external program with a controlled environment and a time limit. Its stdout and stderr
 * go to numbered files under a log directory (never to a pipe, so a chatty client cannot block on
 * a full buffer) and are read back when it ends.
 */
public final class CommandLine {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final List<String> args;
    private final Map<String, String> setEnv = new LinkedHashMap<>();
    private final List<Predicate<String>> unsetEnv = new ArrayList<>();
    private Path dir;
    private Duration timeout = Duration.ofMinutes(5);
    private Path logDir;
    private String label;

    private CommandLine(List<String> args) {
        this.args = new ArrayList<>(args);
    }

    public static CommandLine of(String... args) {
        return new CommandLine(Arrays.asList(args));
    }

    public static CommandLine of(List<String> args) {
        return new CommandLine(args);
    }

    public CommandLine env(String name, String value) {
        setEnv.put(name, value);
        return this;
    }

    /** Removes every inherited variable whose name matches (applied before {@link #env}). */
    public CommandLine unsetEnv(Predicate<String> names) {
        unsetEnv.add(names);
        return this;
    }

    public CommandLine dir(Path workingDir) {
        this.dir = workingDir;
        return this;
    }

    public CommandLine timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    public CommandLine logTo(Path directory, String name) {
        this.logDir = directory;
        this.label = name;
        return this;
    }

    /** Runs to completion; a run past the time limit is killed (with its children) and fails. */
    public Result run() {
        Started s = start();
        return s.await(timeout);
    }

    /** Starts the program in the background. */
    public Started start() {
        Path logs = logDir != null ? logDir : Logs.dir("commands");
        String name = String.format("%03d-%s", SEQ.incrementAndGet(),
                (label != null ? label : Path.of(args.get(0)).getFileName().toString()).replaceAll("[^\\w.-]", "_"));
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(args)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Map<String, String> env = pb.environment();
        for (Predicate<String> p : unsetEnv) {
            env.keySet().removeIf(p);
        }
        env.putAll(setEnv);
        try {
            Files.writeString(logs.resolve(name + ".cmd"), String.join(" ", args) + "\n", StandardCharsets.UTF_8);
            return new Started(String.join(" ", args), pb.start(), out, err, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + args, e);
        }
    }

    /** A program started in the background. */
    public static final class Started {
        private final String commandLine;
        private final Process process;
        private final Path out;
        private final Path err;
        private final long t0;

        Started(String commandLine, Process process, Path out, Path err, long t0) {
            this.commandLine = commandLine;
            this.process = process;
            this.out = out;
            this.err = err;
            this.t0 = t0;
        }

        public Process process() {
            return process;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** SIGKILLs the program and everything it started. */
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        public Result await(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill();
                    throw new AssertionError("timed out after " + limit + ": " + commandLine
                            + "\n--- stdout:\n" + Logs.tail(out, 3000) + "\n--- stderr:\n" + Logs.tail(err, 3000));
                }
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted: " + commandLine, e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            Path cmdFile = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.out$", ".cmd"));
            try {
                Files.writeString(cmdFile, "# exit " + process.exitValue() + " after " + took.toMillis() + " ms\n",
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // the log note is for humans only
            }
            return new Result(commandLine, process.exitValue(), read(out), read(err), took, out, err);
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** What a finished program left behind. */
    public record Result(String commandLine, int exitCode, String stdout, String stderr, Duration took,
                         Path stdoutFile, Path stderrFile) {
        /** Fails with the command and (the end of) its output unless it exited 0. */
        public Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError(describe("exited " + exitCode));
            }
            return this;
        }

        public String describe(String what) {
            return what + ": " + commandLine + "\n--- stdout (" + stdoutFile + "):\n" + cut(stdout)
                    + "\n--- stderr (" + stderrFile + "):\n" + cut(stderr);
        }

        private static String cut(String s) {
            return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
        }
    }
}
