package dev.cairn.tools.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where every piece is, read from the live nodes' disks: chunk (32 hex digits) -> piece index ->
 * the nodes holding a file of that piece. What the operator would see listing each node.
 */
record PieceLayout(Map<String, Map<Integer, List<String>>> chunks) {

    static PieceLayout of(ClusterFixture cluster) {
        Map<String, Map<Integer, List<String>>> out = new TreeMap<>();
        cluster.piecesByNode().forEach((node, files) -> {
            for (String f : files) {
                int dot = f.indexOf('.');
                if (dot != 32 || f.contains(".tmp")) {
                    continue;
                }
                out.computeIfAbsent(f.substring(0, 32), k -> new TreeMap<>())
                        .computeIfAbsent(Integer.parseInt(f.substring(33)), k -> new ArrayList<>()).add(node);
            }
        });
        return new PieceLayout(out);
    }

    /**
     * Chunks whose pieces are not exactly 0..total-1 with one copy each (a missing piece, or a
     * second copy that is an orphan), described for an assertion message.
     */
    List<String> notExactly(int total) {
        List<String> bad = new ArrayList<>();
        chunks.forEach((chunk, pieces) -> {
            boolean ok = pieces.size() == total && pieces.values().stream().allMatch(n -> n.size() == 1);
            for (int i = 0; i < total && ok; i++) {
                ok = pieces.containsKey(i);
            }
            if (!ok) {
                bad.add(chunk + " " + pieces);
            }
        });
        return bad;
    }

    /** Chunks with two pieces on one node. */
    List<String> doubledUp() {
        List<String> bad = new ArrayList<>();
        chunks.forEach((chunk, pieces) -> {
            long nodes = pieces.values().stream().flatMap(List::stream).distinct().count();
            long count = pieces.values().stream().mapToLong(List::size).sum();
            if (nodes != count) {
                bad.add(chunk + " " + pieces);
            }
        });
        return bad;
    }

    long piecesOn(String node) {
        return chunks.values().stream().flatMap(p -> p.values().stream()).filter(n -> n.contains(node)).count();
    }
}
