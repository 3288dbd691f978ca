package dev.cairn.tools;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code cairn admin lifecycle status|run}: the lifecycle worker ({@code GET /admin/lifecycle},
 * {@code POST /admin/lifecycle/run}). {@code lifecycle} alone is {@code lifecycle status}.
 */
@Command(name = "lifecycle", description = "The lifecycle worker: its state, last pass and totals; start a pass now.",
        subcommands = {LifecycleCommand.Status.class, LifecycleCommand.Run.class})
final class LifecycleCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;

    @Override
    public Integer call() {
        return admin.print(admin.client().get("/admin/lifecycle"), LifecycleCommand::status);
    }

    static void status(JsonObject s, PrintWriter out) {
        out.printf("lifecycle: %s%s, %d passes, a day is %d s, at most %d actions/s%n", s.getString("state"),
                s.getString("currentBucket") == null ? "" : " (bucket " + s.getString("currentBucket") + ")",
                s.getLong("passes"), s.getLong("daySeconds"), s.getLong("actionsPerSecond"));
        JsonObject last = s.getJsonObject("lastPass");
        if (last != null) {
            out.printf("last pass: %s to %s (%.3f s)%n", last.getString("started"), last.getString("finished"),
                    last.getDouble("seconds"));
            counts(last, out);
        }
        out.println("since start:");
        counts(s.getJsonObject("totals"), out);
        if (s.getString("lastError") != null) {
            out.printf("last error: %s%n", s.getString("lastError"));
        }
        if (s.getString("lastDeferral") != null) {
            out.printf("last transition deferred: %s%n", s.getString("lastDeferral"));
        }
    }

    private static void counts(JsonObject c, PrintWriter out) {
        out.printf("  %d buckets, %d versions and %d uploads read; expired %d objects, %d noncurrent versions, "
                        + "%d delete markers; aborted %d uploads; %d kept by object lock, %d changed meanwhile, "
                        + "%d errors%n", c.getLong("buckets"), c.getLong("versionsScanned"), c.getLong("uploadsScanned"),
                c.getLong("objectsExpired"), c.getLong("noncurrentVersionsExpired"), c.getLong("deleteMarkersRemoved"),
                c.getLong("uploadsAborted"), c.getLong("skippedLocked"), c.getLong("skippedChanged"),
                c.getLong("errors"));
        out.printf("  transitioned %d objects and %d noncurrent versions (%d stored bytes re-protected); %d transitions "
                        + "deferred%n", c.getLong("objectsTransitioned", 0L), c.getLong("noncurrentVersionsTransitioned", 0L),
                c.getLong("transitionedBytes", 0L), c.getLong("transitionsDeferred", 0L));
    }

    @Command(name = "status", description = "State, the last pass and the totals since the server started.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        LifecycleCommand parent;

        @Override
        public Integer call() {
            return parent.call();
        }
    }

    @Command(name = "run", description = "Start a lifecycle pass now (on the metadata leader; others stay on standby).")
    static final class Run implements Callable<Integer> {
        @ParentCommand
        LifecycleCommand parent;

        @Override
        public Integer call() {
            return parent.admin.print(parent.admin.client().send("POST", "/admin/lifecycle/run", null),
                    (j, out) -> out.println("lifecycle pass requested"));
        }
    }
}
