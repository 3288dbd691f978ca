package dev.cairn.tools;

import dev.cairn.placement.mover.MoverSettings;
import dev.cairn.s3.CairnServer;
import dev.cairn.s3.RootCredentials;
import dev.cairn.s3.ServerConfig;
import dev.cairn.s3.request.VirtualHost;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code cairn server}: the gateway with its embedded chunkstore. */
final class ServerCommand {
    /** Every flag of {@code cairn server}, each also readable as a CAIRN_* variable. */
    static final Set<String> FLAGS = new LinkedHashSet<>(List.of(
            "data-dir", "host", "s3-port", "admin-port", "chunk-size", "inline-threshold", "gc-grace-seconds",
            "region", "chunkstores", "chunkstore-dirs", "protection", "storage-classes", "heartbeat-seconds", "down-after-seconds",
            "domain", "metrics-max-buckets", "repair-grace", "scrub-interval", "mover-bytes-per-second",
            "mover-moves-per-node", "mover-pass-interval", "movers-paused"));

    private ServerCommand() {
    }

    static ServerConfig config(List<String> args, Map<String, String> env) {
        Flags f = Flags.parse(args, FLAGS, env);
        ServerConfig d = ServerConfig.defaults();
        long chunk = f.getSize("chunk-size", d.chunkSize());
        if (chunk > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--chunk-size is too large");
        }
        long inline = f.getSize("inline-threshold", Math.min(d.inlineThreshold(), chunk));
        List<Path> dirs = new ArrayList<>();
        for (String dir : f.get("chunkstore-dirs", "").split(",")) {
            if (!dir.isBlank()) {
                dirs.add(Path.of(dir.trim()));
            }
        }
        int chunkstores = f.getInt("chunkstores", dirs.isEmpty() ? d.chunkstores() : dirs.size());
        return new ServerConfig(
                Path.of(f.get("data-dir", d.dataDir().toString())),
                f.get("host", d.host()),
                f.getInt("s3-port", d.s3Port()),
                f.getInt("admin-port", d.adminPort()),
                (int) chunk,
                (int) inline,
                Duration.ofSeconds(f.getInt("gc-grace-seconds", (int) d.gcGrace().toSeconds())),
                env.get("CAIRN_ROOT_ACCESS_KEY"),
                env.get("CAIRN_ROOT_SECRET_KEY"),
                f.get("region", d.region()),
                chunkstores,
                dirs,
                f.get("protection", d.protection()),
                f.get("storage-classes", d.storageClasses()),
                env.get("CAIRN_CLUSTER_SECRET"),
                Duration.ofSeconds(f.getInt("heartbeat-seconds", (int) d.heartbeatInterval().toSeconds())),
                Duration.ofSeconds(f.getInt("down-after-seconds", (int) d.downAfter().toSeconds())),
                VirtualHost.parseDomains(f.get("domain", "")),
                f.getInt("metrics-max-buckets", d.metricsMaxBuckets()),
                movers(f, d.movers()));
    }

    private static MoverSettings movers(Flags f, MoverSettings d) {
        return new MoverSettings(f.getDuration("repair-grace", d.repairGrace()), d.deleteDelay(),
                f.getDuration("mover-pass-interval", d.passInterval()), f.getDuration("scrub-interval", d.scrubInterval()),
                f.getSize("mover-bytes-per-second", d.bytesPerSecond()), f.getInt("mover-moves-per-node", d.movesPerNode()),
                d.parallelism(), f.getBoolean("movers-paused", d.paused()));
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
        ServerConfig config = config(args, env);
        long t0 = System.nanoTime();
        CairnServer server = CairnServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "cairn-shutdown"));
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        RootCredentials c = server.credentials();
        out.printf("Cairn is ready in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        out.printf("  S3 endpoint:  http://%s:%d%n", host, server.s3Port());
        out.printf("  admin:        http://%s:%d  (/health/ready, /metrics)%n", host, server.adminPort());
        out.printf("  region:       %s%n", config.region());
        if (!config.domains().isEmpty()) {
            out.printf("  domains:      %s (virtual-hosted style: BUCKET.DOMAIN)%n", String.join(", ", config.domains()));
        }
        out.printf("  protection:   %s for new chunks (%s; %d storage node(s))%n",
                server.nodes().protection().describe(), config.protection(), server.nodes().memberCount());
        out.printf("  chunkstores:  %d in this process; nodes join with --join http://%s:%d%n",
                config.chunkstores(), host, server.adminPort());
        out.printf("  access key:   %s%n", c.accessKey());
        if (c.generated()) {
            out.printf("  secret key:   %s%n", c.secretKey());
            out.printf("  (generated on first start; kept in %s)%n",
                    config.dataDir().resolve(RootCredentials.FILE).toAbsolutePath());
        } else if (env.get("CAIRN_ROOT_SECRET_KEY") == null) {
            out.printf("  secret key:   %s%n", c.secretKey());
            out.printf("  (from %s)%n", config.dataDir().resolve(RootCredentials.FILE).toAbsolutePath());
        } else {
            out.println("  secret key:   (from CAIRN_ROOT_SECRET_KEY)");
        }
        out.printf("  data:         %s%n", config.dataDir().toAbsolutePath());
        out.flush();
        stopped.await();
        return 0;
    }
}
