package dev.cairn.tools;

import dev.cairn.s3.RootCredentials;
import dev.cairn.chunkstore.tls.TlsException;
import dev.cairn.chunkstore.tls.TrustedCertificates;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * {@code cairn admin}: the admin API, signed with the root credentials. The connection flags and
 * {@code --json} are inherited by every subcommand, so they go before or after it.
 */
@Command(name = "admin", sortOptions = false,
        description = "Ask a running server about its cluster and tell it what to do, signed with the root credentials.",
        subcommands = {AdminCommand.Nodes.class, AdminCommand.Summary.class, AdminCommand.BucketClass.class,
                AdminCommand.Drain.class, AdminCommand.Remove.class, RebalanceCommand.class, UserCommand.class,
                AdminCommand.BucketQuota.class, AdminCommand.BucketCompression.class, KeyCommand.class,
                MetadataCommand.class, LifecycleCommand.class, AdminCommand.ObjectInfo.class},
        footerHeading = "%n",
        footer = {"Root credentials, the first found: --access-key/--secret-key; CAIRN_ROOT_ACCESS_KEY/"
                + "CAIRN_ROOT_SECRET_KEY; <data-dir>/root-credentials (written by a server that generated them); "
                + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.",
                "Every flag can also be set as CAIRN_<FLAG> (CAIRN_ENDPOINT, CAIRN_CA_CERT, CAIRN_DATA_DIR, CAIRN_REGION)."})
