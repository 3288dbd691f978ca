package dev.cairn.tools.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the integration tests leave server and client output for debugging:
 * {@code tools/target/it-logs/<name>/} (the module's build directory, passed by failsafe as
 * {@code cairn.it.logs}; a plain {@code target/it-logs} relative to the working directory
 * otherwise).
 */
final class Logs {
    private Logs() {
    }

    static Path root() {
        String configured = System.getProperty("cairn.it.logs");
        return Path.of(configured != null ? configured : "target/it-logs").toAbsolutePath();
    }

    static Path dir(String name) {
        Path dir = root().resolve(name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** The last {@code maxChars} characters of a log file, for failure messages. */
    static String tail(Path file, int maxChars) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file + ")";
            }
            String s = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
            return s.length() <= maxChars ? s : "..." + s.substring(s.length() - maxChars);
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
