package dev.cairn.tools.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code prometheus} (Debian package) on loopback that scrapes the given targets every
 * second, with its TSDB in a temp dir; {@link #query} evaluates PromQL through the HTTP API.
 * Output goes to {@code <logDir>/prometheus.out}.
 */
final class PrometheusServer implements AutoCloseable {
    private final Process process;
    private final URI base;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    /** Targets (host:port) scraped under one job name, with extra target labels (such as {@code cluster}). */
    record Targets(String job, Map<String, String> labels, List<String> hostPorts) {
    }

    /** Starts prometheus scraping {@code groups} (several may share a job); returns once it is ready. */
    static PrometheusServer start(Path binary, Path dir, Path logDir, List<Targets> groups) {
        try {
            StringBuilder config = new StringBuilder("""
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                    """);
            Map<String, List<Targets>> byJob = new java.util.LinkedHashMap<>();
            groups.forEach(g -> byJob.computeIfAbsent(g.job(), j -> new java.util.ArrayList<>()).add(g));
            byJob.forEach((job, list) -> {
                config.append("  - job_name: ").append(job).append("\n    static_configs:\n");
                for (Targets g : list) {
                    config.append("      - targets: [")
                            .append(String.join(", ", g.hostPorts().stream().map(t -> "'" + t + "'").toList()))
                            .append("]\n");
                    if (!g.labels().isEmpty()) {
                        config.append("        labels:\n");
                        g.labels().forEach((k, v) -> config.append("          ").append(k).append(": '").append(v)
                                .append("'\n"));
                    }
                }
            });
            Path file = dir.resolve("prometheus.yml");
            Files.writeString(file, config);
            int port = freePort();
            Process p = new ProcessBuilder(binary.toString(), "--config.file=" + file,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(logDir.resolve("prometheus.out").toFile())
                    .start();
            ServerProcess.reapOnExit(p);
            PrometheusServer server = new PrometheusServer(p, URI.create("http://127.0.0.1:" + port));
            ClusterFixture.await("prometheus ready", server::ready, Boolean::booleanValue, Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("prometheus exited with " + process.exitValue() + "; see prometheus.out");
        }
        try {
            return get(base.resolve("/-/ready")).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The result vector of an instant query at the current time; fails on a PromQL error. */
    JsonArray query(String promql) {
        try {
            HttpResponse<String> r = get(base.resolve("/api/v1/query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
            JsonObject body = new JsonObject(r.body());
            if (r.statusCode() != 200 || !"success".equals(body.getString("status"))) {
                throw new AssertionError("query " + promql + " answered " + r.statusCode() + ": " + r.body());
            }
            return body.getJsonObject("data").getJsonArray("result");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ServerProcess.forget(process);
    }
}
