package dev.cairn.placement;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Weighted rendezvous (highest random weight) hashing: each (chunk, node) pair gets a
 * pseudo-random score, scaled by the node's weight; a chunk's pieces go to the best-scoring nodes.
 * Pure and deterministic: the same chunk id and node set always give the same answer, and adding
 * a node only moves the pieces that now rank the new node among their top choices.
 */
public final class Rendezvous {

    /** A candidate node: its id and its weight (capacity; must be positive). */
    public record Candidate(String nodeId, double weight) {
    }

    private Rendezvous() {
    }

    /** The {@code count} best nodes for {@code chunkId}, best first (fewer when there are fewer candidates). */
    public static List<String> choose(byte[] chunkId, List<Candidate> candidates, int count) {
        List<Scored> scored = new ArrayList<>(candidates.size());
        long chunkHash = hash64(chunkId, 0x9E3779B97F4A7C15L);
        for (Candidate c : candidates) {
            long h = mix(chunkHash ^ hash64(c.nodeId().getBytes(StandardCharsets.UTF_8), 0xC2B2AE3D27D4EB4FL));
            // uniform in (0,1): use the top 53 bits
            double u = ((h >>> 11) + 0.5) / (double) (1L << 53);
            double score = -c.weight() / Math.log(u);
            scored.add(new Scored(c.nodeId(), score));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparing(Scored::nodeId));
        List<String> out = new ArrayList<>(Math.min(count, scored.size()));
        for (int i = 0; i < scored.size() && i < count; i++) {
            out.add(scored.get(i).nodeId());
        }
        return out;
    }

    private record Scored(String nodeId, double score) {
    }

    static long hash64(byte[] data, long seed) {
        long h = seed ^ (data.length * 0xFF51AFD7ED558CCDL);
        for (byte b : data) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
            h = Long.rotateLeft(h, 23);
        }
        return mix(h);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
