package dev.cairn.metadata;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Child process of {@link CrashRecoveryTest}: writes objects with synced batches and prints
 * "ACK i" after each returns, until it is killed.
 */
public final class CrashWriter {
    private CrashWriter() {
    }

    public static void main(String[] args) {
        RocksMetadataStore store = RocksMetadataStore.open(Path.of(args[0]), Clock.systemUTC(), Duration.ofHours(1));
        store.createBucket(Fixtures.bucket("crash"));
        for (int i = 0; ; i++) {
            List<ChunkRecord> c = Fixtures.chunks(1);
            store.putObject("crash", "key-" + i, Fixtures.chunkedObject("e" + i, c), c, WriteCondition.NONE);
            System.out.println("ACK " + i);
            System.out.flush();
        }
    }
}
