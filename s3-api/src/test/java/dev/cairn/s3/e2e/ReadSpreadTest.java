package dev.cairn.s3.e2e;

import dev.cairn.chunkstore.FaultInjectingChunkStoreClient.Op;
import dev.cairn.metadata.ChunkRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads share the load of a chunk among its pieces: a replicated chunk is read from each of its
 * copies in turn, and a degraded erasure-coded read uses k of the remaining pieces, a different k
 * each time, instead of asking every one of them. Counted with the fault injectors' call counters.
 */
class ReadSpreadTest {
    private static final int READS = 30;

    /** One object of exactly one chunk. */
    private static byte[] putOneChunk(FaultyCluster c, String bucket) {
        byte[] data = FaultyCluster.random(FaultyCluster.CHUNK, bucket.hashCode());
        c.s3.createBucket(b -> b.bucket(bucket));
        c.s3.putObject(b -> b.bucket(bucket).key("o0"), software.amazon.awssdk.core.sync.RequestBody.fromBytes(data));
        return data;
    }

    private static List<Long> gets(FaultyCluster c, int nodes) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            out.add(c.node("local-" + i).calls(Op.GET));
        }
        return out;
    }

    private static List<Long> minus(List<Long> a, List<Long> b) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i) - b.get(i));
        }
        return out;
    }

    /** Issue 10, behaviour 6: replicated reads always went to the first copy (742 MiB from one node, 96 MiB from another). */
    @Test
    void replicatedReadsAreSpreadOverTheCopies() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(3, "3copies", FaultyCluster.movers(Duration.ofMinutes(10), true))) {
            Map<String, byte[]> objects = Map.of("o0", putOneChunk(c, "copies"));
            assertEquals(1, c.chunksOf("copies", "o0").size());
            List<Long> before = gets(c, 3);
            for (int i = 0; i < READS; i++) {
                assertArrayEquals(objects.get("o0"), c.get("copies", "o0"));
            }
            List<Long> served = minus(gets(c, 3), before);
            assertEquals(READS, served.stream().mapToLong(Long::longValue).sum(), "one read per GET: " + served);
            for (long n : served) {
                assertTrue(n >= READS / 6, "every copy serves its share: " + served);
            }
        }
    }

    /** Issue 10, behaviour 6: degraded erasure-coded reads use k of the other pieces, spread, not all of them. */
    @Test
    void degradedErasureReadsAreSpreadOverKOfTheOtherPieces() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(6, "rs2+2", FaultyCluster.movers(Duration.ofMinutes(10), true))) {
            Map<String, byte[]> objects = Map.of("o0", putOneChunk(c, "erasure"));
            ChunkRecord chunk = c.chunksOf("erasure", "o0").get(0);
            String dead = chunk.pieces().get(0).nodeId(); // a data piece
            c.node(dead).down(true);
            List<Long> before = gets(c, 6);
            for (int i = 0; i < READS; i++) {
                assertArrayEquals(objects.get("o0"), c.get("erasure", "o0"));
            }
            List<Long> served = minus(gets(c, 6), before);
            long others = 0;
            List<Long> perHolder = new ArrayList<>();
            for (var l : chunk.pieces()) {
                if (!l.nodeId().equals(dead)) {
                    long n = served.get(Integer.parseInt(l.nodeId().substring("local-".length())));
                    perHolder.add(n);
                    others += n;
                }
            }
            // each GET reads piece 1 (the other data piece) at first, then k = 2 pieces for the rebuild
            assertTrue(others <= READS * 3L, "about k + 1 piece reads per GET, not n: " + served);
            for (long n : perHolder) {
                assertTrue(n >= READS / 3, "each remaining piece serves its share: " + perHolder);
            }
        }
    }
}
