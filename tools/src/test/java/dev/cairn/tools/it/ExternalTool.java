package dev.cairn.tools.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client program the integration tests drive ({@code aws}, {@code rclone}, {@code s3cmd}, a
 * Python module such as boto3).
 *
 * <p>{@link #require} is the one place that decides what a missing tool means: on a developer's
 * machine the test is skipped; when the environment variable {@code CI} is set (to anything but
 * an empty string) it fails, so a CI image that lost a client cannot turn the suite green by
 * skipping it.
 */
public final class ExternalTool {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalTool.class);
    private static final Map<String, String> VERSIONS = new ConcurrentHashMap<>();
    private static final Map<String, Path> FOUND = new ConcurrentHashMap<>();
    private static final Map<String, String> PROBLEMS = new ConcurrentHashMap<>();

    private ExternalTool() {
    }

    /**
     * Returns the absolute path of {@code name} on PATH after checking that {@code name --version}
     * runs; otherwise aborts the calling test (reported as skipped), or fails it when CI is set.
     * Call it from {@code @BeforeEach}: an abort in {@code @BeforeAll} is not counted as a skip
     * by failsafe, so the class would silently vanish from the report.
     */
    public static Path require(String name) {
        Optional<Path> path = find(name);
        if (path.isPresent()) {
            return path.get();
        }
        String problem = PROBLEMS.get(name);
        String hint = "install it (apt-get install " + switch (name) {
            case "aws" -> "awscli";
            case "chromedriver" -> "chromium-driver";
            default -> name;
        } + ")";
        if (isCi()) {
            Assertions.fail(problem + "; CI is set, so a missing client is a failure: " + hint);
        }
        Assumptions.abort(problem + "; skipping (" + hint + ", or set CI=1 to make this a failure)");
        throw new AssertionError("unreachable");
    }

    /**
     * Returns {@code python3} after checking that it can import {@code module} (boto3...); otherwise
     * skips the calling test, or fails it when CI is set, like {@link #require}.
     */
    public static Path requirePythonModule(String module) {
        Path python = require("python3");
        String key = "python3 module " + module;
        synchronized (ExternalTool.class) {
            if (!FOUND.containsKey(key) && !PROBLEMS.containsKey(key)) {
                String problem = importProblem(python, module);
                if (problem == null) {
                    FOUND.put(key, python);
                } else {
                    PROBLEMS.put(key, problem);
                }
            }
        }
        String problem = PROBLEMS.get(key);
        if (problem != null) {
            String hint = "install it (apt-get install python3-" + module + ", or pip install " + module + ")";
            if (isCi()) {
                Assertions.fail(problem + "; CI is set, so a missing client is a failure: " + hint);
            }
            Assumptions.abort(problem + "; skipping (" + hint + ", or set CI=1 to make this a failure)");
        }
        return python;
    }

    /** Null when {@code python -c "import module"} works. */
    private static String importProblem(Path python, String module) {
        try {
            CommandLine.Result r = CommandLine.of(python.toString(), "-c",
                            "import " + module + "; print(" + module + ".__version__)")
                    .timeout(Duration.ofSeconds(60))
                    .logTo(Logs.dir("tools"), "python3-import-" + module)
                    .run();
            if (r.exitCode() != 0) {
                return python + " cannot import " + module + ": " + r.stderr().strip();
            }
            LOG.info("using {} {} with {}", module, r.stdout().strip(), python);
            return null;
        } catch (RuntimeException | AssertionError e) {
            return python + " -c 'import " + module + "' failed: " + e.getMessage();
        }
    }

    /** {@code name} on PATH if {@code name --version} runs, checked once per JVM. */
    public static synchronized Optional<Path> find(String name) {
        if (FOUND.containsKey(name)) {
            return Optional.of(FOUND.get(name));
        }
        if (PROBLEMS.containsKey(name)) {
            return Optional.empty();
        }
        Optional<Path> path = onPath(name);
        String problem = path.isEmpty()
                ? name + " is not on PATH (" + System.getenv("PATH") + ")"
                : versionProblem(name, path.get());
        if (problem != null) {
            PROBLEMS.put(name, problem);
            return Optional.empty();
        }
        FOUND.put(name, path.get());
        LOG.info("using {} ({})", path.get(), VERSIONS.get(name));
        return path;
    }

    static boolean isCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank();
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /**
     * Null when {@code name --version} ({@code openssl version}, {@code restic version}) exits 0 (a pyenv shim without its
     * interpreter does not).
     */
    private static String versionProblem(String name, Path path) {
        try {
            // openssl and restic have a version command, no --version flag
            boolean command = name.equals("openssl") || name.equals("restic");
            CommandLine.Result r = CommandLine.of(path.toString(), command ? "version" : "--version")
                    .timeout(Duration.ofSeconds(60))
                    .logTo(Logs.dir("tools"), name + "-version")
                    .run();
            if (r.exitCode() != 0) {
                return path + " --version exited " + r.exitCode() + ": " + r.stderr().strip();
            }
            String out = (r.stdout() + r.stderr()).strip();
            VERSIONS.put(name, out.isEmpty() ? "?" : out.lines().findFirst().orElse("?"));
            return null;
        } catch (RuntimeException | AssertionError e) {
            return path + " --version failed: " + e.getMessage();
        }
    }
}