final class AdminCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", paramLabel = "URL", scope = ScopeType.INHERIT, defaultValue = "http://127.0.0.1:9001",
            description = "The server's admin URL (${DEFAULT-VALUE}).")
    URI endpoint;
    @Option(names = "--ca-cert", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "PEM CA certificate(s) to trust for an https endpoint (the JVM's default CAs otherwise).")
    Path caCert;
    @Option(names = "--access-key", paramLabel = "KEY", scope = ScopeType.INHERIT, description = "Root access key.")
    String accessKey;
    @Option(names = "--secret-key", paramLabel = "KEY", scope = ScopeType.INHERIT, description = "Root secret key.")
    String secretKey;
    @Option(names = "--data-dir", paramLabel = "DIR", scope = ScopeType.INHERIT, defaultValue = "data",
            description = "The server's data directory, read for root-credentials when no keys are given "
                    + "(${DEFAULT-VALUE}).")
    Path dataDir;
    @Option(names = "--region", paramLabel = "NAME", scope = ScopeType.INHERIT, defaultValue = "us-east-1",
            description = "The server's region, part of the signature (${DEFAULT-VALUE}).")
    String region;
    @Option(names = "--json", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            scope = ScopeType.INHERIT, description = "Print the server's JSON answer instead of text.")
    boolean json;

    /** {@code cairn admin} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Cairn.USAGE;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A client with the first credentials found (see the footer). */
    AdminClient client() {
        Map<String, String> env = Cairn.env(spec);
        String[] keys = credentials(env);
        return new AdminClient(endpoint, keys[0], keys[1], region, trust(caCert));
    }

    /** The TLS context trusting {@code caCert}, or null for the JVM's default CAs. */
    static javax.net.ssl.SSLContext trust(Path caCert) {
        if (caCert == null) {
            return null;
        }
        try {
            return TrustedCertificates.sslContext(caCert);
        } catch (TlsException e) {
            throw new CliFailure(Cairn.USAGE, e.getMessage() + " (--ca-cert)");
        }
    }

    private String[] credentials(Map<String, String> env) {
        if (accessKey != null || secretKey != null) {
            return pair(accessKey, secretKey, "--access-key and --secret-key");
        }
        if (present(env.get("CAIRN_ROOT_ACCESS_KEY")) || present(env.get("CAIRN_ROOT_SECRET_KEY"))) {
            return pair(env.get("CAIRN_ROOT_ACCESS_KEY"), env.get("CAIRN_ROOT_SECRET_KEY"),
                    "CAIRN_ROOT_ACCESS_KEY and CAIRN_ROOT_SECRET_KEY");
        }
        Optional<RootCredentials> stored;
        try {
            stored = RootCredentials.stored(dataDir);
        } catch (IOException e) {
            throw new CliFailure(Cairn.USAGE, "cannot read " + dataDir.resolve(RootCredentials.FILE) + ": "
                    + Cairn.cause(e), e);
        }
        if (stored.isPresent()) {
            return new String[]{stored.get().accessKey(), stored.get().secretKey()};
        }
        if (present(env.get("AWS_ACCESS_KEY_ID")) && present(env.get("AWS_SECRET_ACCESS_KEY"))) {
            return new String[]{env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")};
        }
        throw new CliFailure(Cairn.USAGE, "no root credentials: give --access-key and --secret-key, set "
                + "CAIRN_ROOT_ACCESS_KEY and CAIRN_ROOT_SECRET_KEY, or point --data-dir at the server's data "
                + "directory (no " + dataDir.resolve(RootCredentials.FILE).toAbsolutePath() + ")");
    }

    private static String[] pair(String ak, String sk, String what) {
        if (!present(ak) || !present(sk)) {
            throw new CliFailure(Cairn.USAGE, "give both " + what);
        }
        return new String[]{ak, sk};
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    /** Prints {@code answer}: the server's JSON with {@code --json}, else {@code text}. */
    int print(JsonObject answer, BiConsumer<JsonObject, PrintWriter> text) {
        if (json) {
            out().println(answer.encodePrettily());
        } else {
            text.accept(answer, out());
        }
        out().flush();
        return Cairn.OK;
    }

    /**
     * Follows {@code GET /admin/rebalances} until the movers settle on the cluster map as it is
     * now (exit 0) or say they are blocked (exit {@link Cairn#BLOCKED}); {@code done} is printed
     * at the end.
     */
    int watch(WatchOptions options, String done) throws InterruptedException {
        AdminClient client = client();
        WatchDisplay display = WatchDisplay.of(out(), spec.commandLine().getErr(), json, System.console() != null);
        MoverWatch.Result r = new MoverWatch(() -> client.get("/admin/rebalances"), options.interval,
                d -> Thread.sleep(d.toMillis()), display).run();
        if (r.outcome() == MoverWatch.Outcome.BLOCKED) {
            spec.commandLine().getErr().println("cairn: the movers are blocked: " + r.reason());
            return Cairn.BLOCKED;
        }
        if (!json) {
            out().println(done);
        }
        out().flush();
        return Cairn.OK;
    }

    /** {@code --watch} and its poll interval. */
    static final class WatchOptions {
        @Option(names = "--watch", description = "Follow the movers until they are done (a progress bar on a "
                + "terminal, a line per change otherwise); ends with exit 4 when they are blocked.")
        boolean watch;
        @Option(names = "--interval", paramLabel = "DUR", converter = Units.Time.class, defaultValue = "2s",
                description = "How often --watch asks (${DEFAULT-VALUE}).")
        java.time.Duration interval;
    }

    @Command(name = "nodes", description = "List the storage nodes: state, address, zone, capacity, use, heartbeat.")
    static final class Nodes implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Override
        public Integer call() {
            return admin.print(admin.client().get("/admin/nodes"), AdminOutput::nodes);
        }
    }

    @Command(name = "summary", description = "Health, protection, node states, buckets, objects, logical and stored "
            + "bytes (the largest buckets too), pending "
            + "repairs and the server's version.")
    static final class Summary implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;

        @Override
        public Integer call() {
            return admin.print(admin.client().get("/admin/summary"), AdminOutput::summary);
        }
    }

    @Command(name = "bucket-class", description = "Show, set or clear (none) the storage class new objects of a "
            + "bucket get when their PUT names none.")
    static final class BucketClass implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;
        @Parameters(index = "0", paramLabel = "BUCKET")
        String bucket;
        @Parameters(index = "1", arity = "0..1", paramLabel = "CLASS|none")
        String storageClass;

        @Override
        public Integer call() {
            String path = "/admin/buckets/" + bucket + "/storage-class";
            JsonObject answer = storageClass == null ? admin.client().get(path)
                    : admin.client().send("PUT", path, new JsonObject().put("storageClass",
                    storageClass.equalsIgnoreCase("none") ? null : storageClass).encode());
            return admin.print(answer, (j, out) -> out.printf("bucket %s: new objects get %s (%s)%n",
                    j.getString("bucket"), j.getString("storageClass"), j.getString("protection")));
        }
    }

    @Command(name = "object", description = "Where a version's data is: its storage class and each chunk's "
            + "protection and piece nodes.")
    static final class ObjectInfo implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;
        @Parameters(index = "0", paramLabel = "BUCKET")
        String bucket;
        @Parameters(index = "1", paramLabel = "KEY")
        String key;
        @Option(names = "--version-id", paramLabel = "ID", description = "A version other than the current one.")
        String versionId;

        @Override
        public Integer call() {
            String path = "/admin/object?bucket=" + query(bucket) + "&key=" + query(key)
                    + (versionId == null ? "" : "&versionId=" + query(versionId));
            return admin.print(admin.client().get(path), (j, out) -> {
                out.printf("%s/%s version %s: %s, %s, %d chunk(s)%n", j.getString("bucket"), j.getString("key"),
                        j.getString("versionId"), j.getString("storageClass"), Units.bytes(j.getLong("size")),
                        j.getJsonArray("chunks").size());
                for (int i = 0; i < j.getJsonArray("chunks").size(); i++) {
                    JsonObject c = j.getJsonArray("chunks").getJsonObject(i);
                    StringBuilder pieces = new StringBuilder();
                    var list = c.getJsonArray("pieces");
                    for (int p = 0; list != null && p < list.size(); p++) {
                        pieces.append(p == 0 ? "" : " ").append(list.getJsonObject(p).getInteger("index")).append('@')
                                .append(list.getJsonObject(p).getString("node"));
                    }
                    out.printf("  %s: %s, %s stored, pieces %s%n", c.getString("id"),
                            c.getString("protection", "no record"), Units.bytes(c.getLong("storedSize", 0L)), pieces);
                }
            });
        }

        /** A query value encoded as SigV4 canonical requests encode it (the admin API checks the signature). */
        private static String query(String v) {
            return java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                    .replace("*", "%2A").replace("%7E", "~");
        }
    }

    @Command(name = "bucket-compression", description = "Show a bucket's logical and stored bytes and whether its "
            + "new chunks are compressed; turn compression on or off for it.")
    static final class BucketCompression implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;
        @Parameters(index = "0", paramLabel = "BUCKET")
        String bucket;
        @Parameters(index = "1", arity = "0..1", paramLabel = "on|off")
        String setting;

        @Override
        public Integer call() {
            String path = "/admin/buckets/" + bucket + "/compression";
            JsonObject answer = setting == null ? admin.client().get(path)
                    : admin.client().send("PUT", path, new JsonObject().put("compression", setting).encode());
            return admin.print(answer, (j, out) -> out.printf("bucket %s: compression %s (server %s); %d objects, "
                            + "%s logical, %s stored%n", j.getString("bucket"), j.getString("compression"),
                    j.getString("serverCompression"), j.getLong("objects"), Units.bytes(j.getLong("logicalBytes")),
                    Units.bytes(j.getLong("storedBytes"))));
        }
    }

    @Command(name = "quota", description = "Show or set a bucket's quota: the bytes and objects it may hold.")
    static final class BucketQuota implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;
        @Parameters(paramLabel = "BUCKET")
        String bucket;
        @Mixin
        UserCommand.QuotaOptions limits;

        @Override
        public Integer call() {
            String path = "/admin/buckets/" + bucket + "/quota";
            JsonObject answer = limits.given() ? admin.client().send("PUT", path, limits.body().encode())
                    : admin.client().get(path);
            return admin.print(answer, (j, out) -> {
                JsonObject use = j.getJsonObject("usage");
                out.printf("bucket %s (owner %s): quota %s; stores %s in %d objects%n", j.getString("bucket"),
                        j.getString("owner"), UserCommand.quota(j.getJsonObject("quota")),
                        Units.bytes(use.getLong("bytes")), use.getLong("objects"));
            });
        }
    }

    @Command(name = "drain", description = "Move every piece off a node (it stays readable meanwhile); "
            + "then 'remove' it.")
    static final class Drain implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;
        @Parameters(paramLabel = "NODE", description = "The node's id (see 'cairn admin nodes').")
        String node;
        @Mixin
        WatchOptions watch;

        @Override
        public Integer call() throws InterruptedException {
            JsonObject answer = admin.client().send("POST", "/admin/nodes/" + node + "/drain", null);
            if (!watch.watch) {
                return admin.print(answer, AdminOutput::nodeState);
            }
            if (admin.json) {
                admin.out().println(answer.encode()); // JSON lines from here on
            } else {
                AdminOutput.nodeState(answer, admin.out());
            }
            return admin.watch(watch, "node " + node + " is drained: the movers have nothing left to move; "
                    + "take it out with 'cairn admin remove " + node + "'");
        }
    }

    @Command(name = "remove", description = "Take a drained node out of the cluster (refused while a chunk still "
            + "places a piece on it).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        AdminCommand admin;
        @Parameters(paramLabel = "NODE", description = "The node's id.")
        String node;

        @Override
        public Integer call() {
            return admin.print(admin.client().send("POST", "/admin/nodes/" + node + "/remove", null),
                    AdminOutput::nodeState);
        }
    }
}
