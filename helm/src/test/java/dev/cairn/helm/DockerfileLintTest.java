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

    /**
     * Every pom is copied and dependency:go-offline runs before the first source is copied, so a
     * source change reuses the dependency layer; the sources a module needs are all copied.
     */
    @Test
    void dependenciesAreResolvedInTheirOwnLayerBeforeTheSources() throws Exception {
        List<String> lines = Files.readAllLines(dockerfile()).stream().map(String::strip).toList();
        int goOffline = indexOf(lines, l -> l.startsWith("RUN mvn") && l.contains("dependency:go-offline"));
        int firstSource = indexOf(lines, l -> l.startsWith("COPY") && l.contains("/src "));
        int build = indexOf(lines, l -> l.startsWith("RUN mvn") && l.contains(" package"));
        assertTrue(goOffline >= 0 && goOffline < firstSource && firstSource < build,
                "go-offline (line " + goOffline + ") before the sources (" + firstSource + ") before the build (" + build + ")");
        Path root = dockerfile().toAbsolutePath().getParent();
        for (String module : List.of("metadata", "chunkstore", "placement", "s3-api", "tools", "helm")) {
            int pom = lines.indexOf("COPY " + module + "/pom.xml " + module + "/");
            assertTrue(pom >= 0 && pom < goOffline, module + "/pom.xml copied before go-offline");
            assertTrue(Files.isRegularFile(root.resolve(module).resolve("pom.xml")));
        }
        for (String module : List.of("metadata", "chunkstore", "placement", "s3-api", "tools")) {
            assertTrue(lines.contains("COPY " + module + "/src " + module + "/src"), module + " sources copied");
        }
        assertTrue(lines.contains("COPY pom.xml ./"));
        assertTrue(lines.get(build).contains("-Dgit.commit.id.abbrev=\"${REVISION}\""), "the commit reaches cairn version");
    }

    /** OCI labels name the version (the pom's), the commit, the build time and the source. */
    @Test
    void imageLabelsFollowTheOciAnnotations() throws Exception {
        String text = Files.readString(dockerfile());
        for (String label : List.of("title", "description", "version=\"${VERSION}\"", "revision=\"${REVISION}\"",
                "created=\"${CREATED}\"", "source=\"https://github.com/")) {
            assertTrue(text.contains("org.opencontainers.image." + label), label);
        }
        String pom = Files.readString(dockerfile().toAbsolutePath().getParent().resolve("pom.xml"));
        java.util.regex.Matcher v = java.util.regex.Pattern.compile("<artifactId>cairn-parent</artifactId>\\s*"
                + "<version>([^<]+)</version>").matcher(pom);
        assertTrue(v.find(), "the root pom's version");
        assertTrue(text.contains("ARG VERSION=" + v.group(1) + "\n"), "ARG VERSION defaults to " + v.group(1));
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
