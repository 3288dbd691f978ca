package dev.cairn.tools;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Small-object PUT and GET through the AWS SDK for Java v2 with its defaults (the kind of client
 * issue 15's baseline was measured with: request checksums, signed requests), reporting operations
 * per second of the server's CPU read from /proc. A {@code main}, not a test, so two server builds
 * can be compared with the same client:
 * {@code java -cp tools/target/test-classes:tools/target/classes:$TEST_CP dev.cairn.tools.SdkSmallObjectLoad
 * ENDPOINT ACCESS SECRET SERVER_PID [size] [objects] [threads] [rounds]}.
 */
public final class SdkSmallObjectLoad {
    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        ProcessCpu server = new ProcessCpu(Long.parseLong(args[3]));
        int size = args.length > 4 ? Integer.parseInt(args[4]) : 4096;
        int objects = args.length > 5 ? Integer.parseInt(args[5]) : 4000;
        int threads = args.length > 6 ? Integer.parseInt(args[6]) : 32;
        int rounds = args.length > 7 ? Integer.parseInt(args[7]) : 3;
        String bucket = "sdk-small";
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[1], args[2])))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads)).build()) {
            try {
                s3.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException e) {
                // a rerun against the same server
            }
            byte[] body = new byte[size];
            Arrays.fill(body, (byte) 'x');
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int r = 1; r <= rounds; r++) {
                    phase("PUT #" + r, server, pool, threads, objects, i ->
                            s3.putObject(p -> p.bucket(bucket).key("k" + i), RequestBody.fromBytes(body)));
                    phase("GET #" + r, server, pool, threads, objects, i -> {
                        byte[] got = s3.getObjectAsBytes(g -> g.bucket(bucket).key("k" + i)).asByteArray();
                        if (got.length != size) {
                            throw new IllegalStateException("k" + i + ": " + got.length + " bytes");
                        }
                    });
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    interface Op {
        void run(int i) throws Exception;
    }

    private static void phase(String name, ProcessCpu server, ExecutorService pool, int threads, int objects, Op op)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        double cpu0 = server.seconds();
        long t0 = System.nanoTime();
        Future<?>[] workers = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < objects; ) {
                    op.run(i);
                }
                return null;
            });
        }
        for (Future<?> w : workers) {
            w.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = server.seconds() - cpu0;
        System.out.printf("%s: %d ops in %.1f s, %.0f ops/s; server CPU %.2f s, %.0f ops per server CPU second%n",
                name, objects, seconds, objects / seconds, cpu, objects / cpu);
    }
}
