package dev.cairn.tools;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code cairn completion}: a bash completion script of every command and flag (zsh: through bashcompinit). */
@Command(name = "completion",
        description = {"Print a shell completion script for cairn (bash; zsh after 'autoload -U +X bashcompinit && bashcompinit').",
                "Use it with: source <(cairn completion)"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("cairn", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return Cairn.OK;
    }
}
