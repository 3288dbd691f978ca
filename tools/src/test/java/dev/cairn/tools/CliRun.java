package dev.cairn.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** {@code cairn ARGS} run in this JVM with a given environment; its exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cairn.execute(args, env, new PrintWriter(out), new PrintWriter(err));
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun of(String... args) {
        return of(Map.of(), args);
    }

    String describe() {
        return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }
}
