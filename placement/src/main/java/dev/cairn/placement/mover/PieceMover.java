package dev.cairn.placement.mover;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.MoveIntent;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.placement.storage.ChunkReader;
import dev.cairn.placement.storage.NodeReachability;
import dev.cairn.placement.storage.StorageNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.zip.CRC32C;

/**
 * Carries out one chunk's plan, crash-safe: (1) a synced move intent per step; (2) the piece's
 * bytes, read from its old place or from a copy (replication) or rebuilt from k other pieces
 * (erasure coding); (3) put on the target and verified there (HEAD: size and CRC32C as sent, and
 * as the record says when it knows the piece); (4) a compare-and-set commit of the new piece list,
 * which in the same batch clears the intents and queues the old locations for deletion; the
 * {@link PieceJanitor} deletes them later. Rebuilds go through the data path's {@link ChunkReader}
 * (the same Reed-Solomon decode and piece reads as a degraded GET), and a rebuilt piece must match
 * the record's CRC32C when it knows the piece. When anything fails or the record changed meanwhile,
 * the copies made are deleted and the intents cleared. Blocking: runs on mover threads.
 */
final class PieceMover {
    private static final Logger LOG = LoggerFactory.getLogger(PieceMover.class);

    private final MetadataStore metadata;
    private final StorageNodes nodes;
    private final ChunkReader reader;
    private final NodeReachability reachability;
    private final Clock clock;
    private final Duration deleteDelay;

    PieceMover(MetadataStore metadata, StorageNodes nodes, ChunkReader reader, NodeReachability reachability,
               Clock clock, Duration deleteDelay) {
        this.metadata = metadata;
        this.nodes = nodes;
        this.reader = reader;
        this.reachability = reachability;
        this.clock = clock;
        this.deleteDelay = deleteDelay;
    }

    /**
     * Runs the plan, taking its bytes from {@code throttle} once the intents are recorded; false
     * when the chunk changed meanwhile (nothing is left behind either way).
     */
    boolean execute(ChunkPlan plan, MoverThrottle throttle) throws IOException, InterruptedException {
        ChunkRecord chunk = plan.chunk();
        long now = clock.millis();
        List<MoveIntent> intents = new ArrayList<>();
        for (MoveStep s : plan.steps()) {
            intents.add(new MoveIntent(chunk.id(), s.pieceIndex(), s.fromNode(), s.toNode(), now));
        }
        metadata.recordMoves(intents);
        List<MoveStep> stored = new ArrayList<>();
        try {
            throttle.takeBytes(plan.bytes());
            Map<Integer, ByteBuffer> data = produce(plan);
            List<PieceLocation> updated = new ArrayList<>(chunk.pieces());
            for (MoveStep s : plan.steps()) {
                ByteBuffer bytes = data.get(s.pieceIndex());
                stored.add(s);
                PieceLocation placed = putAndVerify(chunk, s, bytes);
                updated.removeIf(l -> l.index() == s.pieceIndex());
                updated.add(placed);
            }
            updated.sort((a, b) -> Integer.compare(a.index(), b.index()));
            if (metadata.updatePieces(chunk.id(), chunk.pieces(), updated, clock.millis() + deleteDelay.toMillis())) {
                return true;
            }
            LOG.info("chunk {} changed while its pieces moved; dropping the copies", chunk.id());
            abort(chunk, intents, stored);
            return false;
        } catch (IOException | RuntimeException | InterruptedException e) {
            abort(chunk, intents, stored);
            throw e;
        }
    }

    /** Deletes the copies made (never a piece the record still places) and clears the intents. */
    private void abort(ChunkRecord chunk, List<MoveIntent> intents, List<MoveStep> stored) {
        for (MoveStep s : stored) {
            if (places(chunk, s.pieceIndex(), s.toNode())) {
                continue;
            }
            try {
                join(nodes.deletePiece(s.toNode(), pieceId(chunk, s.pieceIndex())));
            } catch (IOException | RuntimeException e) {
                LOG.warn("chunk {}: cannot delete the abandoned copy of piece {} on {} ({}); the intent stays",
                        chunk.id(), s.pieceIndex(), s.toNode(), e.toString());
                return; // the intent is resolved after the next restart or by the janitor
            }
        }
        metadata.clearMoves(intents);
    }

    static boolean places(ChunkRecord chunk, int index, String node) {
        return chunk.pieces().stream().anyMatch(l -> l.index() == index && l.nodeId().equals(node));
    }

