package dev.cairn.tools;

import dev.cairn.chunkstore.node.ChunkstoreNode;
import dev.cairn.chunkstore.node.NodeConfig;
import dev.cairn.chunkstore.tls.TlsFiles;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code cairn chunkstore}: a storage node in its own process. */
@Command(name = "chunkstore", sortOptions = false,
        description = "Run a storage node in its own process; it joins a server with --join.",
        footerHeading = "%n",
        footer = {"Every flag can also be set as CAIRN_<FLAG> (CAIRN_JOIN=...); the flag wins.",
                "Needs CAIRN_CLUSTER_SECRET: the server's cluster secret (kept in <server data dir>/cluster-secret)."})
final class ChunkstoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "chunkstore-data",
            description = "Where the pieces live (${DEFAULT-VALUE}).")
    Path dataDir;
    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "0.0.0.0", description = "Bind address (${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--port", paramLabel = "N", defaultValue = "" + NodeConfig.DEFAULT_PORT,
            description = "Piece port, also /health and /metrics (${DEFAULT-VALUE}; 0 = a free port).")
    int port;
    @Option(names = "--advertise-host", paramLabel = "HOST", defaultValue = NodeConfig.DEFAULT_ADVERTISE_HOST,
            description = "Host the server reaches this node at (${DEFAULT-VALUE}).")
    String advertiseHost;
    @Option(names = "--join", paramLabel = "URL", description = "The server's admin URL, e.g. http://server:9001; with replicated metadata, every server's, "
                    + "comma-separated.")
    String join;
    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "PEM CA certificate(s) to trust for an https --join URL (the JVM's default CAs otherwise).")
    Path caCert;
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "PEM certificate (the chain after it) the piece port serves HTTPS with, TLS 1.2+; re-read "
                    + "when it changes. It must name --advertise-host. Needs --tls-key.")
    Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
    Path tlsKey;
    @Option(names = "--capacity", paramLabel = "SIZE", converter = Units.Size.class, defaultValue = "0",
            description = "Bytes this node offers (unlimited when 0 or unset).")
    long capacity;
    @Option(names = "--zone", paramLabel = "Z", description = "Failure domain pieces are spread across.")
    String zone;
    @Option(names = "--node-id", paramLabel = "ID", description = "Stable id (generated and kept in the data dir).")
    String nodeId;
    @Option(names = "--heartbeat-seconds", paramLabel = "N", defaultValue = "5",
            description = "Heartbeat period (${DEFAULT-VALUE}).")
    int heartbeatSeconds;

    NodeConfig config() {
        String secret = Cairn.env(spec).get("CAIRN_CLUSTER_SECRET");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("set CAIRN_CLUSTER_SECRET to the server's cluster secret "
                    + "(the server keeps a generated one in <its data dir>/cluster-secret)");
        }
        if (caCert != null) {
            dev.cairn.chunkstore.tls.TrustedCertificates.trustManagers(caCert); // a clear error now, not at the first heartbeat
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), tlsCert == null
                    ? "--tls-key needs --tls-cert (CAIRN_TLS_CERT): the certificate of the key"
                    : "--tls-cert needs --tls-key (CAIRN_TLS_KEY): the private key of the certificate");
        }
        return new NodeConfig(dataDir, host, port, advertiseHost, join, capacity, zone, nodeId, secret,
                Duration.ofSeconds(heartbeatSeconds), caCert, tlsCert == null ? null : TlsFiles.of(tlsCert, tlsKey));
    }

    @Override
    public Integer call() throws Exception {
        NodeConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        ChunkstoreNode node = ChunkstoreNode.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "cairn-shutdown"));
        out.printf("Cairn chunkstore %s is ready (cairn %s)%n", node.nodeId(), dev.cairn.s3.BuildInfo.current().version());
        out.printf("  pieces:       %s%n", node.address());
        out.printf("  joins:        %s%n", config.joinUrl() == null ? "(none: no --join given)" : config.joinUrl());
        out.printf("  data:         %s%n", config.dataDir().toAbsolutePath());
        out.flush();
        stopped.await();
        return Cairn.OK;
    }
}
