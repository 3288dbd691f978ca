package dev.cairn.placement.mover;

import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.RepairRecord;
import dev.cairn.placement.ClusterMap;
import dev.cairn.placement.storage.ChunkReader;
import dev.cairn.placement.storage.NodeReachability;
import dev.cairn.placement.storage.ReadLeases;
import dev.cairn.placement.storage.StorageNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data movers: repair, drain and rebalance, driven by one planning thread. A pass pages through
 * every live chunk, plans it ({@link ChunkPlanner}) and tallies the work; when there is any, it
 * runs the repairs first, closest to loss first (one scan per priority level present), then the
 * drain and rebalance moves, on a small pool under the {@link MoverThrottle}, and plans again at
 * once; when a pass finds nothing to do the movers are DONE and wait for the next pass (a
 * cluster-map change or {@link #wake()} starts one at once). Memory stays bounded: a page of
 * chunks and the moves in flight. At start-up, intents left by a crash are resolved (uncommitted
 * copies deleted) and an orphan scan follows. Threads are this class's own, never an event loop.
 */
public final class Movers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Movers.class);
    private static final int PAGE = 256;
    private static final int REPAIR_ROWS = 100_000;

    private final MetadataStore metadata;
    private final ClusterMap map;
    private final StorageNodes nodes;
    private final MoverSettings settings;
    private final Clock clock;
    private final MoverThrottle throttle;
    private final MoverProgress progress = new MoverProgress();
    private final ChunkClaims claims = new ChunkClaims();
    private final NodeReachability reachability;
    private final HintVerifier hints;
    private final PieceJanitor janitor;
    private final Scrubber scrubber;
    private final MoveExecutor executor;
    private final Thread planner;
    private final Object signal = new Object();
    private boolean woken; // guarded by signal
    private volatile boolean orphanScanWanted;
    private volatile boolean passWanted;
    private volatile boolean closed;
    private volatile boolean paused;
    /** Whether this server may move data: always for a single server, the metadata leader otherwise. */
    private volatile java.util.function.BooleanSupplier leading = () -> true;
    private boolean wasLeading; // planner thread only
    private volatile boolean replicated;
    private volatile long settledMapVersion = -1;
    private volatile long passes;
    private boolean hadWork;
    private boolean waitingForGrace; // a DOWN node's pieces wait for the grace: re-plan within 5 s
    private String lastBlocked; // logged once per change
    /** The map version of the last pass that concluded (done, idle or blocked); -1 before one. */
    private long concludedMapVersion = -1;
    private Map<String, NodeState> lastStates = Map.of(); // planner thread only
    private final java.util.Set<String> returned = new java.util.HashSet<>(); // planner thread only
    private final long startedMillis;

    /**
     * @param reader      the data path's reader: rebuilds read chunks through it
     * @param leases      chunks GETs are streaming: their old pieces stay until the reads end
     * @param clientsBusy whether client requests saturate the server (moves then wait a moment)
     */
    public Movers(MetadataStore metadata, StorageNodes nodes, ChunkReader reader, ReadLeases leases,
                  java.util.function.BooleanSupplier clientsBusy, MoverSettings settings, Clock clock) {
        this.metadata = metadata;
        this.nodes = nodes;
        this.map = nodes.map();
        this.reachability = nodes.reachability();
        this.settings = settings;
        this.clock = clock;
        this.startedMillis = clock.millis();
        this.paused = settings.paused();
        this.throttle = new MoverThrottle(settings.bytesPerSecond(), settings.movesPerNode());
        this.janitor = new PieceJanitor(metadata, nodes, leases, claims, clock);
        this.scrubber = new Scrubber(metadata, nodes, throttle, progress, settings.scrubInterval(), clock,
                this::wake);
        this.hints = new HintVerifier(metadata, nodes, reachability, throttle, clock);
        this.executor = new MoveExecutor(new PieceMover(metadata, nodes, reader, reachability, clock,
                settings.deleteDelay()),
                throttle, progress, claims, settings.parallelism(), clientsBusy);
        this.planner = new Thread(this::run, "cairn-movers");
        this.planner.setDaemon(true);
        map.onChange(m -> wake());
    }

    /**
     * Replicated metadata: the movers (and the scrubber) work only while {@code leading} says this
     * server leads; elsewhere they stand by, and a new leader resumes from the replicated state
     * (repair rows, move intents, piece deletes), first settling the intents its predecessor left.
     */
    public void leadership(java.util.function.BooleanSupplier leading) {
        this.leading = leading;
        this.replicated = true;
        scrubber.leadership(leading);
    }

    public void start() {
        planner.start();
        scrubber.start();
    }

    public MoverThrottle throttle() {
        return throttle;
    }

    public MoverProgress progress() {
        return progress;
    }

    /** The cluster-map version of the last pass that found nothing to do; -1 before the first. */
    public long settledMapVersion() {
        return settledMapVersion;
    }

    public long passes() {
        return passes;
    }

    /** Starts a pass now (after a map change, a throttle change, new repair rows). */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * Pauses or resumes the movers. While paused nothing is planned and no move starts (moves
     * under way finish, old copies of committed moves are still deleted); the scrubber keeps
     * verifying, and what it finds waits for the resume.
     */
    public void paused(boolean pause) {
        paused = pause;
        if (!pause) {
            wake();
        }
    }

    public boolean paused() {
        return paused;
    }

    /** Whether the intents left by moves cut short were settled (false: try again next round). */
    private boolean resolveLeftoverIntents() {
        try {
            if (janitor.resolveIntents() > 0) {
                orphanScanWanted = true;
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("resolving leftover move intents failed: {}", e.toString());
            return false;
        }
    }

    /** Asks for a full orphan scan of every readable node after the current pass. */
    public void requestOrphanScan() {
        orphanScanWanted = true;
        wake();
    }

    private void run() {
        long nextPass = 0;
        while (!closed) {
            try {
                boolean lead = leading.getAsBoolean();
                if (lead && !wasLeading) {
                    // at start, or on taking over: settle the intents of moves cut short (here or on the old leader)
                    if (replicated) {
                        LOG.info("this server leads the metadata now: movers resume from the replicated state");
                    }
                    wasLeading = resolveLeftoverIntents();
                } else {
                    wasLeading = lead;
                }
                if (!lead) {
                    progress.state(MoverProgress.State.STANDBY);
                    passWanted = true; // plan at once on taking over
                    pause(1000);
                    continue;
                }
                hints.probeFailingLocal(); // in-process nodes have no heartbeat to bring them back
                if (paused) {
                    progress.state(MoverProgress.State.PAUSED);
                    passWanted = true; // plan at once on resume
                } else if (passWanted || System.currentTimeMillis() >= nextPass) {
                    passWanted = false;
                    boolean work = pass();
                    long idle = waitingForGrace ? Math.min(5000, settings.passInterval().toMillis())
                            : settings.passInterval().toMillis();
                    nextPass = System.currentTimeMillis() + (work ? 0 : idle);
                    if (!work && !metadata.listMoves(1).isEmpty()) {
                        janitor.resolveIntents(); // leftovers of moves that could not clean up after themselves
                    }
                }
                janitor.deleteDue();
                noteReturns();
                if (orphanScanWanted && nextPass > System.currentTimeMillis()) {
                    orphanScanWanted = false;
                    returned.clear();
                    janitor.collectOrphans(readableNodes());
                } else if (!returned.isEmpty() && nextPass > System.currentTimeMillis()) {
                    List<String> scan = readableNodes();
                    scan.retainAll(returned);
                    returned.clear();
                    janitor.collectOrphans(scan);
                }
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("mover pass failed: {}", e.toString());
                nextPass = System.currentTimeMillis() + 1000;
            }
            // paused, the next pass is due at once on resume (which wakes this loop): wait the full
            // second, or the loop spins through deleteDue without pause
            pause(paused ? 1000 : Math.max(0, Math.min(1000, nextPass - System.currentTimeMillis())));
        }
    }

    /**
     * Notes the nodes that came back - UP again after SUSPECT or DOWN, or answering again after
     * failing calls: writes to them that timed out may have landed after all, so each gets an
     * orphan scan once the movers are idle.
     */
    private void noteReturns() {
        Map<String, NodeState> now = new HashMap<>();
        for (NodeRecord n : map.nodes()) {
            now.put(n.id(), n.state());
            NodeState before = lastStates.get(n.id());
            if (n.state() == NodeState.UP && (before == NodeState.SUSPECT || before == NodeState.DOWN)) {
                returned.add(n.id());
            }
        }
        lastStates = now;
        returned.addAll(reachability.takeRecovered());
    }

    /** Waits up to {@code millis} (deferred deletes are checked at least every second) or until woken. */
    private void pause(long millis) {
        synchronized (signal) {
            long end = System.currentTimeMillis() + millis;
            while (!woken && !closed && System.currentTimeMillis() < end) {
                try {
                    signal.wait(Math.max(1, end - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (woken) {
                passWanted = true;
            }
            woken = false;
        }
    }

    private List<String> readableNodes() {
        List<String> out = new ArrayList<>();
        for (NodeRecord n : map.nodes()) {
            if (n.state() == NodeState.UP || n.state() == NodeState.SUSPECT || n.state() == NodeState.DRAINING) {
                out.add(n.id());
            }
        }
        return out;
    }

    private ClusterView view() {
        return ClusterView.of(map.nodes(), nodes.writable(), clock.millis(),
                map.settings().downAfter().plus(settings.repairGrace()), startedMillis, nodes.failing());
    }

    /** One planning pass, and the moves it finds. Returns true when there was (or still is) work. */
    private boolean pass() throws IOException {
        long version = map.version();
        MoverProgress.State last = progress.state();
        boolean concluded = last == MoverProgress.State.DONE || last == MoverProgress.State.IDLE
                || last == MoverProgress.State.BLOCKED;
        if (!concluded || version != concludedMapVersion) {
            // a re-check of an unchanged map keeps the last conclusion: a blocked drain stays
            // blocked, not "planning" for a moment every pass; a changed map is planned anew
            progress.state(MoverProgress.State.PLANNING);
        }
        Map<ChunkId, ChunkRecord> hinted = new HashMap<>();
        Map<ChunkId, List<RepairRecord>> repairs = repairRows(hinted);
        try {
            hints.verify(repairs, hinted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        PassTally tally = new PassTally();
        scan(repairs, tally::add);
        tally.publish(progress, version);
        passes++;
        waitingForGrace = tally.waiting;
        if (!tally.hasWork()) {
            progress.state(tally.blockedChunks() > 0 ? MoverProgress.State.BLOCKED
                    : hadWork ? MoverProgress.State.DONE : MoverProgress.State.IDLE);
            concludedMapVersion = version;
            if (!tally.waiting) {
                settledMapVersion = version;
            }
            if (tally.blockedChunks() > 0 && !tally.describe().equals(lastBlocked)) {
                LOG.warn("movers blocked: {}", tally.describe());
            }
            lastBlocked = tally.blockedChunks() > 0 ? tally.describe() : null;
            return false;
        }
        hadWork = true;
        progress.state(MoverProgress.State.MOVING);
        LOG.info("movers: {}", tally.describe());
        for (int level : tally.repairLevels) {
            scan(repairs, plan -> {
                if (!plan.idle() && plan.mover() == ChunkPlan.Mover.REPAIR && plan.priority() == level) {
                    executor.submit(plan);
                }
            });
        }
        scan(repairs, plan -> {
            if (!plan.idle() && plan.mover() != ChunkPlan.Mover.REPAIR) {
                executor.submit(plan);
            }
        });
        executor.awaitIdle();
        return true;
    }

    /** The repair rows by chunk (rows of chunks that are gone are cleared); their chunks' records go to {@code records}. */
    private Map<ChunkId, List<RepairRecord>> repairRows(Map<ChunkId, ChunkRecord> records) {
        Map<ChunkId, List<RepairRecord>> out = new HashMap<>();
        for (RepairRecord r : metadata.listRepairs(REPAIR_ROWS)) {
            out.computeIfAbsent(r.chunk(), k -> new ArrayList<>()).add(r);
        }
        List<ChunkId> ids = new ArrayList<>(out.keySet());
        List<RepairRecord> gone = new ArrayList<>();
        if (!ids.isEmpty()) {
            List<Optional<ChunkRecord>> found = metadata.getChunks(ids);
            for (int i = 0; i < ids.size(); i++) {
                if (found.get(i).isEmpty()) {
                    gone.addAll(out.remove(ids.get(i)));
                } else {
                    records.put(ids.get(i), found.get(i).get());
                }
            }
        }
        metadata.clearRepairs(gone);
        return out;
    }

    /** Plans every live chunk, a page at a time, closest to loss first within a page. */
    private void scan(Map<ChunkId, List<RepairRecord>> repairs, java.util.function.Consumer<ChunkPlan> sink) {
        ChunkId after = null;
        while (!closed) {
            List<ChunkRecord> page = metadata.scanChunks(after, PAGE);
            if (page.isEmpty()) {
                return;
            }
            after = page.get(page.size() - 1).id();
            ClusterView view = view();
            List<ChunkPlan> plans = new ArrayList<>(page.size());
            for (ChunkRecord c : page) {
                plans.add(ChunkPlanner.plan(c, repairs.getOrDefault(c.id(), List.of()), view));
            }
            plans.sort(Comparator.comparingInt(ChunkPlan::priority));
            plans.forEach(sink);
        }
    }

    @Override
    public void close() {
        closed = true;
        wake();
        scrubber.close();
        planner.interrupt();
        executor.close();
        try {
            planner.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
