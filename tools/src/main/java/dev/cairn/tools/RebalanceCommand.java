package dev.cairn.tools;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code cairn admin rebalance status|pause|resume|throttle}: the data movers (repair, rebalance,
 * drain, scrub). {@code rebalance} alone is {@code rebalance status}.
 */
@Command(name = "rebalance", description = "The data movers: their progress, pausing and throttling them.",
        subcommands = {RebalanceCommand.Status.class, RebalanceCommand.Pause.class, RebalanceCommand.Resume.class,
                RebalanceCommand.Throttle.class})
final class RebalanceCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;

    @Override
    public Integer call() {
        return admin.print(admin.client().get("/admin/rebalances"), AdminOutput::rebalance);
    }

    @Command(name = "status", description = "What the movers have to move and have moved, their rate, ETA, errors, "
            + "throttle and the scrubber's last pass.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        RebalanceCommand parent;
        @Mixin
        AdminCommand.WatchOptions watch;

        @Override
        public Integer call() throws InterruptedException {
            if (!watch.watch) {
                return parent.call();
            }
            return parent.admin.watch(watch, "the movers are done: nothing left to move");
        }
    }

    @Command(name = "pause", description = "Stop planning and starting moves (moves under way finish).")
    static final class Pause implements Callable<Integer> {
        @ParentCommand
        RebalanceCommand parent;

        @Override
        public Integer call() {
            return parent.admin.print(parent.admin.client().send("POST", "/admin/rebalances/pause", null),
                    AdminOutput::paused);
        }
    }

    @Command(name = "resume", description = "Let the movers plan and move again.")
    static final class Resume implements Callable<Integer> {
        @ParentCommand
        RebalanceCommand parent;

        @Override
        public Integer call() {
            return parent.admin.print(parent.admin.client().send("POST", "/admin/rebalances/resume", null),
                    AdminOutput::paused);
        }
    }

    @Command(name = "throttle", description = "Change the movers' byte rate and moves per node at run time.")
    static final class Throttle implements Callable<Integer> {
        @ParentCommand
        RebalanceCommand parent;
        @Spec
        CommandSpec spec;
        @Option(names = "--bytes-per-second", paramLabel = "SIZE", converter = Units.Size.class,
                description = "Byte rate of all moves together, e.g. 64MiB.")
        Long bytesPerSecond;
        @Option(names = "--moves-per-node", paramLabel = "N", description = "Moves at once per node.")
        Integer movesPerNode;

        @Override
        public Integer call() {
            if (bytesPerSecond == null && movesPerNode == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give --bytes-per-second, --moves-per-node or both");
            }
            JsonObject body = new JsonObject();
            if (bytesPerSecond != null) {
                body.put("bytesPerSecond", bytesPerSecond);
            }
            if (movesPerNode != null) {
                body.put("movesPerNode", movesPerNode);
            }
            return parent.admin.print(parent.admin.client().send("PUT", "/admin/rebalances/throttle", body.encode()),
                    (j, out) -> out.printf("mover throttle: %s/s, %d moves per node%n",
                            Units.bytes(j.getLong("bytesPerSecond")), j.getInteger("movesPerNode")));
        }
    }
}
