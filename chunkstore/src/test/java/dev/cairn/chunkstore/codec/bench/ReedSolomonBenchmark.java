package dev.cairn.chunkstore.codec.bench;

import dev.cairn.chunkstore.codec.ReedSolomonCodec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Single-core throughput of {@link ReedSolomonCodec} on 4 MiB chunks, with references
 * measured in the same run. One operation handles one chunk, so MB/s of chunk data =
 * ops/s x 4.194304 ({@link #main} prints that table after the JMH output).
 *
 * <ul>
 *   <li>{@code encode}: m parity pieces from the k data pieces of {@code split(chunk)}.</li>
 *   <li>{@code reconstructTwoData}: data pieces 0 and 1 lost, rebuilt from the other
 *       k - 2 data pieces and two parity pieces into preallocated buffers.</li>
 *   <li>{@code baselineCopy}: {@code System.arraycopy} of the chunk into k piece arrays.</li>
 *   <li>{@code baselineXorParity}: one XOR-only parity piece over the k data pieces
 *       (RAID-5 style), a floor for any parity computation.</li>
 *   <li>{@code baselineTableEncode}: the classic per-coefficient 256-entry lookup table
 *       encoder, same parity as the codec.</li>
 * </ul>
 *
 * <pre>
 * cd /work/main   # the reactor root
 * mvn -B -o -q -pl chunkstore test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/cp.txt
 * # snapshot: a concurrent build of chunkstore would swap classes under the forked JVMs
 * rm -rf /tmp/cairn-bench &amp;&amp; mkdir /tmp/cairn-bench &amp;&amp; cp -r chunkstore/target/classes \
 *     chunkstore/target/test-classes chunkstore/target/cp.txt /tmp/cairn-bench/
 * java -cp "$(cat /tmp/cairn-bench/cp.txt):/tmp/cairn-bench/test-classes:/tmp/cairn-bench/classes" \
 *     dev.cairn.chunkstore.codec.bench.ReedSolomonBenchmark -f 1 -wi 3 -i 5
 * </pre>
 * Any JMH option works ({@code -p scheme=4+2}, a benchmark regex, {@code -prof gc});
 * {@code org.openjdk.jmh.Main ReedSolomonBenchmark} also runs it, without the MB/s table.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReedSolomonBenchmark {
    static final int CHUNK_SIZE = 4 * 1024 * 1024;

    @Param({"4+2", "6+3", "8+4"})
    public String scheme;

    private ReedSolomonCodec codec;
    private byte[] chunk;
    private ByteBuffer[] data;
    private ByteBuffer[] parity;
    private ByteBuffer[] damaged;
    private boolean[] present;
    private byte[][] dataArrays;
    private byte[][] parityArrays;
    private byte[] xorParity;
    private LookupTableEncoder tableEncoder;

    @Setup
    public void setUp() {
        String[] km = scheme.split("\\+");
        int k = Integer.parseInt(km[0]);
        int m = Integer.parseInt(km[1]);
        codec = ReedSolomonCodec.of(k, m);
        chunk = new byte[CHUNK_SIZE];
        new Random(2024).nextBytes(chunk);
        int pieceSize = codec.pieceSize(CHUNK_SIZE);
        data = codec.split(ByteBuffer.wrap(chunk));
        parity = new ByteBuffer[m];
        for (int p = 0; p < m; p++) {
            parity[p] = ByteBuffer.allocate(pieceSize);
        }
        codec.encode(data, parity);

        damaged = new ByteBuffer[k + m];
        System.arraycopy(data, 0, damaged, 0, k);
        System.arraycopy(parity, 0, damaged, k, m);
        present = new boolean[k + m];
        Arrays.fill(present, true);
        for (int lost = 0; lost < 2; lost++) {
            present[lost] = false;
            damaged[lost] = ByteBuffer.allocate(pieceSize);
        }
        codec.decode(damaged, present);
        check(damaged[0].equals(data[0]) && damaged[1].equals(data[1]), "reconstruction");

        dataArrays = new byte[k][pieceSize];
        parityArrays = new byte[m][pieceSize];
        xorParity = new byte[pieceSize];
        baselineCopy();
        tableEncoder = LookupTableEncoder.systematicVandermonde(k, m);
        baselineTableEncode();
        for (int p = 0; p < m; p++) {
            check(ByteBuffer.wrap(parityArrays[p]).equals(parity[p]), "table encoder parity " + p);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed: " + what);
        }
    }

    @Benchmark
    public ByteBuffer[] encode() {
        codec.encode(data, parity);
        return parity;
    }

    @Benchmark
    public ByteBuffer[] reconstructTwoData() {
        codec.decode(damaged, present);
        return damaged;
    }

    @Benchmark
    public byte[][] baselineCopy() {
        int pieceSize = dataArrays[0].length;
        for (int c = 0; c < dataArrays.length; c++) {
            int from = c * pieceSize;
            System.arraycopy(chunk, from, dataArrays[c], 0, Math.min(pieceSize, CHUNK_SIZE - from));
        }
        return dataArrays;
    }

    @Benchmark
    public byte[] baselineXorParity() {
        byte[] out = xorParity;
        System.arraycopy(dataArrays[0], 0, out, 0, out.length);
        for (int c = 1; c < dataArrays.length; c++) {
            byte[] in = dataArrays[c];
            for (int i = 0; i < out.length; i++) {
                out[i] ^= in[i];
            }
        }
        return out;
    }

    @Benchmark
    public byte[][] baselineTableEncode() {
        tableEncoder.encode(dataArrays, parityArrays, dataArrays[0].length);
        return parityArrays;
    }

    /** Runs JMH with the usual command-line options, then prints MB/s of chunk data. */
    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.getIncludes().isEmpty()) {
            options = new CommandLineOptions(concat(args, ReedSolomonBenchmark.class.getSimpleName()));
        }
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.printf("%-22s %-6s %12s %12s%n", "benchmark", "scheme", "MB/s", "MiB/s");
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark();
            double opsPerSecond = result.getPrimaryResult().getScore();
            double bytesPerSecond = opsPerSecond * CHUNK_SIZE;
            System.out.printf("%-22s %-6s %12.0f %12.0f%n", name.substring(name.lastIndexOf('.') + 1),
                    result.getParams().getParam("scheme"), bytesPerSecond / 1e6, bytesPerSecond / (1 << 20));
        }
    }

    private static String[] concat(String[] args, String extra) {
        String[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }
}
