package dev.cairn.metadata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.cairn.metadata.Fixtures.bucket;
import static dev.cairn.metadata.Fixtures.chunkedObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoveTablesTest {
    @TempDir
    Path dir;

    private static ChunkRecord chunk(String... nodes) {
        List<PieceLocation> pieces = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            pieces.add(new PieceLocation(i, nodes[i], 100, i));
        }
        return new ChunkRecord(ChunkId.random(), 200, Protection.erasure(2, nodes.length - 2), pieces);
    }

    private static RocksMetadataStore open(Path dir) {
        return RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ZERO);
    }

    @Test
    void scanPagesThroughLiveChunksInIdOrderAndSkipsGarbage() {
        try (RocksMetadataStore s = open(dir)) {
            s.createBucket(bucket("b"));
            List<ChunkRecord> live = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                ChunkRecord c = chunk("a", "b", "c");
                s.putObject("b", "k" + i, chunkedObject("e" + i, List.of(c)), List.of(c), null);
                live.add(c);
            }
            s.deleteObject("b", "k3", null); // queued for GC: not a mover's business
            ChunkId gone = live.remove(3).id();
            live.sort((x, y) -> x.id().compareTo(y.id()));

            List<ChunkRecord> seen = new ArrayList<>();
            ChunkId after = null;
            List<ChunkRecord> page;
            while (!(page = s.scanChunks(after, 2)).isEmpty()) {
                assertTrue(page.size() <= 2);
                seen.addAll(page);
                after = page.get(page.size() - 1).id();
            }
            assertEquals(live, seen);
            assertFalse(seen.stream().anyMatch(c -> c.id().equals(gone)));
        }
    }

    @Test
    void updatePiecesCommitsOnlyOverTheExpectedListAndKeepsTheBookkeepingInOneBatch() {
        ChunkRecord c = chunk("a", "b", "c");
        try (RocksMetadataStore s = open(dir)) {
            s.createBucket(bucket("b"));
            s.putObject("b", "k", chunkedObject("e", List.of(c)), List.of(c), null);
            s.recordRepairs(List.of(new RepairRecord(c.id(), 1, "corrupt", "b", 1)));
            MoveIntent intent = new MoveIntent(c.id(), 1, "b", "d", 5);
            s.recordMoves(List.of(intent));
            assertEquals(List.of(intent), s.listMoves(10));

            List<PieceLocation> moved = List.of(c.pieces().get(0), new PieceLocation(1, "d", 100, 1),
                    c.pieces().get(2));
            List<PieceLocation> stale = List.of(c.pieces().get(0), c.pieces().get(2));
            assertFalse(s.updatePieces(c.id(), stale, moved, 77), "a changed piece list refuses the commit");
            assertEquals(List.of(intent), s.listMoves(10));

            assertTrue(s.updatePieces(c.id(), List.of(c.pieces().get(2), c.pieces().get(1), c.pieces().get(0)),
                    moved, 77), "the expected list matches in any order");
            assertEquals(moved, s.getChunks(List.of(c.id())).get(0).orElseThrow().pieces());
            assertEquals(List.of(), s.listMoves(10), "the commit clears the intent");
            assertEquals(List.of(), s.listRepairs(10), "and the repair row of the piece it replaced");
            assertEquals(List.of(new PieceDelete(c.id(), 1, "b", 77)), s.listPieceDeletes(10),
                    "and queues the old location for deletion");
            assertFalse(s.updatePieces(c.id(), c.pieces(), moved, 77), "a second commit over the old list fails");
        }
        try (RocksMetadataStore s = open(dir)) {
            assertEquals(List.of(new PieceDelete(c.id(), 1, "b", 77)), s.listPieceDeletes(10), "synced, durable");
            s.clearPieceDeletes(s.listPieceDeletes(10));
            assertEquals(List.of(), s.listPieceDeletes(10));
        }
    }

    @Test
    void updatePiecesRefusesChunksQueuedForGarbageOrForgotten() {
        try (RocksMetadataStore s = open(dir)) {
            s.createBucket(bucket("b"));
            ChunkRecord c = chunk("a", "b", "c");
            s.putObject("b", "k", chunkedObject("e", List.of(c)), List.of(c), null);
            s.deleteObject("b", "k", null);
            List<PieceLocation> moved = List.of(new PieceLocation(0, "z", 100, 0));
            assertFalse(s.updatePieces(c.id(), c.pieces(), moved, 1), "queued for GC");
            s.forgetChunks(List.of(c.id()));
            assertFalse(s.updatePieces(c.id(), c.pieces(), moved, 1), "forgotten");
            assertTrue(s.getChunks(List.of(c.id())).get(0).isEmpty(), "a refused commit never brings it back");
        }
    }

    @Test
    void intentsSurviveARestartUntilCleared() {
        MoveIntent m = new MoveIntent(ChunkId.random(), 3, "", "n9", 42);
        try (RocksMetadataStore s = open(dir)) {
            s.recordMoves(List.of(m));
        }
        try (RocksMetadataStore s = open(dir)) {
            assertEquals(List.of(m), s.listMoves(10));
            s.clearMoves(List.of(m));
            assertEquals(List.of(), s.listMoves(10));
        }
    }
}