    private PieceLocation putAndVerify(ChunkRecord chunk, MoveStep s, ByteBuffer bytes) throws IOException {
        int crc = crc32c(bytes);
        PieceId id = pieceId(chunk, s.pieceIndex());
        ChunkStoreClient target = client(s.toNode());
        PieceInfo there;
        try {
            join(target.put(id, bytes.duplicate()));
            there = join(target.head(id));
            reachability.reached(s.toNode());
        } catch (PieceException.Unavailable e) {
            reachability.failed(s.toNode(), clock.millis()); // no more pieces for it until it answers again
            throw e;
        } catch (PieceException.CapacityExceeded e) {
            nodes.refusedForSpace(s.toNode());
            throw e;
        }
        if (there.size() != bytes.remaining() || there.crc32c() != crc) {
            throw new PieceException.Corrupt(id, "copy on " + s.toNode() + " has size " + there.size() + " crc "
                    + there.crc32c() + ", sent " + bytes.remaining() + " crc " + crc);
        }
        return new PieceLocation(s.pieceIndex(), s.toNode(), bytes.remaining(), crc);
    }

    /**
     * The bytes of every piece the plan stores, by index: a MOVE copies its piece (checked against
     * the record's CRC32C); a REBUILD - or a MOVE whose source fails - is rebuilt by the data path's
     * {@link ChunkReader} from the other pieces (a copy, or a Reed-Solomon decode from k of them).
     */
    private Map<Integer, ByteBuffer> produce(ChunkPlan plan) throws IOException {
        ChunkRecord chunk = plan.chunk();
        Map<Integer, ByteBuffer> out = new HashMap<>();
        Set<Integer> rebuild = new HashSet<>();
        for (MoveStep s : plan.steps()) {
            ByteBuffer direct = s.kind() == MoveStep.Kind.MOVE ? readChecked(chunk, locationOf(plan, s)) : null;
            if (direct != null) {
                out.put(s.pieceIndex(), direct);
            } else {
                rebuild.add(s.pieceIndex());
            }
        }
        if (!rebuild.isEmpty()) {
            Map<Integer, ByteBuffer> pieces = join(reader.rebuildPieces(chunk, rebuild));
            for (int i : rebuild) {
                ByteBuffer piece = pieces.get(i);
                PieceLocation recorded = recorded(chunk, i);
                if (recorded != null && recorded.crc32c() != 0
                        && (piece.remaining() != recorded.size() || crc32c(piece) != recorded.crc32c())) {
                    throw new PieceException.Corrupt(pieceId(chunk, i), "rebuilt piece does not match its record");
                }
                out.put(i, piece);
            }
        }
        return out;
    }

    private static PieceLocation recorded(ChunkRecord chunk, int index) {
        for (PieceLocation l : chunk.pieces()) {
            if (l.index() == index) {
                return l;
            }
        }
        return null;
    }

    private static PieceLocation locationOf(ChunkPlan plan, MoveStep s) {
        for (PieceLocation l : plan.sources()) {
            if (l.index() == s.pieceIndex() && l.nodeId().equals(s.fromNode())) {
                return l;
            }
        }
        throw new IllegalStateException("no readable piece " + s.pieceIndex() + " on " + s.fromNode());
    }

    /** The whole piece, checked against the record's CRC32C when it has one; null when unreadable. */
    private ByteBuffer readChecked(ChunkRecord chunk, PieceLocation l) {
        try {
            ByteBuffer b = join(client(l.nodeId()).get(pieceId(chunk, l.index()), 0, (int) l.size()));
            if (b.remaining() != l.size() || (l.crc32c() != 0 && crc32c(b) != l.crc32c())) {
                LOG.warn("chunk {} piece {} on {} does not match its record", chunk.id(), l.index(), l.nodeId());
                return null;
            }
            return b;
        } catch (IOException | RuntimeException e) {
            LOG.warn("chunk {} piece {} on {} unreadable: {}", chunk.id(), l.index(), l.nodeId(), e.toString());
            return null;
        }
    }

    private ChunkStoreClient client(String node) throws PieceException {
        return nodes.client(node).orElseThrow(() -> new PieceException.Unavailable("node " + node
                + " is not in the cluster", null));
    }

    static PieceId pieceId(ChunkRecord chunk, int index) {
        return new PieceId(chunk.id().bytes(), index);
    }

    static int crc32c(ByteBuffer b) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate());
        return (int) crc.getValue();
    }

    /** Waits for a node call; its PieceException (or other IOException) comes out unwrapped. */
    static <T> T join(java.util.concurrent.CompletableFuture<T> f) throws IOException {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new PieceException.Unavailable(String.valueOf(c), c);
        }
    }
}
