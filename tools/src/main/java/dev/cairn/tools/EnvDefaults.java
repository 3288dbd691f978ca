package dev.cairn.tools;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Locale;
import java.util.Map;

/**
 * Every flag's default from the environment: {@code --chunk-size} reads {@code CAIRN_CHUNK_SIZE}.
 * A flag on the command line wins; an empty variable counts as unset (the chart passes empty
 * values for options left blank). Help and version switches are never taken from the environment.
 */
final class EnvDefaults implements IDefaultValueProvider {
    private final Map<String, String> env;

    EnvDefaults(Map<String, String> env) {
        this.env = env;
    }

    /** {@code --chunk-size} to {@code CAIRN_CHUNK_SIZE}. */
    static String variable(String longName) {
        return "CAIRN_" + longName.replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec o) || o.usageHelp() || o.versionHelp() || !o.longestName().startsWith("--")) {
            return null;
        }
        String v = env.get(variable(o.longestName()));
        return v == null || v.isEmpty() ? null : v;
    }
}
