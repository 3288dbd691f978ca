package dev.cairn.tools.it;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged {@code cairn server} running as a separate JVM, the way a user runs it: port 0
 * for both listeners (the chosen ports are parsed from its startup banner on stdout), a data
 * directory owned by the test, and fixed root credentials passed through the environment.
 *
 * <p>The jar is copied once per test JVM to a private file before use: a developer rebuilding
 * {@code tools/target/cairn.jar} while a server runs from it makes that JVM fail to load classes
 * (seen as {@code NoClassDefFoundError} on the event loop and a server that stops answering).
 *
 * <p>Each incarnation's stdout and stderr go to {@code target/it-logs/<name>/server-<n>.out|.err}.
 * Extra flags and environment (a cluster's {@code --chunkstores 0}, {@code CAIRN_CLUSTER_SECRET})
 * are kept across restarts.
 */
public final class ServerProcess implements AutoCloseable {
    public static final String ACCESS_KEY = "cairn-it-access-key";
    public static final String SECRET_KEY = "cairn-it-secret-key-0123456789abcdef";
    public static final String REGION = "us-east-1";

    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);
    private static final Pattern S3_LINE = Pattern.compile("S3 endpoint:\\s+(https?://\\S+)");
    private static final Pattern ADMIN_LINE = Pattern.compile("admin:\\s+(https?://\\S+)");
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(60);
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile Path privateJar;

    static {
        // A test JVM that dies (or is killed by a fork timeout) must not leave servers behind.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly),
                "server-process-reaper"));
    }

    /** Has the test JVM SIGKILL {@code p} when it exits first (nodes of a cluster use this too). */
    static void reapOnExit(Process p) {
        RUNNING.add(p);
    }

    static void forget(Process p) {
        RUNNING.remove(p);
    }

    private final String name;
    private final Path dataDir;
    private final Path logDir;
    private final List<String> extraArgs;
    private final Map<String, String> extraEnv;
    private final List<String> wrapper;
    private final HttpClient http;
    private int incarnation;
    private Process process;
    private URI s3Endpoint;
    private URI adminEndpoint;
    private Path stdout;
    private Path stderr;

    private ServerProcess(String name, Path dataDir, List<String> extraArgs, Map<String, String> extraEnv,
                          List<String> wrapper, Path caCert) {
        this.name = name;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (caCert != null) { // a server started with --tls-cert: its health is asked over HTTPS
            b.sslContext(dev.cairn.chunkstore.tls.TrustedCertificates.sslContext(caCert));
        }
        this.http = b.build();
        this.dataDir = dataDir.toAbsolutePath();
        this.logDir = Logs.dir(name);
        this.extraArgs = List.copyOf(extraArgs);
        this.extraEnv = Map.copyOf(extraEnv);
        this.wrapper = List.copyOf(wrapper);
    }

    /** Starts a server on {@code dataDir} and returns once {@code /health/live} answers 200. */
    public static ServerProcess start(String name, Path dataDir) {
        return start(name, dataDir, List.of(), Map.of());
    }

    /**
     * Starts a server with more command-line flags (after the defaults, so they win) and
     * environment variables, and returns once {@code /health/live} answers 200.
     */
    public static ServerProcess start(String name, Path dataDir, List<String> extraArgs,
                                      Map<String, String> extraEnv) {
        return start(name, dataDir, extraArgs, extraEnv, List.of());
    }

    /**
     * As {@link #start(String, Path, List, Map)}, run through {@code wrapper} (a command that
     * execs the java command line it is given, e.g. to run the server in its own mount namespace).
     * {@code CAIRN_JAVA_OPTS} in {@code extraEnv} replaces the default {@code -Xmx512m}.
     */
    public static ServerProcess start(String name, Path dataDir, List<String> extraArgs,
                                      Map<String, String> extraEnv, List<String> wrapper) {
        return start(name, dataDir, extraArgs, extraEnv, wrapper, null);
    }

    /**
     * As {@link #start(String, Path, List, Map, List)}, for a server given a certificate (by
     * {@code --tls-cert} or {@code CAIRN_TLS_CERT}) that {@code caCert} signed: its endpoints are
     * {@code https://} and its health is checked trusting {@code caCert}.
     */
    public static ServerProcess start(String name, Path dataDir, List<String> extraArgs,
                                      Map<String, String> extraEnv, List<String> wrapper, Path caCert) {
        ServerProcess s = new ServerProcess(name, dataDir, extraArgs, extraEnv, wrapper, caCert);
        s.launch();
        return s;
    }

    /** The S3 endpoint, e.g. {@code http://127.0.0.1:41234}; it changes on every restart. */
    public String endpoint() {
        return s3Endpoint.toString();
    }

    /** A sync SDK client builder for this server: path style, checksums only when required. */
    public S3ClientBuilder s3ClientBuilder() {
        return S3Client.builder()
                .endpointOverride(s3Uri())
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    }

    public URI s3Uri() {
        return s3Endpoint;
    }

    public URI adminUri() {
        return adminEndpoint;
    }

    /** {@code 127.0.0.1:PORT} of the S3 endpoint, as s3cmd wants it. */
    public String hostPort() {
        return s3Endpoint.getHost() + ":" + s3Endpoint.getPort();
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    public Path dataDir() {
        return dataDir;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path stderrLog() {
        return stderr;
    }

    /** The first sample of metric {@code name} on {@code /metrics} (0 when there is none). */
    public double metric(String name) {
        try {
            String text = http.send(HttpRequest.newBuilder(adminUri().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
            return m.find() ? Double.parseDouble(m.group(2)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code check} until it holds; fails naming {@code fact} and this server's log after {@code limit}. */
    public void await(String fact, Duration limit, java.util.function.BooleanSupplier check) {
        long until = System.nanoTime() + limit.toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting until " + fact + " (logs in " + stderr + ")");
            }
            sleep(100);
        }
    }

    public Path stdoutLog() {
        return stdout;
    }

    /**
     * SIGKILLs the server (Process.destroyForcibly is SIGKILL on Linux): no shutdown hook, no
     * flush, no close. Verifies the pid is gone and that the JVM reports death by signal 9.
     */
    public void kill9() {
        long pid = process.pid();
        process.destroyForcibly();
        int exit = waitForExit(process, STOP_LIMIT);
        RUNNING.remove(process);
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new AssertionError("server pid " + pid + " is still alive after SIGKILL");
        }
        if (exit != 128 + 9) {
            throw new AssertionError("server pid " + pid + " exited " + exit + ", not 137 (killed by SIGKILL)"
                    + "\n--- stderr:\n" + Logs.tail(stderr, 3000));
        }
        LOG.info("{}: SIGKILLed server pid {} (exit {})", name, pid, exit);
    }

    /** SIGTERMs the server and waits for its shutdown hook to close it; returns the exit code. */
    public int stop() {
        long pid = process.pid();
        process.destroy();
        int exit;
        try {
            exit = waitForExit(process, STOP_LIMIT);
        } catch (AssertionError timeout) {
            process.destroyForcibly();
            waitForExit(process, STOP_LIMIT);
            throw new AssertionError("server pid " + pid + " did not exit within " + STOP_LIMIT
                    + " of SIGTERM; killed it\n--- stderr:\n" + Logs.tail(stderr, 3000), timeout);
        } finally {
            RUNNING.remove(process);
        }
        LOG.info("{}: stopped server pid {} with SIGTERM (exit {})", name, pid, exit);
        return exit;
    }

    /** Starts a new server on the same data directory (stopping the running one with SIGTERM first). */
    public void restart() {
        if (isAlive()) {
            stop();
        }
        launch();
    }

    /** Stops a running server with SIGTERM; a no-op after {@link #kill9()} or {@link #stop()}. */
    @Override
    public void close() {
        if (isAlive()) {
            stop();
        }
    }

    private void launch() {
        incarnation++;
        stdout = logDir.resolve("server-" + incarnation + ".out");
        stderr = logDir.resolve("server-" + incarnation + ".err");
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String javaOpts = extraEnv.get("CAIRN_JAVA_OPTS"); // as the tools/cairn launcher reads it
        cmd.addAll(javaOpts == null ? List.of("-Xmx512m") : List.of(javaOpts.trim().split("\\s+")));
        cmd.addAll(List.of(
                "-jar", jar().toString(),
                "server",
                "--data-dir", dataDir.toString(),
                "--host", "127.0.0.1",
                "--s3-port", "0",
                "--admin-port", "0"));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("CAIRN_"));
        pb.environment().put("CAIRN_ROOT_ACCESS_KEY", ACCESS_KEY);
        pb.environment().put("CAIRN_ROOT_SECRET_KEY", SECRET_KEY);
        pb.environment().putAll(extraEnv);
        long t0 = System.nanoTime();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        RUNNING.add(process);
        try {
            awaitBanner();
            awaitReady();
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            RUNNING.remove(process);
            throw e;
        }
        LOG.info("{}: server #{} pid {} ready in {} ms: S3 {} admin {} data {}", name, incarnation, process.pid(),
                (System.nanoTime() - t0) / 1_000_000, s3Endpoint, adminEndpoint, dataDir);
    }

    private void awaitBanner() {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (true) {
            String out = read(stdout);
            Matcher s3 = S3_LINE.matcher(out);
            Matcher admin = ADMIN_LINE.matcher(out);
            if (s3.find() && admin.find()) {
                s3Endpoint = URI.create(s3.group(1));
                adminEndpoint = URI.create(admin.group(1));
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("server exited " + process.exitValue() + " before printing its endpoints"
                        + "\n--- stdout:\n" + out + "\n--- stderr:\n" + Logs.tail(stderr, 4000));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("server printed no endpoints within " + STARTUP_LIMIT
                        + "\n--- stdout:\n" + out + "\n--- stderr:\n" + Logs.tail(stderr, 4000));
            }
            sleep(50);
        }
    }

    /**
     * Waits for {@code /health/live}: {@code /health/ready} says whether S3 writes can be served,
     * which for a gateway without in-process chunkstores is only once enough nodes have joined.
     */
    private void awaitReady() {
        URI ready = adminEndpoint.resolve("/health/live");
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("server exited " + process.exitValue() + " while waiting for " + ready
                        + "\n--- stderr:\n" + Logs.tail(stderr, 4000));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).GET()
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(100);
        }
        throw new AssertionError(ready + " did not answer 200 within " + STARTUP_LIMIT + " (last: " + last + ")"
                + "\n--- stderr:\n" + Logs.tail(stderr, 4000));
    }

    static int waitForExit(Process p, Duration limit) {
        try {
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("pid " + p.pid() + " still running after " + limit);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The jar under test, copied to a private temporary file. Failsafe passes
     * {@code cairn.jar} (tools/target/cairn.jar); from an IDE the module or reactor root
     * directory is tried.
     */
    static synchronized Path jar() {
        if (privateJar != null) {
            return privateJar;
        }
        String configured = System.getProperty("cairn.jar");
        List<Path> candidates = configured != null
                ? List.of(Path.of(configured))
                : List.of(Path.of("target/cairn.jar"), Path.of("tools/target/cairn.jar"));
        Path built = candidates.stream().filter(Files::isRegularFile).findFirst().orElseThrow(() ->
                new AssertionError("no cairn.jar at " + candidates + " (working directory "
                        + Path.of("").toAbsolutePath() + "): run `mvn -B -DskipTests package` first"));
        try {
            Path copy = Files.createTempFile("cairn-under-test-", ".jar");
            Files.copy(built, copy, StandardCopyOption.REPLACE_EXISTING);
            copy.toFile().deleteOnExit();
            LOG.info("testing {} (copied to {})", built.toAbsolutePath(), copy);
            privateJar = copy;
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
