package dev.cairn.tools;

import dev.cairn.chunkstore.node.ChunkstoreNode;
import dev.cairn.chunkstore.node.NodeConfig;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code cairn chunkstore}: a storage node in its own process. */
final class ChunkstoreCommand {
    static final Set<String> FLAGS = new LinkedHashSet<>(List.of(
            "data-dir", "host", "port", "advertise-host", "join", "capacity", "zone", "node-id", "heartbeat-seconds"));

    private ChunkstoreCommand() {
    }

    static NodeConfig config(List<String> args, Map<String, String> env) {
        Flags f = Flags.parse(args, FLAGS, env);
        String secret = env.get("CAIRN_CLUSTER_SECRET");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("set CAIRN_CLUSTER_SECRET to the server's cluster secret "
                    + "(the server keeps a generated one in <its data dir>/cluster-secret)");
        }
        return new NodeConfig(
                Path.of(f.get("data-dir", "chunkstore-data")),
                f.get("host", "0.0.0.0"),
                f.getInt("port", NodeConfig.DEFAULT_PORT),
                f.get("advertise-host", NodeConfig.DEFAULT_ADVERTISE_HOST),
                f.get("join", null),
                f.getSize("capacity", 0),
                f.get("zone", null),
                f.get("node-id", null),
                secret,
                Duration.ofSeconds(f.getInt("heartbeat-seconds", 5)));
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out) throws Exception {
        NodeConfig config = config(args, env);
        ChunkstoreNode node = ChunkstoreNode.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "cairn-shutdown"));
        out.printf("Cairn chunkstore %s is ready%n", node.nodeId());
        out.printf("  pieces:       %s%n", node.address());
        out.printf("  joins:        %s%n", config.joinUrl() == null ? "(none: no --join given)" : config.joinUrl());
        out.printf("  data:         %s%n", config.dataDir().toAbsolutePath());
        out.flush();
        stopped.await();
        return 0;
    }
}
