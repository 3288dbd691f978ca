package dev.cairn.tools;

import io.vertx.core.Future;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One phase of {@code cairn bench}: {@code ops} operations run by {@code lanes} concurrent lanes
 * (each starts its next operation when the last one finished), with each operation's latency,
 * the wall time, the CPU seconds of the watched server processes over the phase and the load
 * average at its start and end.
 */
final class BenchPhase {

    /** One operation; {@code op} is its number in the phase. */
    interface Op {
        Future<Void> run(int op);
    }

    private BenchPhase() {
    }

    static Result run(String name, int ops, int lanes, long bytesPerOp, List<ProcessCpu> servers, Op op)
            throws Exception {
        double loadBefore = ProcessCpu.loadAverage();
        double[] cpuBefore = cpu(servers);
        long[] latencies = new long[ops];
        AtomicInteger next = new AtomicInteger();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        List<Future<Void>> running = new ArrayList<>();
        for (int l = 0; l < Math.min(lanes, ops); l++) {
            running.add(lane(next, ops, op, latencies, errors));
        }
        Future.join(running).toCompletionStage().toCompletableFuture().get(6, TimeUnit.HOURS);
        long nanos = System.nanoTime() - t0;
        double[] cpuAfter = cpu(servers);
        double[] used = new double[servers.size()];
        for (int i = 0; i < used.length; i++) {
            used[i] = cpuAfter[i] - cpuBefore[i];
        }
        return new Result(name, ops, errors.size(), bytesPerOp, nanos, latencies, servers, used, loadBefore,
                ProcessCpu.loadAverage(), errors);
    }

    private static Future<Void> lane(AtomicInteger next, int ops, Op op, long[] latencies, List<String> errors) {
        int i = next.getAndIncrement();
        if (i >= ops) {
            return Future.succeededFuture();
        }
        long start = System.nanoTime();
        return op.run(i).recover(e -> {
            errors.add("op " + i + ": " + e.getMessage());
            return Future.succeededFuture();
        }).compose(v -> {
            latencies[i] = System.nanoTime() - start;
            return lane(next, ops, op, latencies, errors);
        });
    }

    private static double[] cpu(List<ProcessCpu> servers) throws IOException {
        double[] s = new double[servers.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = servers.get(i).seconds();
        }
        return s;
    }

    /** What a phase measured. {@code serverCpu[i]} is the CPU seconds {@code servers.get(i)} used in it. */
    record Result(String name, int ops, int failures, long bytesPerOp, long nanos, long[] latencies,
                  List<ProcessCpu> servers, double[] serverCpu, double loadBefore, double loadAfter,
                  List<String> errors) {

        double seconds() {
            return nanos / 1e9;
        }

        double opsPerSecond() {
            return ops / seconds();
        }

        double mibPerSecond() {
            return ops * (double) bytesPerOp / (1 << 20) / seconds();
        }

        /** The latency at quantile {@code q} (0..1), in seconds, nearest-rank. */
        double latency(double q) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e9;
        }

        double totalServerCpu() {
            double sum = 0;
            for (double c : serverCpu) {
                sum += c;
            }
            return sum;
        }

        String report() {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "%s: %d ok, %d failed, %.1f s, %.1f ops/s, %.1f MiB/s, latency p50 %s p99 %s, load %.2f -> %.2f",
                    name, ops - failures, failures, seconds(), opsPerSecond(), mibPerSecond(),
                    millis(latency(0.50)), millis(latency(0.99)), loadBefore, loadAfter));
            if (!servers.isEmpty()) {
                b.append(String.format(Locale.ROOT, "%n  %s", cpuLine("server CPU", totalServerCpu())));
                if (servers.size() > 1) {
                    for (int i = 0; i < servers.size(); i++) {
                        b.append(String.format(Locale.ROOT, "%n    %s", cpuLine(servers.get(i).toString(), serverCpu[i])));
                    }
                }
            }
            if (!errors.isEmpty()) {
                b.append("\n  first error: ").append(errors.get(0));
            }
            return b.toString();
        }

        private String cpuLine(String who, double cpu) {
            double gib = ops * (double) bytesPerOp / (1 << 30);
            return String.format(Locale.ROOT, "%s: %.2f s (%.2f cores), %.3f s per GiB, %.0f ops per CPU second",
                    who, cpu, cpu / seconds(), cpu / gib, cpu > 0 ? ops / cpu : Double.POSITIVE_INFINITY);
        }

        private static String millis(double seconds) {
            double ms = seconds * 1000;
            return ms >= 100 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.2f ms", ms);
        }
    }
}
