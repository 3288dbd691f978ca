package dev.cairn.s3.e2e;

import dev.cairn.chunkstore.FaultInjectingChunkStoreClient;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GETs of an erasure-coded object (RS 4+2 over six nodes) with two nodes down: every byte is
 * right, and a chunk that misses data pieces is read once, whole, from k pieces - not k pieces'
 * ranges again for every 1 MiB segment of a missing piece, which read up to 2.5 times the chunk.
 * A small range still rebuilds only itself.
 */
class DegradedReadTest {
    private static final int CHUNK = 4 << 20;
    private static final List<String> UP = List.of("local-0", "local-1", "local-2", "local-3");

    @Test
    void aChunkMissingDataPiecesIsReadOnceWholeFromKPieces() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(6, conf -> conf.withProtection("rs4+2").withChunkSize(CHUNK)
                .withMovers(FaultyCluster.movers(Duration.ofMinutes(10), true)))) {
            c.s3.createBucket(b -> b.bucket("degraded"));
            byte[] data = FaultyCluster.random(3 * CHUNK, 11); // 3 chunks, 12 segments
            c.s3.putObject(b -> b.bucket("degraded").key("k"), RequestBody.fromBytes(data));
            c.node("local-4").down(true);
            c.node("local-5").down(true);

            assertArrayEquals(data, get(c, null)); // the first read finds the two nodes failing
            long before = readsOnUpNodes(c);
            assertArrayEquals(data, get(c, null));
            long reads = readsOnUpNodes(c) - before;
            // each chunk: its 4 data pieces (healthy), or 4 whole pieces once (missing data pieces)
            assertTrue(reads <= 3 * 4, "piece reads on the four nodes up for 3 chunks: " + reads);

            before = readsOnUpNodes(c);
            byte[] range = get(c, "bytes=5000-9000");
            assertArrayEquals(Arrays.copyOfRange(data, 5000, 9001), range);
            assertTrue(readsOnUpNodes(c) - before <= 4, "a small range reads k pieces' ranges at most");
        }
    }

    private static byte[] get(FaultyCluster c, String range) {
        return c.s3.getObjectAsBytes(b -> b.bucket("degraded").key("k").range(range)).asByteArray();
    }

    private static long readsOnUpNodes(FaultyCluster c) {
        return UP.stream().mapToLong(n -> c.node(n).calls(FaultInjectingChunkStoreClient.Op.GET)).sum();
    }
}
