package dev.cairn.placement.storage;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.Protection;
import dev.cairn.placement.ClusterMap;
import dev.cairn.placement.PiecePlacement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The gateway's view of its storage nodes: the cluster map for who exists and in what state, a
 * client per node (in-process chunkstores directly, remote ones over HTTP, created on first use
 * and replaced when a node's address changes), where new pieces go, and which protection new
 * chunks get.
 */
public final class StorageNodes implements AutoCloseable {
    /** A node above this fill ratio takes no new pieces. */
    static final double FULL = 0.95;
    /** How long a node that refused a piece for space counts as full. */
    static final long REFUSED_FULL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private final ClusterMap map;
    private final Map<String, ChunkStoreClient> local;
    private final Function<NodeRecord, ChunkStoreClient> remoteFactory;
    private final ProtectionPolicy policy;
    private final Map<String, Remote> remotes = new ConcurrentHashMap<>();
    private final Map<String, Long> refusedFull = new ConcurrentHashMap<>();
    private final NodeReachability reachability = new NodeReachability();

    private record Remote(String address, ChunkStoreClient client) {
    }

    public StorageNodes(ClusterMap map, Map<String, ChunkStoreClient> local,
                        Function<NodeRecord, ChunkStoreClient> remoteFactory, ProtectionPolicy policy) {
        this.map = map;
        this.local = Map.copyOf(local);
        this.remoteFactory = remoteFactory;
        this.policy = policy;
    }

    public ClusterMap map() {
        return map;
    }

    public ProtectionPolicy policy() {
        return policy;
    }

    /** The node's record, if the map knows it. */
    public Optional<NodeRecord> node(String nodeId) {
        return Optional.ofNullable(map.node(nodeId));
    }

    /** A client for the node, unless it is unknown or removed. */
    public Optional<ChunkStoreClient> client(String nodeId) {
        ChunkStoreClient l = local.get(nodeId);
        if (l != null) {
            return Optional.of(l);
        }
        Optional<NodeRecord> n = node(nodeId);
        if (n.isEmpty() || n.get().state() == NodeState.REMOVED || ClusterMap.LOCAL_ADDRESS.equals(n.get().address())) {
            return Optional.empty(); // an in-process chunkstore this process does not run has no client
        }
        NodeRecord node = n.get();
        Remote known = remotes.get(nodeId);
        if (known != null && known.address().equals(node.address())) {
            return Optional.of(known.client());
        }
        Remote r = remotes.compute(nodeId, (id, old) -> {
            if (old != null && old.address().equals(node.address())) {
                return old;
            }
            if (old != null) {
                old.client().close();
            }
            return new Remote(node.address(), remoteFactory.apply(node));
        });
        return Optional.of(r.client());
    }

    /** Whether reads should try this node at all (known, not DOWN, not REMOVED, with a client). */
    public boolean readable(String nodeId) {
        if (local.containsKey(nodeId)) {
            return true;
        }
        return node(nodeId).map(n -> n.state() != NodeState.DOWN && n.state() != NodeState.REMOVED && hasClient(n))
                .orElse(false);
    }

    /**
     * Nodes that take new pieces: UP, with a client, not full, and not failing calls (a node that
     * failed a call is left out until a call succeeds again or - for a remote node - it sends a
     * heartbeat after the failure): a node killed a moment ago leaves the writable set at its first
     * failed call, not only once the map marks it DOWN.
     */
    public List<PiecePlacement.Node> writable() {
        List<PiecePlacement.Node> out = new ArrayList<>();
        long now = System.nanoTime();
        Map<String, Long> failing = reachability.failing();
        for (NodeRecord n : map.nodes()) {
            if (n.state() != NodeState.UP || isFull(n, now) || !hasClient(n) || isFailing(n, failing)) {
                continue;
            }
            out.add(PiecePlacement.Node.of(n));
        }
        return out;
    }

    /** Which nodes fail calls lately (shared by the data path and the movers). */
    public NodeReachability reachability() {
        return reachability;
    }

    /** Nodes failing calls now, by when they started: those with a heartbeat since are left out (it came back). */
    public Map<String, Long> failing() {
        Map<String, Long> out = new java.util.HashMap<>(reachability.failing());
        out.entrySet().removeIf(e -> {
            NodeRecord n = map.node(e.getKey());
            return n == null || !isFailing(n, out);
        });
        return out;
    }

    private boolean isFailing(NodeRecord n, Map<String, Long> failing) {
        Long since = failing.get(n.id());
        return since != null && (local.containsKey(n.id()) || n.lastHeartbeatMillis() <= since);
    }

    /** Nodes (not removed) that are full: above {@link #FULL} of their capacity, or refused a piece for space lately. */
    public List<String> fullNodes() {
        long now = System.nanoTime();
        return map.nodes().stream().filter(n -> n.state() != NodeState.REMOVED && isFull(n, now))
                .map(NodeRecord::id).toList();
    }

    /**
     * A node answered a write with "no space" (its heartbeat may still show room): it counts as full,
     * and takes no piece, for {@link #REFUSED_FULL_NANOS}.
     */
    public void refusedForSpace(String nodeId) {
        refusedFull.put(nodeId, System.nanoTime());
    }

    private boolean isFull(NodeRecord n, long now) {
        if (n.capacity() > 0 && n.used() >= n.capacity() * FULL) {
            return true;
        }
        Long refused = refusedFull.get(n.id());
        if (refused != null && now - refused > REFUSED_FULL_NANOS) {
            refusedFull.remove(n.id(), refused);
            return false;
        }
        return refused != null;
    }

    /** Whether {@code nodeId} is a chunkstore running in this process. */
    public boolean isLocal(String nodeId) {
        return local.containsKey(nodeId);
    }

    /** An in-process node that this process does not run (another run's chunkstore) has no client. */
    private boolean hasClient(NodeRecord n) {
        return !ClusterMap.LOCAL_ADDRESS.equals(n.address()) || local.containsKey(n.id());
    }

    /** Storage nodes in the cluster: every node not removed. */
    public int memberCount() {
        return (int) map.nodes().stream().filter(n -> n.state() != NodeState.REMOVED).count();
    }

    /**
     * The protection new chunks of the default storage class get now. Automatic protection counts
     * the writable nodes - draining, down and full nodes take no pieces - so a new chunk always
     * has a node for each of its pieces.
     */
    public Protection protection() {
        return policy.forNodes(writable().size());
    }

    /** The protection new chunks of a storage class get now (the operator's mapping, else the default). */
    public Protection protection(String storageClass) {
        return policy.forClass(storageClass, writable().size());
    }

    /** Where the pieces of a chunk go, piece 0 first (fewer when fewer nodes are writable). */
    public List<String> place(byte[] chunkId, int pieces) {
        return PiecePlacement.place(chunkId, writable(), pieces);
    }

    /**
     * Deletes a piece; completes with true when it is gone (deleted, already absent, or on a node
     * that left the cluster with its disk), false when its node is unknown (the caller keeps the
     * piece's record for later), and exceptionally when the node could not be reached.
     */
    public CompletableFuture<Boolean> deletePiece(String nodeId, PieceId id) {
        Optional<ChunkStoreClient> c = client(nodeId);
        if (c.isPresent()) {
            return c.get().delete(id).thenApply(existed -> true);
        }
        return CompletableFuture.completedFuture(node(nodeId).map(n -> n.state() == NodeState.REMOVED).orElse(false));
    }

    @Override
    public void close() {
        remotes.values().forEach(r -> r.client().close());
        local.values().forEach(ChunkStoreClient::close);
    }
}
