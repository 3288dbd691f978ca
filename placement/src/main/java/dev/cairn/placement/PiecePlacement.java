package dev.cairn.placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the pieces of a chunk belong: the best nodes by weighted rendezvous hash of
 * (chunk id, node id), weight = capacity, never two pieces on one node, and spread across zones
 * when zones are declared (no zone holds more than its fair share, ceil(pieces / zones), while
 * another zone has room). Pure and deterministic.
 */
public final class PiecePlacement {

    /** A node that may receive pieces: id, zone (null or empty = no zone) and weight (capacity, > 0). */
    public record Node(String id, String zone, double weight) {
        public Node {
            if (weight <= 0 || Double.isNaN(weight)) {
                throw new IllegalArgumentException("node " + id + " needs a positive weight, got " + weight);
            }
            zone = zone == null ? "" : zone;
        }

        /** A node of the cluster map, weighted by its capacity (1 TiB when it declares none). */
        public static Node of(dev.cairn.metadata.NodeRecord n) {
            return new Node(n.id(), n.zone(), n.capacity() > 0 ? n.capacity() : 1L << 40);
        }
    }

    private PiecePlacement() {
    }

    /**
     * The nodes for pieces 0..count-1 of a chunk, in piece order. Fewer than {@code count} when
     * there are fewer nodes than pieces.
     */
    public static List<String> place(byte[] chunkId, List<Node> nodes, int count) {
        List<Rendezvous.Candidate> candidates = new ArrayList<>(nodes.size());
        Map<String, String> zoneOf = new HashMap<>();
        for (Node n : nodes) {
            candidates.add(new Rendezvous.Candidate(n.id(), n.weight()));
            zoneOf.put(n.id(), n.zone());
        }
        List<String> ranked = Rendezvous.choose(chunkId, candidates, candidates.size());
        long zones = nodes.stream().map(Node::zone).distinct().count();
        if (zones <= 1) {
            return ranked.subList(0, Math.min(count, ranked.size()));
        }
        int cap = (int) ((count + zones - 1) / zones);
        Map<String, Integer> perZone = new LinkedHashMap<>();
        List<String> chosen = new ArrayList<>(count);
        List<String> skipped = new ArrayList<>();
        for (String id : ranked) {
            if (chosen.size() == count) {
                break;
            }
            String zone = zoneOf.get(id);
            int used = perZone.getOrDefault(zone, 0);
            if (used < cap) {
                chosen.add(id);
                perZone.put(zone, used + 1);
            } else {
                skipped.add(id);
            }
        }
        for (String id : skipped) {
            if (chosen.size() == count) {
                break;
            }
            chosen.add(id);
        }
        return chosen;
    }
}
