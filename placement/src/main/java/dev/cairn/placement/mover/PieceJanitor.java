package dev.cairn.placement.mover;

import dev.cairn.chunkstore.ChunkStoreClient;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.chunkstore.node.PiecePage;
import dev.cairn.metadata.ChunkId;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.MoveIntent;
import dev.cairn.metadata.PieceDelete;
import dev.cairn.placement.storage.ReadLeases;
import dev.cairn.placement.storage.StorageNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cleans up after moves: copies whose intent outlived the process that made them (never
 * committed: the target piece goes), old locations whose deferred delete is due (once no read
 * holds the chunk), and - on demand or after a restart that found leftovers - orphans: pieces on a
 * node that no chunk record places there and that no pending write, move intent, deferred delete
 * or read lease claims. Blocking.
 */
final class PieceJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(PieceJanitor.class);
    private static final int PAGE = 1000;

    private final MetadataStore metadata;
    private final StorageNodes nodes;
    private final ReadLeases leases;
    private final ChunkClaims claims;
    private final Clock clock;

    PieceJanitor(MetadataStore metadata, StorageNodes nodes, ReadLeases leases, ChunkClaims claims, Clock clock) {
        this.metadata = metadata;
        this.nodes = nodes;
        this.leases = leases;
        this.claims = claims;
        this.clock = clock;
    }

    /**
     * Intents of chunks no move is working on are copies that never committed (left by a crash, or
     * by a move that could not delete its copy): the target piece goes, then the intent. At
     * start-up that is every intent. Returns how many were resolved.
     */
    int resolveIntents() {
        List<MoveIntent> done = new ArrayList<>();
        for (MoveIntent m : metadata.listMoves(PAGE)) {
            if (!claims.tryClaim(m.chunk())) {
                continue; // a move in flight
            }
            try {
                Optional<ChunkRecord> record = metadata.getChunks(List.of(m.chunk())).get(0);
                boolean committed = record.isPresent() && PieceMover.places(record.get(), m.pieceIndex(), m.toNode());
                if (committed || deletePiece(m.toNode(), new PieceId(m.chunk().bytes(), m.pieceIndex()))) {
                    metadata.clearMoves(List.of(m));
                    done.add(m);
                }
            } finally {
                claims.release(m.chunk());
            }
        }
        if (!done.isEmpty()) {
            LOG.info("resolved {} move intents left by an earlier run or a failed move (uncommitted copies deleted)",
                    done.size());
        }
        return done.size();
    }

    /** Deletes the old locations whose time has come; returns how many were done. */
    int deleteDue() {
        long now = clock.millis();
        List<PieceDelete> done = new ArrayList<>();
        for (PieceDelete d : metadata.listPieceDeletes(PAGE)) {
            if (d.dueMillis() > now || leases.isLeased(d.chunk()) || !claims.tryClaim(d.chunk())) {
                continue;
            }
            try {
                Optional<ChunkRecord> record = metadata.getChunks(List.of(d.chunk())).get(0);
                boolean placedAgain = record.isPresent() && PieceMover.places(record.get(), d.pieceIndex(), d.nodeId());
                if (placedAgain || deletePiece(d.nodeId(), new PieceId(d.chunk().bytes(), d.pieceIndex()))) {
                    done.add(d);
                }
            } finally {
                claims.release(d.chunk());
            }
        }
        if (!done.isEmpty()) {
            metadata.clearPieceDeletes(done);
        }
        return done.size();
    }

    /** True when the piece is gone (deleted, already absent, or its node left the cluster). */
    private boolean deletePiece(String node, PieceId id) {
        try {
            return PieceMover.join(nodes.deletePiece(node, id)) || nodes.client(node).isEmpty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot delete piece {} on {} yet: {}", id, node, e.toString());
            return false;
        }
    }

    /**
     * Lists every piece on {@code nodeIds} and deletes those no chunk record places on that node and
     * that no pending write or move intent claims. Returns the number deleted.
     */
    int collectOrphans(List<String> nodeIds) throws IOException {
        int deleted = 0;
        // intents and deferred deletes, read once per scan (moves in flight hold their chunk's claim)
        Set<String> claimedElsewhere = new HashSet<>();
        for (MoveIntent m : metadata.listMoves(Integer.MAX_VALUE)) {
            claimedElsewhere.add(m.chunk() + "." + m.pieceIndex() + "@" + m.toNode());
        }
        for (PieceDelete d : metadata.listPieceDeletes(Integer.MAX_VALUE)) {
            claimedElsewhere.add(d.chunk() + "." + d.pieceIndex() + "@" + d.nodeId()); // deleted when due
        }
        for (String node : nodeIds) {
            Optional<ChunkStoreClient> client = nodes.client(node);
            if (client.isEmpty()) {
                continue;
            }
            PieceId after = null;
            while (true) {
                PiecePage page = PieceMover.join(client.get().list(after, PAGE));
                deleted += collectPage(node, page.pieces(), claimedElsewhere);
                if (page.nextAfter().isEmpty()) {
                    break;
                }
                after = page.nextAfter().get();
            }
        }
        if (deleted > 0) {
            LOG.info("orphan scan deleted {} pieces no chunk record places", deleted);
        }
        return deleted;
    }

    private int collectPage(String node, List<PieceInfo> pieces, Set<String> claimedElsewhere) {
        if (pieces.isEmpty()) {
            return 0;
        }
        Set<ChunkId> ids = new HashSet<>();
        pieces.forEach(p -> ids.add(ChunkId.of(p.id().chunkId())));
        List<ChunkId> list = new ArrayList<>(ids);
        // pending marks before records: a write commits by writing its record and dropping its mark together
        Set<ChunkId> pending = metadata.pendingAmong(list);
        List<Optional<ChunkRecord>> found = metadata.getChunks(list);
        Map<ChunkId, Optional<ChunkRecord>> records = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            records.put(list.get(i), found.get(i));
        }
        int deleted = 0;
        for (PieceInfo p : pieces) {
            ChunkId chunk = ChunkId.of(p.id().chunkId());
            Optional<ChunkRecord> record = records.get(chunk);
            boolean claimed = pending.contains(chunk) || leases.isLeased(chunk)
                    || claimedElsewhere.contains(p.id() + "@" + node)
                    || (record.isPresent() && PieceMover.places(record.get(), p.id().index(), node));
            if (claimed || !claims.tryClaim(chunk)) {
                continue;
            }
            try {
                if (deletePiece(node, p.id())) {
                    deleted++;
                }
            } finally {
                claims.release(chunk);
            }
        }
        return deleted;
    }
}
