package dev.cairn.placement;

import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The cluster map: every storage node with its state, kept in metadata (so it survives restarts,
 * with a version bumped on every membership change) and in memory for placement. Heartbeats and
 * the periodic {@link #tick} drive the state machine of {@link NodeStates}. Blocking (it writes
 * metadata): call from worker threads. Chunkstores inside the server process ("local:" address)
 * are UP while the process runs and never time out; those of an earlier run that this process
 * does not run are DOWN ({@link #localsRunning}).
 */
public final class ClusterMap {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMap.class);
    public static final String LOCAL_ADDRESS = "local:";

    /** What a node reports in a heartbeat. */
    public record Heartbeat(String nodeId, String address, String zone, long capacity, long used, long pieces) {
    }

    private final MetadataStore store;
    private final Clock clock;
    private final MembershipSettings settings;
    private final Map<String, NodeRecord> nodes = new TreeMap<>();
    private final List<Consumer<ClusterMap>> listeners = new CopyOnWriteArrayList<>();
    private volatile long version;
    private volatile List<NodeRecord> snapshot = List.of();
    private volatile Map<String, NodeRecord> byId = Map.of();
    private java.util.Set<String> runningLocals; // guarded by this; null until the process says
    /** Whether this process has heard a heartbeat of a chunkstore process (guarded by this). */
    private boolean heardRemote;
    private long lastUnheardWarningMillis = Long.MIN_VALUE;

    public ClusterMap(MetadataStore store, Clock clock, MembershipSettings settings) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        for (NodeRecord n : store.listNodes()) {
            nodes.put(n.id(), n);
        }
        this.version = store.clusterMapVersion();
        publish();
    }

    public MembershipSettings settings() {
        return settings;
    }

    /** Every node, in id order (REMOVED ones included). */
    public List<NodeRecord> nodes() {
        return snapshot;
    }

    /** One node by id (REMOVED ones included), or null: a map lookup, for the data path. */
    public NodeRecord node(String nodeId) {
        return byId.get(nodeId);
    }

    public long version() {
        return version;
    }

    /** Called after every membership change (on the thread that made it). */
    public void onChange(Consumer<ClusterMap> listener) {
        listeners.add(listener);
    }

    /** Registers a chunkstore living in this process: always UP while the process runs. */
    public synchronized void registerLocal(String nodeId, long capacity, long used, long pieces) {
        apply(new Heartbeat(nodeId, LOCAL_ADDRESS, "", capacity, used, pieces));
    }

    /**
     * Applies a node's heartbeat: a new node joins UP; a SUSPECT or DOWN node comes back UP.
     *
     * @throws IllegalStateException when the node was removed from the cluster
     */
    public synchronized NodeRecord heartbeat(Heartbeat hb) {
        return apply(hb);
    }

    private NodeRecord apply(Heartbeat hb) {
        long now = clock.millis();
        heardRemote |= !LOCAL_ADDRESS.equals(hb.address());
        NodeRecord old = nodes.get(hb.nodeId());
        if (old != null && old.state() == NodeState.REMOVED) {
            throw new IllegalStateException("node " + hb.nodeId() + " was removed from the cluster");
        }
        NodeState state = old == null ? NodeState.UP : NodeStates.onHeartbeat(old.state());
        NodeRecord updated = new NodeRecord(hb.nodeId(), hb.address(), hb.zone() == null ? "" : hb.zone(),
                hb.capacity(), hb.used(), hb.pieces(), state, now, old == null ? now : old.joinedMillis());
        boolean changed = old == null || old.state() != state || !old.address().equals(updated.address())
                || !old.zone().equals(updated.zone()) || old.capacity() != updated.capacity();
        version = store.putNodes(List.of(updated), changed);
        nodes.put(updated.id(), updated);
        if (changed) {
            LOG.info("cluster map v{}: node {} {} at {}{}", version, updated.id(),
                    old == null ? "joined" : "is " + state, updated.address(),
                    updated.zone().isEmpty() ? "" : " zone " + updated.zone());
        }
        publish();
        if (changed) {
            fire();
        }
        return updated;
    }

    /**
     * Marks DOWN the in-process chunkstores of an earlier run that this process does not run
     * ({@code running} are the ids it does): nothing can heartbeat for them, so they must not stay
     * UP with a frozen heartbeat. They come back UP if a later run registers them again.
     */
    public synchronized void localsRunning(java.util.Set<String> running) {
        this.runningLocals = java.util.Set.copyOf(running);
        List<NodeRecord> missing = new ArrayList<>();
        for (NodeRecord n : nodes.values()) {
            if (LOCAL_ADDRESS.equals(n.address()) && !running.contains(n.id())
                    && (n.state() == NodeState.UP || n.state() == NodeState.SUSPECT)) {
                missing.add(n.withState(NodeState.DOWN));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        version = store.putNodes(missing, true);
        for (NodeRecord n : missing) {
            nodes.put(n.id(), n);
            LOG.warn("cluster map v{}: in-process chunkstore {} is not run by this process (fewer chunkstores than "
                    + "before): DOWN", version, n.id());
        }
        publish();
        fire();
    }

    /** Moves nodes whose heartbeats stopped to SUSPECT or DOWN. Returns whether the map changed. */
    public synchronized boolean tick() {
        return tick(false);
    }

    /**
     * {@link #tick()}; with {@code onlyOnceHeard} (replicated metadata, where a server added at run
     * time may be missing from the chunkstores' {@code --join} lists) chunkstore processes are
     * left as they are until this process has heard a heartbeat of any of them: a server no
     * chunkstore talks to cannot tell silent nodes from nodes that do not know it, and marking
     * every node DOWN would stop all writes. It says so in its log instead.
     */
    public synchronized boolean tick(boolean onlyOnceHeard) {
        long now = clock.millis();
        List<NodeRecord> changed = new ArrayList<>();
        List<String> unheard = new ArrayList<>();
        for (NodeRecord n : nodes.values()) {
            boolean local = LOCAL_ADDRESS.equals(n.address());
            if (local && (runningLocals == null || runningLocals.contains(n.id()))) {
                continue;
            }
            NodeState next = NodeStates.next(n.state(), n.lastHeartbeatMillis(), now, settings);
            if (next != n.state()) {
                if (onlyOnceHeard && !local && !heardRemote) {
                    unheard.add(n.id());
                } else {
                    changed.add(n.withState(next));
                }
            }
        }
        if (!unheard.isEmpty() && now - lastUnheardWarningMillis >= 60_000) {
            lastUnheardWarningMillis = now;
            LOG.warn("this server has heard no chunkstore heartbeat since it started, so it does not mark {} SUSPECT "
                    + "or DOWN: add its admin URL to every chunkstore's --join list, or move metadata leadership off it "
                    + "(cairn admin metadata transfer-leader)", unheard);
        }
        if (changed.isEmpty()) {
            return false;
        }
        version = store.putNodes(changed, true);
        for (NodeRecord n : changed) {
            nodes.put(n.id(), n);
            LOG.warn("cluster map v{}: node {} is {} (no heartbeat for {} ms)", version, n.id(), n.state(),
                    now - n.lastHeartbeatMillis());
        }
        publish();
        fire();
        return true;
    }

    /**
     * Replicated metadata: takes in the node records another server committed (a node marked
     * DOWN by the leader, drained through another gateway, joined elsewhere). A record that
     * differs from this map's in state, address, zone or capacity replaces it, keeping the later
     * heartbeat time this server heard. Returns whether the map changed.
     */
    public synchronized boolean adopt(List<NodeRecord> stored, long storedVersion) {
        boolean changed = false;
        for (NodeRecord s : stored) {
            NodeRecord mine = nodes.get(s.id());
            if (mine != null && mine.state() == s.state() && mine.address().equals(s.address())
                    && mine.zone().equals(s.zone()) && mine.capacity() == s.capacity()) {
                continue;
            }
            long heard = mine == null ? s.lastHeartbeatMillis() : Math.max(mine.lastHeartbeatMillis(),
                    s.lastHeartbeatMillis());
            nodes.put(s.id(), new NodeRecord(s.id(), s.address(), s.zone(), s.capacity(), s.used(), s.pieces(),
                    s.state(), heard, s.joinedMillis()));
            changed = true;
        }
        version = Math.max(version, storedVersion);
        if (changed) {
            LOG.info("cluster map v{}: took in node changes committed by another server", version);
            publish();
            fire();
        }
        return changed;
    }

    /** Sets an operator state (DRAINING, REMOVED, or UP to cancel a drain). */
    public synchronized NodeRecord setState(String nodeId, NodeState state) {
        NodeRecord n = nodes.get(nodeId);
        if (n == null) {
            throw new IllegalArgumentException("no such node: " + nodeId);
        }
        NodeRecord updated = n.withState(state);
        version = store.putNodes(List.of(updated), true);
        nodes.put(nodeId, updated);
        LOG.info("cluster map v{}: node {} set to {}", version, nodeId, state);
        publish();
        fire();
        return updated;
    }

    private void publish() {
        snapshot = List.copyOf(nodes.values());
        byId = Map.copyOf(nodes);
    }

    private void fire() {
        for (Consumer<ClusterMap> l : listeners) {
            try {
                l.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("cluster map listener failed: {}", e.toString());
            }
        }
    }
}
