package dev.cairn.tools;

import dev.cairn.s3.auth.RequestSigner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code cairn bench}: concurrent streaming PUTs and then GETs of generated objects against an
 * S3 endpoint, verifying every byte read back (CRC32C of what was sent against what came back).
 * The client never holds an object in memory, so it can drive objects far larger than its heap.
 */
@Command(name = "bench", sortOptions = false,
        description = "Load an S3 endpoint with concurrent streaming PUTs, then GETs, verifying every byte read back.",
        footerHeading = "%n",
        footer = "Credentials: --access-key/--secret-key, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY. "
                + "Exit 1 when any object failed.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", paramLabel = "URL", defaultValue = "http://127.0.0.1:9000",
            description = "S3 endpoint (${DEFAULT-VALUE}).")
    URI endpoint;
    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "PEM CA certificate(s) to trust for an https endpoint (the JVM's default CAs otherwise).")
    java.nio.file.Path caCert;
    @Option(names = "--access-key", paramLabel = "KEY", description = "Access key id.")
    String accessKey;
    @Option(names = "--secret-key", paramLabel = "KEY", description = "Secret key.")
    String secretKey;
    @Option(names = "--region", paramLabel = "NAME", defaultValue = "us-east-1", description = "Region (${DEFAULT-VALUE}).")
    String region;
    @Option(names = "--bucket", paramLabel = "NAME", defaultValue = "cairn-bench",
            description = "Bucket, created when missing (${DEFAULT-VALUE}).")
    String bucket;
    @Option(names = "--size", paramLabel = "SIZE", converter = Units.Size.class, defaultValue = "64MiB",
            description = "Size of each object (${DEFAULT-VALUE}).")
    long size;
    @Option(names = "--objects", paramLabel = "N", defaultValue = "16", description = "Objects (${DEFAULT-VALUE}).")
    int objects;
    @Option(names = "--concurrency", paramLabel = "N", description = "Requests at once (as many as objects).")
    Integer concurrency;
    @Option(names = "--sse", paramLabel = "AES256|aws:kms",
            description = "Ask for server-side encryption of the objects written (none).")
    String sse;
    @Option(names = "--data", paramLabel = "random|text", defaultValue = "random",
            description = "What the objects hold: random bytes, or log-like text that compresses (${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--workload", paramLabel = "NAME", defaultValue = "put-get",
            description = "put-get (PUT every object, then GET each), put, get (objects of an earlier run with "
                    + "the same --bucket, --size and --objects), mixed (PUT every object, then --ops requests, "
                    + "--read-percent of them GETs, the rest PUTs over them) (${DEFAULT-VALUE}).")
    String workloadName;
    @Option(names = "--ops", paramLabel = "N",
            description = "Requests of a get or mixed phase, spread over the objects in turn (as many as objects).")
    Integer ops;
    @Option(names = "--read-percent", paramLabel = "P", defaultValue = "50",
            description = "Share of GETs in a mixed phase (${DEFAULT-VALUE}).")
    int readPercent;
    @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
            description = "Run the workload this many times, one report per phase each (${DEFAULT-VALUE}).")
    int rounds;
    @Option(names = "--server-pid", paramLabel = "PID",
            description = "A server process on this host whose CPU seconds (from /proc/PID/stat) each phase reports, "
                    + "per GiB and per operation; repeat for a gateway and its chunkstores.")
    List<Long> serverPids = new ArrayList<>();

    private enum Workload { PUT_GET, PUT, GET, MIXED }

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = Cairn.env(spec);
        PrintWriter out = spec.commandLine().getOut();
        String ak = accessKey != null ? accessKey : env.get("AWS_ACCESS_KEY_ID");
        String sk = secretKey != null ? secretKey : env.get("AWS_SECRET_ACCESS_KEY");
        if (ak == null || sk == null) {
            throw new IllegalArgumentException("credentials: --access-key/--secret-key or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
        }
        if (objects < 1 || rounds < 1 || ops != null && ops < 1 || readPercent < 0 || readPercent > 100) {
            throw new IllegalArgumentException("--objects, --ops and --rounds must be at least 1, --read-percent 0..100");
        }
        Workload workload;
        try {
            workload = Workload.valueOf(workloadName.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--workload: put-get, put, get or mixed, not '" + workloadName + "'");
        }
        List<ProcessCpu> servers = new ArrayList<>();
        for (long pid : serverPids) {
            ProcessCpu p = new ProcessCpu(pid);
            p.check();
            servers.add(p);
        }
        int lanes = concurrency != null ? concurrency : objects;
        int requests = ops != null ? ops : objects;
        RequestSigner signer = new RequestSigner(ak, sk, region);

        Vertx vertx = Vertx.vertx();
        try {
            boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
            HttpClientOptions options = new HttpClientOptions()
                    .setDefaultHost(endpoint.getHost())
                    .setDefaultPort(endpoint.getPort() > 0 ? endpoint.getPort() : https ? 443 : 80)
                    .setTcpNoDelay(true).setIdleTimeout(600);
            if (https) {
                options.setSsl(true);
                if (caCert != null) {
                    AdminCommand.trust(caCert); // a clear error for a file that is no CA certificate
                    options.setTrustOptions(new io.vertx.core.net.PemTrustOptions().addCertPath(caCert.toString()));
                }
            }
            HttpClient client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(lanes + 1));
            if (!data.equals("random") && !data.equals("text")) {
                throw new IllegalArgumentException("--data must be random or text");
            }
            BenchClient b = new BenchClient(client, signer, endpoint, bucket, size, sse, data.equals("text"));
            await(b.createBucket());
            if (workload == Workload.GET) {
                b.expectGenerated(objects); // what an earlier put run stored, computed before any timing
            }
            out.printf("bench: %s, %d objects of %s (%s%s), %d at a time, endpoint %s, bucket %s%s%n",
                    workload.name().toLowerCase(Locale.ROOT).replace('_', '-'), objects, human(size), data,
                    sse == null ? "" : ", SSE " + sse, lanes, endpoint, bucket,
                    servers.isEmpty() ? "" : ", server " + servers);
            out.flush();
            int failures = 0;
            for (int round = 1; round <= rounds; round++) {
                String tag = rounds > 1 ? " #" + round : "";
                if (workload != Workload.GET) {
                    failures += report(out, BenchPhase.run("PUT" + tag, objects, lanes, size, servers,
                            i -> b.put(i).mapEmpty()));
                }
                if (workload == Workload.PUT_GET || workload == Workload.GET) {
                    failures += report(out, BenchPhase.run("GET" + tag, requests, lanes, size, servers,
                            i -> b.get(i % objects)));
                }
                if (workload == Workload.MIXED) {
                    failures += report(out, BenchPhase.run("MIXED " + readPercent + "% GET" + tag, requests, lanes,
                            size, servers, i -> new SplittableRandom(i).nextInt(100) < readPercent
                                    ? b.get(i % objects) : b.put(i % objects).mapEmpty()));
                }
            }
            return failures == 0 ? Cairn.OK : Cairn.FAILED;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static int report(PrintWriter out, BenchPhase.Result r) {
        out.println(r.report());
        out.flush();
        return r.failures();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(6, TimeUnit.HOURS);
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes + " B";
    }
}
