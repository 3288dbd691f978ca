package dev.cairn.chunkstore.node;

import static dev.cairn.chunkstore.node.NodeFixture.randomId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.chunkstore.FilePieceStore;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryPieceListerTest {

    @Test
    void pagesAgreeWithAFullScan(@TempDir Path dir) throws Exception {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            List<PieceId> ids = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                PieceId id = randomId(i % 13);
                ids.add(id);
                store.put(id, ByteBuffer.wrap(new byte[i]));
            }
            // same-prefix chunks and multi-digit indexes
            byte[] chunk = ids.get(0).chunkId();
            for (int index : new int[] {1, 2, 10, 100, 254}) {
                PieceId id = new PieceId(chunk, index);
                if (!ids.contains(id)) {
                    ids.add(id);
                    store.put(id, ByteBuffer.wrap(new byte[7]));
                }
            }
            ids.sort(PieceOrder.COMPARATOR);
            Files.writeString(dir.resolve("pieces").resolve("stray.txt"), "x");
            Path leaf;
            try (Stream<Path> files = Files.walk(dir.resolve("pieces"))) {
                leaf = files.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".txt"))
                        .findFirst().orElseThrow().getParent();
            }
            Files.writeString(leaf.resolve("not-a-piece"), "x");

            for (PieceLister lister : new PieceLister[] {new DirectoryPieceLister(dir, store), PieceLister.scanning(store)}) {
                List<PieceInfo> all = new ArrayList<>();
                PieceId after = null;
                while (true) {
                    PiecePage page = lister.list(after, 17);
                    assertTrue(page.pieces().size() <= 17);
                    all.addAll(page.pieces());
                    if (!page.truncated()) {
                        break;
                    }
                    after = page.nextAfter().orElseThrow();
                }
                assertEquals(ids, all.stream().map(PieceInfo::id).toList(), lister.getClass().getSimpleName());
                for (PieceInfo info : all) {
                    assertEquals(store.head(info.id()), info);
                }
                PiecePage exact = lister.list(null, ids.size());
                assertEquals(ids.size(), exact.pieces().size());
                assertFalse(exact.truncated());
                assertTrue(lister.list(ids.get(ids.size() - 1), 5).pieces().isEmpty());
            }
        }
    }

    @Test
    void emptyStore(@TempDir Path dir) throws Exception {
        try (FilePieceStore store = FilePieceStore.open(dir, 0)) {
            PiecePage page = new DirectoryPieceLister(dir, store).list(null, 10);
            assertTrue(page.pieces().isEmpty());
            assertFalse(page.truncated());
            assertTrue(page.nextAfter().isEmpty());
        }
    }
}
