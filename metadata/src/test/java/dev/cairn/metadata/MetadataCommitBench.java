package dev.cairn.metadata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Synced metadata commits per second with concurrent writers, on a real RocksDB in a temp dir (a
 * {@code main}, not a test; see docs/PERFORMANCE.md). Two workloads, as the small-object PUT path
 * runs them: {@code inline} (one putObject of a 4 KiB inline object) and {@code chunked} (markPending
 * of one chunk, then putObject referencing it). Uses only the {@link MetadataStore} facade, so the
 * same file compiles against the code before and after issue 14.
 *
 * <p>Arguments: {@code threads opsPerThread rounds [dir]}; default 32 250 5.
 */
public final class MetadataCommitBench {
    private MetadataCommitBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int perThread = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path base = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("cairn-commit-bench");
        for (String workload : List.of("inline", "chunked")) {
            List<Double> rates = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                Path dir = base.resolve(workload + "-" + round);
                rates.add(run(dir, workload, threads, perThread));
                delete(dir);
            }
            rates.sort(Comparator.naturalOrder());
            System.out.printf("%s: %d threads x %d commits, %d rounds: median %.0f/s (min %.0f, max %.0f)%n", workload,
                    threads, perThread, rounds, rates.get(rates.size() / 2), rates.get(0), rates.get(rates.size() - 1));
        }
        delete(base);
    }

    private static double run(Path dir, String workload, int threads, int perThread) throws Exception {
        try (MetadataStore store = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofMinutes(5))) {
            store.createBucket(new BucketRecord("bench", "owner", 1, "us-east-1"));
            byte[] data = new byte[4096];
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        String key = "k-" + thread + "-" + i;
                        if (workload.equals("inline")) {
                            store.putObject("bench", key, new ObjectRecord(data.length, "e", 1, Map.of(), Map.of(), null,
                                    "STANDARD", data, List.of(), List.of(), "owner"), List.of(), WriteCondition.NONE);
                        } else {
                            ChunkRecord c = new ChunkRecord(ChunkId.random(), 65536, Protection.replicas(1),
                                    List.of(new PieceLocation(0, "local-0", 65536, 7)));
                            store.markPending(c);
                            store.putObject("bench", key, new ObjectRecord(65536, "e", 1, Map.of(), Map.of(), null,
                                    "STANDARD", null, List.of(new ChunkRef(c.id(), 65536)), List.of(), "owner"),
                                    List.of(c), WriteCondition.NONE);
                        }
                    }
                    return null;
                }));
            }
            long t0 = System.nanoTime();
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            long nanos = System.nanoTime() - t0;
            pool.shutdown();
            return threads * (double) perThread / (nanos / 1e9);
        }
    }

    private static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
