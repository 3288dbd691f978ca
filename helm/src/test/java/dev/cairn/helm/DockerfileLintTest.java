package dev.cairn.helm;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The root {@code Dockerfile} passes {@code dockerfile-utils lint} (npm package dockerfile-utils)
 * and keeps the image's promises: multi-stage, non-root, /data volume, the ports, a health check
 * and one entrypoint. Without dockerfile-utils on PATH the lint is skipped, unless the CI
 * variable is set: then it fails.
 */
class DockerfileLintTest {
    static Path dockerfile() {
        Path file = Path.of(System.getProperty("cairn.dockerfile", "../Dockerfile"));
        assertTrue(Files.isRegularFile(file), "no Dockerfile at " + file.toAbsolutePath());
        return file;
    }

    static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (!dir.isEmpty() && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Test
    void dockerfileUtilsFindsNoProblem() throws Exception {
        Optional<Path> tool = onPath("dockerfile-utils");
        if (tool.isEmpty()) {
            String ci = System.getenv("CI");
            String why = "dockerfile-utils is not on PATH (npm install -g dockerfile-utils)";
            Assertions.assertTrue(ci == null || ci.isBlank(), why + "; CI is set, so this is a failure");
            Assumptions.abort(why + "; skipping");
        }
        Process p = new ProcessBuilder(tool.get().toString(), "lint", dockerfile().toString())
                .redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "dockerfile-utils lint timed out");
        assertEquals(0, p.exitValue(), "dockerfile-utils lint:\n" + report);
        assertEquals("", report.strip(), "dockerfile-utils lint reported problems");
    }

    @Test
    void imageIsMultiStageNonRootWithDataVolumePortsHealthCheckAndOneEntrypoint() throws Exception {
        List<String> lines = Files.readAllLines(dockerfile()).stream().map(String::strip)
                .filter(l -> !l.startsWith("#")).toList();
        assertTrue(lines.contains("FROM maven:3-eclipse-temurin-17 AS build"), "Maven build stage");
        assertTrue(lines.contains("FROM eclipse-temurin:17-jre"), "JRE runtime stage");
        assertTrue(lines.contains("USER cairn:cairn"), "non-root user");
        assertTrue(lines.contains("VOLUME [\"/data\"]"));
        assertTrue(lines.contains("EXPOSE 9000 9001 9100"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("HEALTHCHECK ") && l.endsWith("CMD [\"healthcheck\"]")));
        assertTrue(Files.readString(dockerfile().resolveSibling("docker/healthcheck")).contains("/health/ready"));
        assertTrue(lines.contains("ENTRYPOINT [\"cairn\"]"));
        assertTrue(lines.contains("CMD [\"server\"]"));
    }
}
