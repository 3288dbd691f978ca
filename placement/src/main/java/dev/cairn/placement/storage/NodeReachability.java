package dev.cairn.placement.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nodes the movers could not reach lately although the cluster map may still call them UP (a node
 * killed a moment ago keeps its state until its heartbeats are missed): since when each has been
 * failing. Such a node takes no moved piece, and its pieces wait as a DOWN node's would. Any
 * successful call clears it. Thread-safe.
 */
public final class NodeReachability {
    private final Map<String, Long> failingSince = new ConcurrentHashMap<>();
    private final java.util.Set<String> recovered = ConcurrentHashMap.newKeySet();

    /** A call to {@code nodeId} failed because the node could not be reached or answered with an error. */
    public void failed(String nodeId, long nowMillis) {
        failingSince.putIfAbsent(nodeId, nowMillis);
    }

    /** A call to {@code nodeId} succeeded. */
    public void reached(String nodeId) {
        if (failingSince.remove(nodeId) != null) {
            recovered.add(nodeId);
        }
    }

    /**
     * The nodes that answered again after failing, since the last call: calls that timed out may
     * have landed after all (a piece written that nobody records), so they deserve an orphan scan.
     */
    public java.util.Set<String> takeRecovered() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (java.util.Iterator<String> it = recovered.iterator(); it.hasNext(); ) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    /** Node id -> when it started failing, for the nodes failing now. */
    public Map<String, Long> failing() {
        return Map.copyOf(failingSince);
    }
}
