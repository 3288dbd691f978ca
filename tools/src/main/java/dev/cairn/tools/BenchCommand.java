package dev.cairn.tools;

import dev.cairn.s3.auth.RequestSigner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.PoolOptions;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

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
    private static final int BLOCK = 1024 * 1024;

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

    @Override
    public Integer call() throws Exception {
        Map<String, String> env = Cairn.env(spec);
        PrintWriter out = spec.commandLine().getOut();
        String ak = accessKey != null ? accessKey : env.get("AWS_ACCESS_KEY_ID");
        String sk = secretKey != null ? secretKey : env.get("AWS_SECRET_ACCESS_KEY");
        if (ak == null || sk == null) {
            throw new IllegalArgumentException("credentials: --access-key/--secret-key or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
        }
        int lanes = concurrency != null ? concurrency : objects;
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
            Bench b = new Bench(client, signer, endpoint, bucket, size, sse, data.equals("text"));
            await(b.createBucket());
            out.printf("bench: %d objects of %s (%s%s), %d at a time, endpoint %s, bucket %s%n", objects, human(size),
                    data, sse == null ? "" : ", SSE " + sse, lanes, endpoint, bucket);
            long[] sums = new long[objects];
            Phase put = b.phase(objects, lanes, i -> b.put(i).map(crc -> {
                sums[i] = crc;
                return null;
            }));
            out.println(put.report("PUT", objects, size));
            Phase get = b.phase(objects, lanes, i -> b.get(i).map(crc -> {
                if (crc != sums[i]) {
                    throw new IllegalStateException("object " + i + " came back different");
                }
                return null;
            }));
            out.println(get.report("GET", objects, size));
            return put.failures + get.failures == 0 ? Cairn.OK : Cairn.FAILED;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private record Phase(long nanos, int failures, List<String> errors) {
        String report(String name, int objects, long size) {
            double secs = nanos / 1e9;
            double mib = objects * (double) size / (1024 * 1024);
            return String.format("%s: %d ok, %d failed, %.1f s, %.1f MiB/s%s", name, objects - failures, failures,
                    secs, mib / secs, errors.isEmpty() ? "" : "  first error: " + errors.get(0));
        }
    }

    private static final class Bench {
        private final HttpClient client;
        private final RequestSigner signer;
        private final String host;
        private final String bucket;
        private final long size;
        private final String sse;
        private final boolean text;

        Bench(HttpClient client, RequestSigner signer, URI endpoint, String bucket, long size, String sse,
              boolean text) {
            this.client = client;
            this.signer = signer;
            this.host = endpoint.getHost() + ":" + endpoint.getPort();
            this.bucket = bucket;
            this.size = size;
            this.sse = sse;
            this.text = text;
        }

        Future<Void> createBucket() {
            return request(HttpMethod.PUT, "/" + bucket, 0).compose(req -> req.send())
                    .compose(resp -> resp.body().map(body -> {
                        if (resp.statusCode() != 200 && !body.toString().contains("BucketAlreadyOwnedByYou")) {
                            throw new IllegalStateException("create bucket: " + resp.statusCode() + " " + body);
                        }
                        return null;
                    }));
        }

        interface Op {
            Future<Void> run(int index);
        }

        Phase phase(int objects, int concurrency, Op op) throws Exception {
            long t0 = System.nanoTime();
            AtomicLong next = new AtomicLong();
            List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Future<Void>> lanes = new ArrayList<>();
            for (int l = 0; l < concurrency; l++) {
                lanes.add(lane(next, objects, op, errors));
            }
            await(Future.join(lanes).mapEmpty());
            return new Phase(System.nanoTime() - t0, errors.size(), errors);
        }

        private Future<Void> lane(AtomicLong next, int objects, Op op, List<String> errors) {
            int i = (int) next.getAndIncrement();
            if (i >= objects) {
                return Future.succeededFuture();
            }
            return op.run(i).recover(e -> {
                errors.add("object " + i + ": " + e.getMessage());
                return Future.succeededFuture();
            }).compose(v -> lane(next, objects, op, errors));
        }

        /** Streams {@code size} generated bytes; completes with their CRC32C. */
        Future<Long> put(int index) {
            return request(HttpMethod.PUT, key(index), size).compose(req -> {
                Generator gen = new Generator(index, size, text);
                Promise<Void> sent = Promise.promise();
                req.sendHead().onSuccess(v -> pump(req, gen, sent)).onFailure(sent::tryFail);
                return sent.future().compose(v -> req.response()).compose(resp -> resp.body().map(body -> {
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException("PUT " + resp.statusCode() + " " + body);
                    }
                    return gen.crc.getValue();
                }));
            });
        }

        /** One block in flight per request: the next is written when the previous reached the socket. */
        private void pump(HttpClientRequest req, Generator gen, Promise<Void> sent) {
            if (gen.remaining() == 0) {
                req.end().onComplete(sent);
                return;
            }
            req.write(gen.next()).onSuccess(v -> pump(req, gen, sent)).onFailure(sent::tryFail);
        }

        /** Streams an object back; completes with the CRC32C of what arrived. */
        Future<Long> get(int index) {
            return request(HttpMethod.GET, key(index), 0).compose(req -> req.send()).compose(resp -> {
                CRC32C crc = new CRC32C();
                AtomicLong bytes = new AtomicLong();
                Promise<Long> done = Promise.promise();
                resp.handler(b -> {
                    crc.update(((io.vertx.core.internal.buffer.BufferInternal) b).getByteBuf().nioBuffer());
                    bytes.addAndGet(b.length());
                });
                resp.exceptionHandler(done::tryFail);
                resp.endHandler(v -> {
                    if (resp.statusCode() != 200 || bytes.get() != size) {
                        done.tryFail("GET " + resp.statusCode() + ", " + bytes.get() + " bytes");
                    } else {
                        done.tryComplete(crc.getValue());
                    }
                });
                return done.future();
            });
        }

        private String key(int index) {
            return "/" + bucket + "/bench/object-" + index;
        }

        private Future<HttpClientRequest> request(HttpMethod method, String path, long contentLength) {
            RequestOptions o = new RequestOptions().setMethod(method).setURI(path);
            Map<String, String> extra = method == HttpMethod.PUT && sse != null && path.contains("/bench/")
                    ? Map.of("x-amz-server-side-encryption", sse) : Map.of();
            signer.sign(method.name(), host, path, null, RequestSigner.UNSIGNED_PAYLOAD, Instant.now(), extra)
                    .forEach(o::putHeader);
            if (method == HttpMethod.PUT) {
                o.putHeader("Content-Length", Long.toString(contentLength));
            }
            return client.request(o);
        }
    }

    /** Deterministic pseudo-random bytes (or log-like text) of one object, produced a block at a time. */
    private static final class Generator {
        private static final byte[][] WORDS = java.util.stream.Stream.of("request", "served", "bucket", "object",
                "chunk", "node", "latency", "GET", "PUT", "ok", "retry", "user", "upload", "part", "stored", "INFO",
                "WARN", "DEBUG").map(w -> w.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        private final SplittableRandom random;
        private final CRC32C crc = new CRC32C();
        private final boolean text;
        private long left;

        Generator(int index, long size, boolean text) {
            this.random = new SplittableRandom(0x5EEDL * 31 + index);
            this.left = size;
            this.text = text;
        }

        /** Lines of a timestamp-like number and a dozen words, as logs look. */
        private void fillText(byte[] b) {
            int i = 0;
            while (i < b.length) {
                byte[] piece = random.nextInt(14) == 0
                        ? (Long.toString(1_700_000_000_000L + random.nextInt(1 << 30)) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                        : WORDS[random.nextInt(WORDS.length)];
                int n = Math.min(piece.length, b.length - i);
                System.arraycopy(piece, 0, b, i, n);
                i += n;
                if (i < b.length) {
                    b[i++] = ' ';
                }
            }
        }

        long remaining() {
            return left;
        }

        Buffer next() {
            int n = (int) Math.min(BLOCK, left);
            byte[] b = new byte[n];
            if (text) {
                fillText(b);
                crc.update(b);
                left -= n;
                return Buffer.buffer(b);
            }
            for (int i = 0; i + 8 <= n; i += 8) {
                long v = random.nextLong();
                for (int k = 0; k < 8; k++) {
                    b[i + k] = (byte) (v >>> (8 * k));
                }
            }
            for (int i = n - n % 8; i < n; i++) {
                b[i] = (byte) random.nextInt();
            }
            crc.update(b);
            left -= n;
            return Buffer.buffer(b);
        }
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
