package dev.cairn.chunkstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
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
    private static final long WARMUP_NANOS = 1_500_000_000L;
    private static final long MEASURE_NANOS = 2_000_000_000L;

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

            String[] names = {"read, verified (FilePieceStore.read)", "raw pread into heap buffer",
                "raw pread into direct + copy to heap", "verify() (two CRC passes, no copy)",
                "CRC32C alone over a 4 MiB heap array"};
            Op[] ops = {verified, rawHeap, rawDirectCopy, verifyOnly, crcOnly};
            String only = System.getProperty("ops", "0,1,2,3,4"); // pick measurements by index
            int[] chosen = java.util.Arrays.stream(only.split(",")).mapToInt(Integer::parseInt).toArray();
            double[][] results = new double[ops.length][3];
            for (int round = 0; round < 3; round++) {
                for (int o : chosen) {
                    results[o][round] = measure(ops[o]);
                }
            }
            System.out.printf("%-42s %10s %10s%n", "MiB/s of piece data, 1 thread", "best", "median");
            for (int o : chosen) {
                double[] r = results[o].clone();
                java.util.Arrays.sort(r);
                System.out.printf("%-42s %10.0f %10.0f%n", names[o], r[2], r[1]);
            }
        } finally {
            if (args.length == 0) {
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static double measure(Op op) throws IOException {
        long end = System.nanoTime() + WARMUP_NANOS;
        int p = 0;
        while (System.nanoTime() < end) {
            op.run(p++ % PIECES);
        }
        long bytes = 0;
        long start = System.nanoTime();
        end = start + MEASURE_NANOS;
        long now;
        do {
            bytes += op.run(p++ % PIECES);
            now = System.nanoTime();
        } while (now < end);
        return bytes / 1048576.0 / ((now - start) / 1e9);
    }
}
