package dev.cairn.chunkstore.node;

import dev.cairn.chunkstore.PieceException;
import dev.cairn.chunkstore.PieceId;
import dev.cairn.chunkstore.PieceInfo;
import dev.cairn.chunkstore.PieceStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the pieces of a {@link dev.cairn.chunkstore.FilePieceStore} in {@link PieceOrder} by
 * walking its fan-out directories in sorted order ({@code pieces/ab/cd/{piece id}}, ab and cd the
 * first two bytes of the chunk id in hex), skipping the directories before {@code after}. Memory
 * is one leaf directory plus the page; each listed piece costs one header read
 * ({@link PieceStore#head}), so a page costs about {@code limit} file opens, however big the node.
 *
 * <p>This knows the store's directory layout, documented on FilePieceStore; it belongs there as a
 * {@code list(after, limit)} method once that class can grow one. Files that are not pieces are
 * ignored; pieces whose header is corrupt are skipped with a warning, as in
 * {@link PieceStore#forEach}.
 */
public final class DirectoryPieceLister implements PieceLister {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryPieceLister.class);

    private final Path piecesDir;
    private final PieceStore store;

    /**
     * @param storeDir the directory the FilePieceStore was opened on
     * @param store    that store, used to read each listed piece's header
     */
    public DirectoryPieceLister(Path storeDir, PieceStore store) {
        this.piecesDir = storeDir.toAbsolutePath().normalize().resolve("pieces");
        this.store = store;
    }

    @Override
    public PiecePage list(PieceId after, int limit) throws IOException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        String afterHex = after == null ? "" : after.chunkHex();
        List<PieceInfo> out = new ArrayList<>(Math.min(limit, 1024));
        for (String ab : sortedHexDirs(piecesDir)) {
            if (ab.compareTo(prefix(afterHex, 2)) < 0) {
                continue;
            }
            Path abDir = piecesDir.resolve(ab);
            for (String cd : sortedHexDirs(abDir)) {
                if ((ab + cd).compareTo(prefix(afterHex, 4)) < 0) {
                    continue;
                }
                for (PieceId id : sortedPieces(abDir.resolve(cd), after)) {
                    if (out.size() == limit) {
                        return new PiecePage(out, true);
                    }
                    try {
                        out.add(store.head(id));
                    } catch (PieceException.NotFound e) {
                        // deleted while we listed
                    } catch (PieceException.Corrupt e) {
                        LOG.warn("listing skips unreadable piece: {}", e.getMessage());
                    }
                }
            }
        }
        return new PiecePage(out, false);
    }

    private static String prefix(String hex, int n) {
        return hex.length() >= n ? hex.substring(0, n) : hex;
    }

    /** Sub-directories named by two lowercase hex digits, sorted; none when the directory is absent. */
    private static List<String> sortedHexDirs(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (isHexByte(name) && Files.isDirectory(p)) {
                    names.add(name);
                }
            }
        } catch (NoSuchFileException e) {
            return names;
        }
        names.sort(null);
        return names;
    }

    /** The piece ids in one leaf directory that come after {@code after}, sorted. */
    private static List<PieceId> sortedPieces(Path leaf, PieceId after) throws IOException {
        List<PieceId> ids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(leaf)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                PieceId id;
                try {
                    id = PieceId.parse(name);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (!id.toString().equals(name)) {
                    continue;
                }
                if (after == null || PieceOrder.COMPARATOR.compare(id, after) > 0) {
                    ids.add(id);
                }
            }
        } catch (NoSuchFileException e) {
            return ids;
        }
        ids.sort(PieceOrder.COMPARATOR);
        return ids;
    }

    private static boolean isHexByte(String name) {
        return name.length() == 2 && isHex(name.charAt(0)) && isHex(name.charAt(1));
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}
