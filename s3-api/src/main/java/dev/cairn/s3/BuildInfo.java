package dev.cairn.s3;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What was built: the version, the git commit and the build time, as Maven wrote them into
 * {@code build-info.properties}. A value the build could not fill in (no git directory, a run
 * from an IDE's unfiltered resources) reads as {@code unknown}.
 *
 * <p>Reported in the server's banner, {@code GET /admin/summary}, the {@code cairn_build_info}
 * metric, the {@code Server} response header and {@code cairn version}.
 */
public record BuildInfo(String version, String revision, String built) {
    public static final String UNKNOWN = "unknown";
    private static final BuildInfo CURRENT = load();

    /** This build. */
    public static BuildInfo current() {
        return CURRENT;
    }

    static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build-info.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(value(p, "version"), value(p, "revision"), value(p, "built"));
    }

    private static String value(Properties p, String name) {
        String v = p.getProperty(name, "").trim();
        return v.isEmpty() || v.startsWith("${") ? UNKNOWN : v;
    }

    /** {@code 0.1.0 (commit 1a2b3c4d5e, built 2025-01-01T00:00:00Z)}. */
    public String describe() {
        return version + " (commit " + revision + ", built " + built + ")";
    }

    /** The {@code Server} header of every response: {@code Cairn/0.1.0}. */
    public String serverHeader() {
        return "Cairn/" + version;
    }

    public JsonObject toJson() {
        return new JsonObject().put("version", version).put("revision", revision).put("built", built);
    }

    /**
     * Publishes {@code cairn_build_info{version, revision, java}} = 1, so a dashboard can show
     * what each instance runs and join it to other series.
     */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("cairn.build.info", () -> 1)
                .description("Always 1; the labels say which Cairn build (version, git commit) and Java runtime run")
                .tags("version", version, "revision", revision, "java", System.getProperty("java.version"))
                .register(registry);
    }
}
