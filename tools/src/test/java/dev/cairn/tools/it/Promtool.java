package dev.cairn.tools.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code promtool check metrics} (Debian package prometheus) over a saved exposition. */
final class Promtool {
    private Promtool() {
    }

    /**
     * Saves {@code exposition} as {@code <logDir>/<name>.prom} and asserts that promtool finds
     * nothing to complain about (exit 0, no output: lint warnings also exit non-zero).
     */
    static void assertClean(Path promtool, String exposition, Path logDir, String name) {
        try {
            Path file = logDir.resolve(name + ".prom");
            Files.writeString(file, exposition, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
                    .redirectInput(file.toFile())
                    .redirectErrorStream(true)
                    .start();
            String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("promtool check metrics timed out on " + file);
            }
            assertEquals(0, p.exitValue(), "promtool check metrics on " + file + ":\n" + report);
            assertEquals("", report.strip(), "promtool check metrics on " + file + " reported problems");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
