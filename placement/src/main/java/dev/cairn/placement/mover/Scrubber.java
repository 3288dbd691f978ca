package dev.cairn.placement.mover;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.NodeRecord;
import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.metadata.RepairRecord;
import dev.cairn.placement.storage.StorageNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Re-reads every piece of every live chunk where it is stored (the node verifies each block's
 * checksum and sends no bytes) and records corrupt or missing pieces for repair, then wakes the
 * movers. One pass per interval: the pass counts the chunks first and paces itself to spread them
 * over the interval, and every piece read also takes its bytes from the movers' byte throttle.
 */
final class Scrubber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scrubber.class);
    private static final int PAGE = 256;

    private final MetadataStore metadata;
    private final StorageNodes nodes;
    private final MoverThrottle throttle;
    private final MoverProgress progress;
    private final Duration interval;
    private final Clock clock;
    private final Runnable foundWork;
    private final Thread thread;
    private volatile boolean closed;

    Scrubber(MetadataStore metadata, StorageNodes nodes, MoverThrottle throttle, MoverProgress progress, Duration interval, Clock clock, Runnable foundWork) {
        this.metadata = metadata;
        this.nodes = nodes;
        this.throttle = throttle;
        this.progress = progress;
        this.interval = interval;
        this.clock = clock;
        this.foundWork = foundWork;
        this.thread = new Thread(this::run, "cairn-scrubber");
        this.thread.setDaemon(true);
    }

    private volatile java.util.function.BooleanSupplier leading = () -> true;

    /** Scrub only while {@code leading} (the metadata leader's scrubber covers the cluster). */
    void leadership(java.util.function.BooleanSupplier leading) {
        this.leading = leading;
    }

    void start() {
        thread.start();
    }

    private void run() {
        while (!closed) {
            long start = System.nanoTime();
            try {
                if (!leading.getAsBoolean()) {
                    Thread.sleep(1000);
                    continue;
                }
                pass(start);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("scrub pass failed: {}", e.toString());
            }
            try {
                sleepUntil(start + interval.toNanos());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pass(long startNanos) throws InterruptedException {
        MoverProgress.Scrub s = progress.scrub();
        MoverProgress.Counters c = progress.of(ChunkPlan.Mover.SCRUB);
        s.lastPassStarted.set(clock.millis());
        long chunks = count();
        c.pendingChunks.set(chunks);
        long perChunk = chunks == 0 ? 0 : interval.toNanos() * 9 / 10 / chunks; // finish a little early
        long done = 0;
        int bad = 0;
        ChunkId after = null;
        while (!closed) {
            List<ChunkRecord> page = metadata.scanChunks(after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            after = page.get(page.size() - 1).id();
            for (ChunkRecord chunk : page) {
                bad += check(chunk);
                done++;
                c.pendingChunks.updateAndGet(v -> Math.max(0, v - 1));
                sleepUntil(startNanos + done * perChunk);
            }
        }
        c.pendingChunks.set(0);
        s.lastPassFinished.set(clock.millis());
        LOG.info("scrub pass checked {} chunks, {} bad pieces", done, bad);
        if (bad > 0) {
            foundWork.run();
        }
    }

    private long count() {
        long n = 0;
        ChunkId after = null;
        while (!closed) {
            List<ChunkRecord> page = metadata.scanChunks(after, PAGE * 4);
            if (page.isEmpty()) {
                break;
            }
            n += page.size();
            after = page.get(page.size() - 1).id();
        }
        return n;
    }

    /** Verifies the chunk's pieces on readable nodes; returns how many were bad (and recorded). */
    private int check(ChunkRecord chunk) throws InterruptedException {
        MoverProgress.Scrub s = progress.scrub();
        List<RepairRecord> bad = new ArrayList<>();
        for (PieceLocation l : chunk.pieces()) {
            NodeRecord node = nodes.map().node(l.nodeId());
            Optional<ChunkStoreClient> client = nodes.client(l.nodeId());
            if (node == null || client.isEmpty() || !(node.state() == NodeState.UP || node.state() == NodeState.DRAINING)) {
                continue; // the repair mover deals with pieces on nodes that are gone
            }
            throttle.takeBytes(l.size());
            try {
                PieceMover.join(client.get().verify(PieceMover.pieceId(chunk, l.index())));
                s.piecesOk.incrementAndGet();
            } catch (PieceException.Corrupt e) {
                s.piecesCorrupt.incrementAndGet();
                bad.add(new RepairRecord(chunk.id(), l.index(), "corrupt", l.nodeId(), clock.millis()));
            } catch (PieceException.NotFound e) {
                s.piecesMissing.incrementAndGet();
                bad.add(new RepairRecord(chunk.id(), l.index(), "missing", l.nodeId(), clock.millis()));
            } catch (IOException e) {
                LOG.debug("scrub could not reach {} for chunk {}: {}", l.nodeId(), chunk.id(), e.toString());
            }
        }
        if (!bad.isEmpty()) {
            LOG.warn("scrub: chunk {} has bad pieces {}; recorded for repair", chunk.id(),
                    bad.stream().map(r -> r.pieceIndex() + "@" + r.nodeId() + " " + r.reason()).toList());
            progress.of(ChunkPlan.Mover.SCRUB).errors.addAndGet(bad.size());
            metadata.recordRepairs(bad);
        }
        return bad.size();
    }

    private void sleepUntil(long nanos) throws InterruptedException {
        while (!closed) {
            long wait = nanos - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            Thread.sleep(Math.min(Math.max(1, wait / 1_000_000), 1000));
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
