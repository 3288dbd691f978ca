package dev.cairn.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code cairn} command: {@code server}, {@code chunkstore}, {@code admin}, {@code bench},
 * {@code version}, {@code completion} and {@code help}, parsed by picocli. Every command has
 * {@code --help} and {@code --version}; every flag also reads its {@code CAIRN_<FLAG>} variable
 * ({@link EnvDefaults}), the flag winning.
 */
@Command(name = "cairn",
        description = "Cairn, an S3-compatible distributed object store.",
        subcommands = {ServerCommand.class, ChunkstoreCommand.class, AdminCommand.class, BenchCommand.class,
                VersionCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%n",
        footer = {"Every flag can also be set as a CAIRN_<FLAG> variable (--s3-port: CAIRN_S3_PORT); "
                + "the flag wins.", "Run 'cairn COMMAND --help' for a command's flags."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                " 0:done",
                " 1:failed: the server refused or could not do what was asked, or a run ended in error",
                " 2:usage: --help, or unknown or bad flags and arguments, missing credentials",
                " 3:cannot reach the server (connection refused, timeout, unknown host)",
                " 4:a watched drain or rebalance is blocked (the movers say why)"})
public final class Cairn implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;
    static final int BLOCKED = 4;

    final Map<String, String> env;
    @Spec
    CommandSpec spec;

    Cairn(Map<String, String> env) {
        this.env = env;
    }

    /** {@code cairn} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    public static void main(String[] args) {
        int code = execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs {@code cairn ARGS} with {@code env} as the environment; returns the exit code. */
    static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(env);
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The whole command tree, defaults read from {@code env}. */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new Cairn(env));
        standardOptions(cl);
        cl.setDefaultValueProvider(new EnvDefaults(env));
        cl.setUsageHelpAutoWidth(true);
        cl.setAbbreviatedSubcommandsAllowed(false);
        cl.setOverwrittenOptionsAllowed(true); // a flag given twice: the last wins, as it always did
        cl.setExecutionExceptionHandler((e, command, parsed) -> failure(e, command));
        cl.setParameterExceptionHandler((e, args) -> usageError(e));
        return cl;
    }

    /** The error, picocli's suggestions ("did you mean") and the command's generated help; exit 2. */
    private static int usageError(CommandLine.ParameterException e) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(e.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        err.println();
        command.usage(err);
        err.flush();
        return USAGE;
    }

    /** {@code --help} and {@code --version} on every command (picocli's own help command has its own). */
    private static void standardOptions(CommandLine cl) {
        CommandSpec s = cl.getCommandSpec();
        if (!(s.userObject() instanceof CommandLine.HelpCommand)) {
            s.mixinStandardHelpOptions(true);
            s.versionProvider(new VersionCommand.Provider());
            // --help ran no command: scripts see the usage exit code (the help itself goes to stdout)
            s.exitCodeOnUsageHelp(USAGE);
        }
        cl.getSubcommands().values().forEach(Cairn::standardOptions);
    }

    private static int failure(Exception e, CommandLine command) {
        PrintWriter err = command.getErr();
        if (e instanceof CliFailure f) {
            err.println("cairn: " + f.getMessage());
            return f.exitCode;
        }
        if (e instanceof IllegalArgumentException) {
            err.println("cairn: " + e.getMessage());
            err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for its flags.");
            return USAGE;
        }
        err.println("cairn: " + cause(e));
        return e instanceof ConnectException ? UNREACHABLE : FAILED;
    }

    /**
     * The most telling words for a failure: what a network error means (the JDK's HTTP client
     * throws them without messages), else the first message in the cause chain.
     */
    static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof java.net.http.HttpConnectTimeoutException) {
                return "connect timed out";
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "no answer in time";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    /** The environment the command runs with (tests pass their own). */
    static Map<String, String> env(CommandSpec spec) {
        return ((Cairn) spec.root().userObject()).env;
    }
}
