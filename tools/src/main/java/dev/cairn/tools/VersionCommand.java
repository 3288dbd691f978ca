package dev.cairn.tools;

import dev.cairn.s3.BuildInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code cairn version} (and every command's {@code --version}): this build's version, commit and time. */
@Command(name = "version", description = "Print the version, git commit and build time of this cairn.")
final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new Provider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        return Cairn.OK;
    }

    /** The lines of {@code --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.current();
            return new String[]{
                    "cairn " + b.version(),
                    "  commit:  " + b.revision(),
                    "  built:   " + b.built(),
                    "  java:    " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
