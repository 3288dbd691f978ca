package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Volatile node state: what heartbeats report (used bytes, piece count, when the node last
 * reported), kept in this process's memory and never in the command log. Stored node records
 * change only with membership; {@link #overlay} puts the latest heartbeat numbers over them. A node
 * not heard from since {@code watchingSinceMillis} counts as heard then, so a restarted process
 * gives every node a full heartbeat window before calling it silent.
 */
final class NodeLiveness {
    private record Beat(long used, long pieces, long lastHeartbeatMillis) {
    }

    private final Map<String, Beat> beats = new ConcurrentHashMap<>();
    private final long watchingSinceMillis;

    NodeLiveness(long watchingSinceMillis) {
        this.watchingSinceMillis = watchingSinceMillis;
    }

    void heard(NodeRecord n) {
        beats.put(n.id(), new Beat(n.used(), n.pieces(), n.lastHeartbeatMillis()));
    }

    List<NodeRecord> overlay(List<NodeRecord> stored) {
        List<NodeRecord> out = new ArrayList<>(stored.size());
        for (NodeRecord n : stored) {
            Beat b = beats.get(n.id());
            if (b == null) {
                b = new Beat(n.used(), n.pieces(), Math.max(n.lastHeartbeatMillis(), watchingSinceMillis));
            }
            out.add(new NodeRecord(n.id(), n.address(), n.zone(), n.capacity(), b.used(), b.pieces(), n.state(),
                    b.lastHeartbeatMillis(), n.joinedMillis()));
        }
        return out;
    }
}
