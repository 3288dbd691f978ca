package dev.cairn.placement;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PiecePlacementTest {
    private static final int CHUNKS = 10_000;

    private static List<PiecePlacement.Node> nodes(int n, String zonePrefix, int zones) {
        List<PiecePlacement.Node> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new PiecePlacement.Node("node-" + i, zones == 0 ? null : zonePrefix + (i % zones), 1e12));
        }
        return out;
    }

    private static List<byte[]> chunkIds(long seed) {
        Random r = new Random(seed);
        List<byte[]> ids = new ArrayList<>(CHUNKS);
        for (int i = 0; i < CHUNKS; i++) {
            byte[] id = new byte[16];
            r.nextBytes(id);
            ids.add(id);
        }
        return ids;
    }

    @Test
    void sameChunkAndNodesAlwaysGiveTheSamePlacement() {
        List<PiecePlacement.Node> nodes = nodes(10, "z", 3);
        List<PiecePlacement.Node> shuffled = new ArrayList<>(nodes);
        java.util.Collections.shuffle(shuffled, new Random(7));
        for (byte[] id : chunkIds(1).subList(0, 500)) {
            List<String> a = PiecePlacement.place(id, nodes, 6);
            assertEquals(a, PiecePlacement.place(id.clone(), nodes, 6));
            assertEquals(a, PiecePlacement.place(id, shuffled, 6), "input order must not matter");
        }
    }

    @Test
    void neverTwoPiecesOfAChunkOnOneNode() {
        List<PiecePlacement.Node> nodes = nodes(7, "z", 2);
        for (byte[] id : chunkIds(2).subList(0, 2000)) {
            List<String> p = PiecePlacement.place(id, nodes, 6);
            assertEquals(6, p.size());
            assertEquals(6, new HashSet<>(p).size());
        }
        assertEquals(7, PiecePlacement.place(chunkIds(3).get(0), nodes, 9).size(), "at most one piece per node");
    }

    @Test
    void loadIsBalancedWithinTenPercentOnEqualNodes() {
        List<PiecePlacement.Node> nodes = nodes(10, null, 0);
        for (int pieces : new int[]{1, 3, 6}) {
            Map<String, Integer> load = new HashMap<>();
            for (byte[] id : chunkIds(4)) {
                PiecePlacement.place(id, nodes, pieces).forEach(n -> load.merge(n, 1, Integer::sum));
            }
            double mean = CHUNKS * pieces / 10.0;
            int max = load.values().stream().max(Integer::compare).orElseThrow();
            System.out.printf("%d piece(s) per chunk: max/mean = %.3f%n", pieces, max / mean);
            assertTrue(max / mean <= 1.10, "max/mean " + max / mean + " for " + pieces + " pieces per chunk");
        }
    }

    @Test
    void weightIsRespected() {
        List<PiecePlacement.Node> nodes = new ArrayList<>(nodes(4, null, 0));
        nodes.add(new PiecePlacement.Node("big", null, 2e12));
        Map<String, Integer> load = new HashMap<>();
        for (byte[] id : chunkIds(5)) {
            PiecePlacement.place(id, nodes, 1).forEach(n -> load.merge(n, 1, Integer::sum));
        }
        double ratio = load.get("big") / (double) load.get("node-0");
        assertTrue(ratio > 1.8 && ratio < 2.2, "a node of twice the capacity takes about twice the pieces: " + ratio);
    }

    @Test
    void addingOneNodeMovesAboutOneInNPlusOneAllOntoTheNewNode() {
        List<PiecePlacement.Node> before = nodes(9, null, 0);
        List<PiecePlacement.Node> after = new ArrayList<>(before);
        after.add(new PiecePlacement.Node("new", null, 1e12));
        int moved = 0;
        int total = 0;
        for (byte[] id : chunkIds(6)) {
            List<String> a = PiecePlacement.place(id, before, 6);
            List<String> b = PiecePlacement.place(id, after, 6);
            Set<String> gone = new HashSet<>(a);
            gone.removeAll(b);
            Set<String> added = new HashSet<>(b);
            added.removeAll(a);
            assertTrue(added.isEmpty() || added.equals(Set.of("new")), "pieces only move onto the new node");
            moved += gone.size();
            total += a.size();
        }
        double fraction = moved / (double) total;
        System.out.printf("moved %.4f of pieces (ideal %.4f)%n", fraction, 1 / 10.0);
        assertTrue(Math.abs(fraction - 0.1) < 0.01, "moved fraction " + fraction);
    }

    @Test
    void piecesSpreadAcrossZones() {
        List<PiecePlacement.Node> nodes = nodes(9, "zone-", 3);
        for (byte[] id : chunkIds(7).subList(0, 2000)) {
            Map<String, Integer> perZone = new HashMap<>();
            for (String n : PiecePlacement.place(id, nodes, 6)) {
                perZone.merge("zone-" + (Integer.parseInt(n.substring(5)) % 3), 1, Integer::sum);
            }
            assertEquals(Set.of(2), new HashSet<>(perZone.values()), "RS 4+2 over 3 zones: 2 pieces per zone");
        }
    }

    @Test
    void zonesWithTooFewNodesStillGetEveryPiecePlaced() {
        List<PiecePlacement.Node> nodes = List.of(
                new PiecePlacement.Node("a1", "a", 1), new PiecePlacement.Node("a2", "a", 1),
                new PiecePlacement.Node("a3", "a", 1), new PiecePlacement.Node("a4", "a", 1),
                new PiecePlacement.Node("b1", "b", 1));
        for (byte[] id : chunkIds(8).subList(0, 200)) {
            List<String> p = PiecePlacement.place(id, nodes, 4);
            assertEquals(4, new HashSet<>(p).size());
            assertTrue(p.contains("b1"), "the lone node of zone b always takes a piece");
        }
    }
}
