package dev.cairn.tools;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code cairn admin metadata status|transfer-leader|add-peer|remove-peer|snapshot}: the metadata
 * store, replicated or not. {@code metadata} alone is {@code metadata status}.
 */
@Command(name = "metadata", description = "The metadata: replication status, leadership, peers, consistent "
        + "snapshots.",
        subcommands = {MetadataCommand.Status.class, MetadataCommand.TransferLeader.class,
                MetadataCommand.AddPeer.class, MetadataCommand.RemovePeer.class, MetadataCommand.Snapshot.class})
final class MetadataCommand implements Callable<Integer> {
    @ParentCommand
    AdminCommand admin;

    @Override
    public Integer call() {
        return admin.print(admin.client().get("/admin/metadata"), MetadataCommand::status);
    }

    static void status(JsonObject s, PrintWriter out) {
        if (!s.getBoolean("replicated", false)) {
            out.println("metadata is local to this server (not replicated: no --metadata-peers)");
            return;
        }
        out.printf("metadata peer %s (%s), leader %s, term %d%n", s.getString("self"),
                s.getBoolean("member", true) ? s.getString("role").toLowerCase(java.util.Locale.ROOT)
                        : "not a member: waiting to be added",
                s.getString("leader") == null ? "(none: no majority)" : s.getString("leader"), s.getLong("term"));
        out.printf("log: last %d, committed %d, applied %d, starts at %d, %s on disk%n", s.getLong("lastIndex"),
                s.getLong("commitIndex"), s.getLong("appliedIndex"), s.getLong("logStartIndex"),
                Units.bytes(s.getLong("logBytes")));
        Long age = s.getLong("snapshotAgeSeconds");
        out.printf("snapshot: at %d%s; leader changes seen: %d%n", s.getLong("snapshotIndex"),
                age == null ? " (none yet)" : ", taken " + age + " s ago", s.getLong("leaderChanges"));
        peers(s, out);
    }

    /** The peers table: role, commit index, lag, last contact with the leader, caught up or not. */
    static void peers(JsonObject s, PrintWriter out) {
        out.printf("%-10s %-28s %-9s %12s %8s %9s %s%n", "PEER", "ADDRESS", "ROLE", "COMMITTED", "LAG", "CONTACT",
                "CAUGHT-UP");
        for (Object o : s.getJsonArray("peers")) {
            JsonObject p = (JsonObject) o;
            Long commit = p.getLong("commitIndex");
            Long contact = p.getLong("lastContactMillis");
            out.printf("%-10s %-28s %-9s %12s %8s %9s %s%n", p.getString("id"), p.getString("address"),
                    p.getString("role"), commit == null || commit < 0 ? "?" : Long.toString(commit),
                    p.getLong("lag") < 0 ? "?" : Long.toString(p.getLong("lag")),
                    contact == null ? "?" : contact + "ms", p.getBoolean("caughtUp") ? "yes" : "no");
        }
    }

    /** Sends a membership change and prints {@code done} and the peers table the server answers with. */
    int changePeers(String method, String path, String body, java.time.Duration timeout, String done) {
        return admin.print(admin.client().send(method, path, body, timeout), (j, out) -> {
            out.println(done);
            peers(j, out);
        });
    }

    /** The value {@code parse} gives, or a usage error (exit 2) with its message when the argument is malformed. */
    static <T> T parsed(picocli.CommandLine.Model.CommandSpec spec, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Command(name = "status", description = "Leader, term, log and snapshot positions, and each peer's commit index "
            + "and lag, as the server asked sees them.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        MetadataCommand parent;

        @Override
        public Integer call() {
            return parent.call();
        }
    }

    @Command(name = "transfer-leader", description = "Hand metadata leadership to PEER (or to the most up-to-date "
            + "other peer), e.g. before restarting the leader.")
    static final class TransferLeader implements Callable<Integer> {
        @ParentCommand
        MetadataCommand parent;
        @Parameters(arity = "0..1", paramLabel = "PEER")
        String to;

        @Override
        public Integer call() {
            JsonObject body = new JsonObject();
            if (to != null) {
                body.put("to", to);
            }
            return parent.admin.print(parent.admin.client().send("POST", "/admin/metadata/transfer-leader",
                    body.encode()), (j, out) -> out.printf("metadata leader is now %s%n", j.getString("leader")));
        }
    }

    @Command(name = "add-peer", description = "Add a metadata peer ID=HOST:PORT (its Raft address) whose server runs "
            + "with --metadata-join; returns once it caught up and votes. Peers are added one at a time.")
    static final class AddPeer implements Callable<Integer> {
        @ParentCommand
        MetadataCommand parent;
        @Parameters(paramLabel = "ID=HOST:PORT")
        String peer;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var p = parsed(spec, () -> dev.cairn.metadata.ratis.MetadataPeers.parsePeer(peer));
            JsonObject body = new JsonObject().put("id", p.id()).put("address", p.address());
            return parent.changePeers("POST", "/admin/metadata/peers", body.encode(), java.time.Duration.ofMinutes(15),
                    "metadata peer " + p.id() + " added");
        }
    }

    @Command(name = "remove-peer", description = "Remove metadata peer ID (leadership moves off it first); refused when "
            + "fewer than 3 peers, or not a majority of answering peers, would remain. Stop its server afterwards.")
    static final class RemovePeer implements Callable<Integer> {
        @ParentCommand
        MetadataCommand parent;
        @Parameters(paramLabel = "ID")
        String id;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            parsed(spec, () -> {
                dev.cairn.metadata.ratis.MetadataPeers.checkId(id);
                return id;
            });
            return parent.changePeers("DELETE", "/admin/metadata/peers/" + id, null, java.time.Duration.ofMinutes(2),
                    "metadata peer " + id + " removed");
        }
    }

    @Command(name = "snapshot", description = "Write a consistent checkpoint of the metadata (every write "
            + "acknowledged before it) into DIR, which must not exist; a server starts from it as its <data-dir>/meta.")
    static final class Snapshot implements Callable<Integer> {
        @ParentCommand
        MetadataCommand parent;
        @Parameters(paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() throws IOException {
            if (Files.exists(dir)) {
                throw new CliFailure(Cairn.FAILED, dir + " exists: give a directory that does not exist yet");
            }
            Path parentDir = dir.toAbsolutePath().getParent();
            Files.createDirectories(parentDir);
            Path packed = Files.createTempFile(parentDir, ".cairn-snapshot", ".tmp");
            try {
                parent.admin.client().download("/admin/metadata/snapshot", packed);
                dev.cairn.metadata.ratis.SnapshotFile.unpack(packed, dir);
            } finally {
                Files.deleteIfExists(packed);
            }
            long bytes;
            try (var files = Files.list(dir)) {
                bytes = files.mapToLong(f -> f.toFile().length()).sum();
            }
            return parent.admin.print(new JsonObject().put("dir", dir.toString()).put("bytes", bytes),
                    (j, out) -> out.printf("metadata checkpoint written to %s (%s)%n", j.getString("dir"),
                            Units.bytes(j.getLong("bytes"))));
        }
    }
}
