package dev.cairn.s3.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/** The piece files of the chunkstores under a data dir, as tests that inspect or damage data at rest see them. */
final class PieceFiles {
    private PieceFiles() {
    }

    /** Every piece file under {@code dataDir} (chunkstore "pieces" folders). */
    static Set<Path> under(Path dataDir) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            Set<Path> out = new HashSet<>();
            files.filter(Files::isRegularFile).filter(f -> f.toString().contains("/pieces/")).forEach(out::add);
            return out;
        }
    }

    /** The total size of these files. */
    static long size(Set<Path> files) throws IOException {
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        return total;
    }

    static void flipBitInTheMiddle(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
            f.getFD().sync();
        }
    }
}
