package dev.cairn.chunkstore;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A rough measurement, not a test: read throughput of {@link FilePieceStore} (every block
 * verified) against raw reads of the same files from the page cache. Single thread.
 *
 * <pre>
 * java -cp chunkstore/target/classes:chunkstore/target/test-classes:$SLF4J dev.cairn.chunkstore.PieceStoreReadBench [dir]
 * </pre>
 */
public final class PieceStoreReadBench {
    private static final int PIECES = 8;
    private static final int SIZE = 4 * 1024 * 1024;
    private static final long WARMUP_NANOS = 1_000_000_000L;
    private static final long SLICE_NANOS = 250_000_000L;
    private static final int ROUNDS = 15;

    private interface Op {
        long run(int piece) throws IOException; // returns piece bytes processed
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("cairn-bench");
        List<PieceId> ids = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            Random random = new Random(1);
            byte[] data = new byte[SIZE];
            long putNanos = 0;
            for (int i = 0; i < PIECES; i++) {
                random.nextBytes(data);
                PieceId id = PieceTestData.randomId(random);
                long t0 = System.nanoTime();
                store.put(id, ByteBuffer.wrap(data));
                putNanos += System.nanoTime() - t0;
                ids.add(id);
                files.add(store.pathOf(id));
            }
            System.out.printf("put (incl. fsync): %.1f ms per 4 MiB piece%n", putNanos / 1e6 / PIECES);

            ByteBuffer direct = ByteBuffer.allocateDirect((int) FilePieceStore.fileSize(SIZE));
            byte[] crcInput = new byte[SIZE];
            random.nextBytes(crcInput);

            Op verified = p -> store.read(ids.get(p), 0, SIZE).remaining();
            Op rawHeap = p -> {
                try (FileChannel ch = FileChannel.open(files.get(p), StandardOpenOption.READ)) {
                    ByteBuffer out = ByteBuffer.allocate((int) ch.size());
                    PieceFileFormat.readFully(ch, out, 0, ids.get(p));
                    return SIZE;
                }
            };
            Op rawDirectCopy = p -> {
                try (FileChannel ch = FileChannel.open(files.get(p), StandardOpenOption.READ)) {
                    direct.clear().limit((int) ch.size());
                    PieceFileFormat.readFully(ch, direct, 0, ids.get(p));
                    ByteBuffer out = ByteBuffer.allocate(SIZE);
                    out.put(0, direct, PieceFileFormat.HEADER_SIZE, SIZE); // same copy volume, no CRC
                    return SIZE;
                }
            };
            Op verifyOnly = p -> {
                if (!store.verify(ids.get(p))) {
                    throw new IllegalStateException("corrupt");
                }
                return SIZE;
            };
            Op crcOnly = p -> {
                CRC32C crc = new CRC32C();
                crc.update(crcInput, 0, SIZE);
                return crc.getValue() == 42 ? SIZE + 1 : SIZE;
            };

            ByteBuffer segment = ByteBuffer.allocateDirect(1 << 20);
            Op streamed = p -> { // the GET path: 1 MiB segments into one reused direct buffer
                long n = 0;
                for (int off = 0; off < SIZE; off += segment.capacity()) {
                    n += store.readInto(ids.get(p), off, segment.clear());
                }
                return n;
            };
            Op heapSegments = p -> { // the GET path before: 1 MiB segments read into new heap buffers
                long n = 0;
                for (int off = 0; off < SIZE; off += 1 << 20) {
                    n += store.read(ids.get(p), off, 1 << 20).remaining();
                }
                return n;
            };

            String[] names = {"read, verified (FilePieceStore.read)", "raw pread into heap buffer",
                "raw pread into direct + copy to heap", "verify() (two CRC passes, no copy)",
                "CRC32C alone over a 4 MiB heap array", "readInto 1 MiB, reused direct, verified",
                "read 1 MiB into new heap, verified"};
            Op[] ops = {verified, rawHeap, rawDirectCopy, verifyOnly, crcOnly, streamed, heapSegments};
            String only = System.getProperty("ops", "0,1,2,3,4,5,6"); // pick measurements by index
            int[] chosen = Arrays.stream(only.split(",")).mapToInt(Integer::parseInt).toArray();
            for (int o : chosen) {
                measure(ops[o], WARMUP_NANOS); // JIT and page cache
            }
            // The machine is shared: alternate short slices of each measurement, many rounds, and
            // report medians; CPU-time throughput is the steadier figure when other load steals cores.
            double[][] wall = new double[ops.length][ROUNDS];
            double[][] cpu = new double[ops.length][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                for (int o : chosen) {
                    double[] r = measure(ops[o], SLICE_NANOS);
                    wall[o][round] = r[0];
                    cpu[o][round] = r[1];
                }
            }
            System.out.printf("%-42s %14s %14s%n", "MiB/s of piece data, 1 thread, median", "wall clock", "per CPU-second");
            for (int o : chosen) {
                System.out.printf("%-42s %14.0f %14.0f%n", names[o], median(wall[o]), median(cpu[o]));
            }
        } finally {
            if (args.length == 0) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** Runs {@code op} round-robin over the pieces for about {@code nanos}; returns {wall, cpu} MiB/s. */
    private static double[] measure(Op op, long nanos) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long bytes = 0;
        int p = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + nanos;
        long now;
        do {
            bytes += op.run(p++ % PIECES);
            now = System.nanoTime();
        } while (now < end);
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        double mib = bytes / 1048576.0;
        return new double[] {mib / ((now - start) / 1e9), mib / (cpu / 1e9)};
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
