package dev.cairn.chunkstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PieceStore} on one local directory, one file per piece.
 *
 * <pre>
 * dir/LOCK                      held (FileLock) while the store is open: one owner per directory
 * dir/tmp/                      writes in progress; emptied at open
 * dir/pieces/ab/cd/{piece id}   ab, cd = first two bytes of the chunk id in hex
 * </pre>
 *
 * Each piece file is in the versioned format of {@link PieceFileFormat} (big-endian):
 *
 * <pre>
 * 0..3 magic "CRNP" | 4 version (1) | 5..7 reserved | 8..11 block size B (65536)
 * 12..19 piece length L | 20..23 CRC32C of all L bytes | 24..27 reserved | 28..31 CRC32C of bytes 0..27
 * 32.. block i at 32 + i*(B+4): min(B, L - i*B) data bytes, then their CRC32C (4 bytes)
 * file size = 32 + L + 4*ceil(L/B); anything else is corruption
 * </pre>
 *
 * File names come only from {@link PieceId#toString()}, never from client input. Used bytes
 * count whole files (header and block checksums included, see {@link #fileSize(long)}).
 *
 * <p>Design note. A put writes a temp file with one gathering write, forces it, renames it over
 * the target and forces the directory; new fan-out directories are forced into their parents
 * the first time this process uses them. Space is reserved before the write (temp files are real
 * usage) and settled under a per-id striped lock when the rename happens, so same-id puts and
 * deletes keep {@link #usedBytes()} and {@link #pieceCount()} exact; the last rename wins. The
 * capacity check is exact for sequential calls; concurrent puts replacing the same piece may
 * briefly overshoot it, as each counts the old file as freed. Reads open the file per call and use positional reads, so
 * they never contend; a piece replaced or deleted during a read is read whole from the old file.
 */
public final class FilePieceStore implements PieceStore {
    private static final Logger LOG = LoggerFactory.getLogger(FilePieceStore.class);
    private static final int STRIPES = 256;
    private static final long ABSENT = -1;

    private final Path dir;
    private final Path piecesDir;
    private final Path tmpDir;
    private final long capacityBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final AtomicLong usedBytes = new AtomicLong();
    private final AtomicLong pieceCount = new AtomicLong();
    private final AtomicLong tmpSeq = new AtomicLong();
    private final Object[] stripes = new Object[STRIPES];
    private final Set<Path> syncedDirs = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private FilePieceStore(Path dir, long capacityBytes, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.piecesDir = dir.resolve("pieces");
        this.tmpDir = dir.resolve("tmp");
        this.capacityBytes = Math.max(0, capacityBytes);
        this.lockChannel = lockChannel;
        this.lock = lock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Opens (creating if needed) a store in {@code dir}: takes the directory lock, empties
     * {@code tmp/} and scans the pieces to compute used bytes and count.
     *
     * @param capacityBytes the most bytes of piece files to hold; {@code <= 0} means unlimited
     * @throws IOException when the directory is unusable or already open by another store
     */
    public static FilePieceStore open(Path dir, long capacityBytes) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        createDirDurably(root);
        FileChannel lockChannel = FileChannel.open(root.resolve("LOCK"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("piece store already open: " + root);
        }
        FilePieceStore store = new FilePieceStore(root, capacityBytes, lockChannel, lock);
        try {
            createDirDurably(store.piecesDir);
            createDirDurably(store.tmpDir);
            store.cleanTmp();
            store.scan();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("opened piece store {}: {} pieces, {} bytes used, capacity {}", root,
                store.pieceCount.get(), store.usedBytes.get(), capacityBytes > 0 ? capacityBytes : "unlimited");
        return store;
    }

    /** Bytes a piece of {@code length} data bytes occupies on disk (header and block checksums included). */
    public static long fileSize(long length) {
        return PieceFileFormat.fileSize(length, PieceFileFormat.BLOCK_SIZE);
    }

    @Override
    public PieceInfo put(PieceId id, ByteBuffer data) throws IOException {
        return put(id, data, -1);
    }

    /** The version is kept as the file's modification time (set before the file is synced). */
    @Override
    public PieceInfo put(PieceId id, ByteBuffer data, long versionMillis) throws IOException {
        ensureOpen();
        ByteBuffer src = data.duplicate();
        long length = src.remaining();
        long need = fileSize(length);
        Path target = pathOf(id);
        reserve(need, sizeOrAbsent(target));
        Path tmp = tmpDir.resolve(id + "." + tmpSeq.incrementAndGet() + ".tmp");
        boolean renamed = false;
        try {
            PieceFileFormat.Encoded encoded = PieceFileFormat.encode(src);
            ByteBuffer[] parts = encoded.parts();
            int crc = encoded.crc32c();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                PieceFileFormat.writeFully(ch, parts);
                if (versionMillis >= 0) {
                    Files.setLastModifiedTime(tmp, FileTime.fromMillis(versionMillis));
                }
                ch.force(true);
            }
            Path leaf = target.getParent();
            ensureFanOut(leaf);
            synchronized (stripeOf(id)) {
                long old = sizeOrAbsent(target);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                renamed = true;
                if (old == ABSENT) {
                    pieceCount.incrementAndGet();
                } else {
                    usedBytes.addAndGet(-old);
                }
            }
            fsyncDir(leaf);
            return new PieceInfo(id, length, crc);
        } finally {
            if (!renamed) {
                usedBytes.addAndGet(-need);
                deleteQuietly(tmp);
            }
        }
    }

    @Override
    public ByteBuffer read(PieceId id, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        ensureOpen();
        try (FileChannel ch = openForRead(id)) {
            PieceFileFormat.Header h = PieceFileFormat.readHeader(ch, id);
            if (offset >= h.length() || length == 0) {
                return ByteBuffer.allocate(0);
            }
            long end = Math.min(h.length(), offset + length);
            ByteBuffer out = ByteBuffer.allocate((int) (end - offset));
            long bs = h.blockSize();
            PieceFileFormat.readBlocks(ch, id, h, offset / bs, (end - 1) / bs, (block, data) -> {
                long blockStart = block * bs;
                long from = Math.max(offset, blockStart);
                long to = Math.min(end, blockStart + data.remaining());
                out.put((int) (from - offset), data, data.position() + (int) (from - blockStart), (int) (to - from));
            });
            return out;
        }
    }

    @Override
    public int readInto(PieceId id, long offset, ByteBuffer dst) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("bad offset " + offset);
        }
        ensureOpen();
        try (FileChannel ch = openForRead(id)) {
            PieceFileFormat.Header h = PieceFileFormat.readHeader(ch, id);
            if (offset >= h.length() || !dst.hasRemaining()) {
                return 0;
            }
            int n = (int) Math.min(dst.remaining(), h.length() - offset);
            ByteBuffer range = dst.slice(dst.position(), n);
            PieceFileFormat.readInto(ch, id, h, offset, range);
            dst.position(dst.position() + n);
            return n;
        }
    }

    /**
     * Opens piece bytes {@code [offset, offset + length)} (clamped to the piece) after verifying
     * every block they touch, one pass over the blocks through a small window: the pages read are
     * then in the page cache, where the send finds them.
     */
    @Override
    public PieceRange openRange(PieceId id, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range: offset " + offset + ", length " + length);
        }
        ensureOpen();
        FileChannel ch = openForRead(id);
        try {
            PieceFileFormat.Header h = PieceFileFormat.readHeader(ch, id);
            int n = (int) Math.max(0, Math.min(length, h.length() - offset));
            if (n > 0) {
                long bs = h.blockSize();
                PieceFileFormat.readBlocks(ch, id, h, offset / bs, (offset + n - 1) / bs, (block, data) -> { });
            }
            return new PieceRange(id, ch, h, offset, n);
        } catch (IOException | RuntimeException | Error e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public boolean servesRanges() {
        return true;
    }

    @Override
    public PieceInfo head(PieceId id) throws IOException {
        ensureOpen();
        try (FileChannel ch = openForRead(id)) {
            PieceFileFormat.Header h = PieceFileFormat.readHeader(ch, id);
            return new PieceInfo(id, h.length(), h.crc32c());
        }
    }

    @Override
    public boolean delete(PieceId id) throws IOException {
        return delete(id, Long.MAX_VALUE);
    }

    @Override
    public boolean delete(PieceId id, long signedMillis) throws IOException {
        ensureOpen();
        Path target = pathOf(id);
        synchronized (stripeOf(id)) {
            long size = sizeOrAbsent(target);
            if (size == ABSENT) {
                return false;
            }
            if (signedMillis != Long.MAX_VALUE) {
                long version;
                try {
                    version = Files.getLastModifiedTime(target).toMillis();
                } catch (NoSuchFileException e) {
                    return false;
                }
                if (version > signedMillis) {
                    throw new PieceException.Stale(id, version, signedMillis);
                }
            }
            try {
                Files.delete(target);
            } catch (NoSuchFileException e) {
                return false; // only possible if something outside this store removed it
            }
            usedBytes.addAndGet(-size);
            pieceCount.decrementAndGet();
            return true;
        }
    }

    @Override
    public void forEach(Consumer<PieceInfo> sink) throws IOException {
        ensureOpen();
        walk(file -> {
            PieceId id = pieceIdOf(file);
            if (id == null) {
                return;
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                PieceFileFormat.Header h = PieceFileFormat.readHeader(ch, id);
                sink.accept(new PieceInfo(id, h.length(), h.crc32c()));
            } catch (NoSuchFileException e) {
                // deleted while we walked
            } catch (PieceException.Corrupt e) {
                LOG.warn("skipping unreadable piece {}: {}", file, e.getMessage());
            }
        });
    }

    @Override
    public boolean verify(PieceId id) throws IOException {
        ensureOpen();
        try (FileChannel ch = openForRead(id)) {
            PieceFileFormat.Header h = PieceFileFormat.readHeader(ch, id);
            CRC32C whole = new CRC32C();
            if (h.length() > 0) {
                PieceFileFormat.readBlocks(ch, id, h, 0, h.blockCount() - 1, (block, data) -> whole.update(data));
            }
            if ((int) whole.getValue() != h.crc32c()) {
                LOG.warn("piece {} fails its whole-piece checksum", id);
                return false;
            }
            return true;
        } catch (PieceException.Corrupt e) {
            LOG.warn("{}", e.getMessage());
            return false;
        }
    }

    @Override
    public long capacityBytes() {
        return capacityBytes;
    }

    @Override
    public long usedBytes() {
        return usedBytes.get();
    }

    @Override
    public long pieceCount() {
        return pieceCount.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            lock.release();
        } catch (IOException e) {
            LOG.warn("releasing lock of {}", dir, e);
        }
        try {
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("closing lock of {}", dir, e);
        }
    }

    @Override
    public String toString() {
        return "FilePieceStore[" + dir + "]";
    }

    /** Where a piece lives; the file name is the piece id's text form. */
    Path pathOf(PieceId id) {
        String hex = id.chunkHex();
        return piecesDir.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(id.toString());
    }

    private void reserve(long need, long old) throws PieceException.CapacityExceeded {
        long freed = old == ABSENT ? 0 : old;
        while (true) {
            long used = usedBytes.get();
            if (capacityBytes > 0 && used + need - freed > capacityBytes) {
                throw new PieceException.CapacityExceeded(dir.toString(), need, Math.max(0, capacityBytes - used + freed));
            }
            if (usedBytes.compareAndSet(used, used + need)) {
                return;
            }
        }
    }

    /** Creates the fan-out directories if needed; forces each into its parent once per process. */
    private void ensureFanOut(Path leaf) throws IOException {
        if (syncedDirs.contains(leaf)) {
            return;
        }
        Path mid = leaf.getParent();
        if (!syncedDirs.contains(mid)) {
            createDir(mid);
            fsyncDir(piecesDir);
            syncedDirs.add(mid);
        }
        createDir(leaf);
        fsyncDir(mid);
        syncedDirs.add(leaf);
    }

    private Object stripeOf(PieceId id) {
        int h = id.hashCode();
        return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    // ---- read helpers ----

    private FileChannel openForRead(PieceId id) throws IOException {
        try {
            return FileChannel.open(pathOf(id), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new PieceException.NotFound(id);
        }
    }

    private void ensureOpen() throws PieceException {
        if (closed) {
            throw new PieceException.Unavailable("piece store closed: " + dir, null);
        }
    }

    // ---- open: tmp cleanup and scan ----

    private void cleanTmp() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir)) {
            for (Path f : files) {
                try {
                    Files.delete(f);
                    removed++;
                } catch (IOException e) {
                    LOG.warn("cannot remove leftover temp file {}", f, e);
                }
            }
        }
        if (removed > 0) {
            LOG.info("removed {} unfinished writes from {}", removed, tmpDir);
        }
    }

    private void scan() throws IOException {
        walk(file -> {
            if (pieceIdOf(file) == null) {
                return;
            }
            long size = sizeOrAbsent(file);
            if (size != ABSENT) {
                usedBytes.addAndGet(size);
                pieceCount.incrementAndGet();
            }
        });
    }

    @FunctionalInterface
    private interface FileVisitor {
        void visit(Path file) throws IOException;
    }

    /** Visits every regular file two levels below pieces/, logging anything else found there. */
    private void walk(FileVisitor visitor) throws IOException {
        try (DirectoryStream<Path> level1 = Files.newDirectoryStream(piecesDir)) {
            for (Path ab : level1) {
                if (!Files.isDirectory(ab)) {
                    LOG.warn("ignoring stray file {}", ab);
                    continue;
                }
                try (DirectoryStream<Path> level2 = Files.newDirectoryStream(ab)) {
                    for (Path cd : level2) {
                        if (!Files.isDirectory(cd)) {
                            LOG.warn("ignoring stray file {}", cd);
                            continue;
                        }
                        try (DirectoryStream<Path> files = Files.newDirectoryStream(cd)) {
                            for (Path f : files) {
                                visitor.visit(f);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The piece id a file stands for, or null (logged) when it is not a piece file in its right place. */
    private PieceId pieceIdOf(Path file) {
        String name = file.getFileName().toString();
        PieceId id;
        try {
            id = PieceId.parse(name);
        } catch (IllegalArgumentException e) {
            id = null;
        }
        if (id == null || !id.toString().equals(name) || !pathOf(id).equals(file)) {
            LOG.warn("ignoring file that is not a piece in its place: {}", file);
            return null;
        }
        return id;
    }

    // ---- file system helpers ----

    /**
     * A file's size, or {@link #ABSENT}. Asked before every put, where the target is almost always
     * new: {@link java.io.File} answers without throwing (and filling in) an exception for that.
     */
    private static long sizeOrAbsent(Path file) throws IOException {
        java.io.File f = file.toFile();
        long size = f.length();
        if (size > 0) {
            return size;
        }
        if (!f.exists()) {
            return ABSENT;
        }
        try {
            return Files.size(file); // 0 bytes, or an error File.length() cannot tell apart
        } catch (NoSuchFileException e) {
            return ABSENT;
        }
    }

    private static void createDir(Path d) throws IOException {
        try {
            Files.createDirectory(d);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(d)) {
                throw e;
            }
        }
    }

    private static void createDirDurably(Path d) throws IOException {
        if (Files.isDirectory(d)) {
            return;
        }
        Path parent = d.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            createDirDurably(parent);
        }
        createDir(d);
        if (parent != null) {
            fsyncDir(parent);
        }
    }

    /** Forces a directory's entries to disk (opening a directory for READ works on Linux). */
    static void fsyncDir(Path d) throws IOException {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            LOG.warn("cannot remove temp file {}", f, e);
        }
    }
}
