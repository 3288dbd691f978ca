package dev.cairn.tools;

/** A failure the command reports in one line and ends with {@code exitCode} (see {@link Cairn}'s exit codes). */
final class CliFailure extends RuntimeException {
    final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }
}
