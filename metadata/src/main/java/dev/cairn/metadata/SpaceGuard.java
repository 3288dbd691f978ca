package dev.cairn.metadata;

import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps the metadata disk from filling up. Writes that grow the data of clients (objects, parts,
 * buckets, their settings) are refused while the disk's free space - less what RocksDB needs to
 * flush its memtables - is below the reserve, so
 * deletes - and the cluster's own bookkeeping - can still write and free space. A write RocksDB
 * itself fails for lack of space (the reserve was too small, or something else filled the disk)
 * is reported the same way (RocksDB resumes by itself once space is freed: it has an
 * SstFileManager). Entering and leaving the full state is logged once each. The free space is
 * read at most twice a second.
 */
final class SpaceGuard {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceGuard.class);
    private static final long CHECK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The operations refused below the reserve: everything that stores more of a client's data. */
    static final Set<String> GROWING = Set.of("createBucket", "putObject", "markPending", "createUpload", "putPart",
            "completeUpload", "putBucketConfig", "setDefaultStorageClass", "setObjectTags");
    /** The writes still accepted below the reserve (deletes and the cluster's bookkeeping). */
    static final Set<String> OTHER_WRITES = Set.of("deleteObject", "deleteBucket", "abortUpload", "putNodes",
            "recordRepairs", "clearRepairs", "dropPending", "forgetChunks", "updatePieces", "recordMoves", "clearMoves",
            "clearPieceDeletes");

    private final Path dir;
    private final FileStore store;
    private final long reserve;
    private final LongSupplier unflushed;
    private volatile long checkedAtNanos;
    private volatile long usable = Long.MAX_VALUE;
    private volatile boolean full;
    private volatile boolean engineFailed; // RocksDB hit ENOSPC: resume once there is room

    /**
     * @param unflushed bytes RocksDB holds in memtables: it needs that much disk again to flush
     *                  them, so it counts as used
     */
    SpaceGuard(Path dir, long reserveBytes, LongSupplier unflushed) {
        this.dir = dir;
        this.reserve = reserveBytes;
        this.unflushed = unflushed;
        FileStore fs = null;
        try {
            fs = Files.getFileStore(dir);
        } catch (IOException e) {
            LOG.warn("cannot watch free space of {}: {}", dir, e.toString());
        }
        this.store = fs;
    }

    /** Refuses a growing write while free space is below the reserve. */
    void beforeWrite(String what) {
        if (!GROWING.contains(what) || (reserve <= 0 && !engineFailed)) {
            return;
        }
        long free = usable();
        if (free < reserve || engineFailed) {
            enter(free, null);
            throw new MetadataException.OutOfSpace(message(free), null);
        }
        leave(free);
    }

    /** The OutOfSpace a RocksDB failure stands for, or null when it is not about space. */
    MetadataException.OutOfSpace translate(RocksDBException e) {
        if (!isNoSpace(e)) {
            return null;
        }
        engineFailed = true;
        long free = usable();
        enter(free, e);
        return new MetadataException.OutOfSpace(message(free), e);
    }

    /** A write went through: RocksDB writes again (it resumes by itself once space is freed). */
    void succeeded(String what) {
        if (engineFailed && OTHER_WRITES.contains(what)) {
            engineFailed = false;
            leave(usable());
        }
    }

    static boolean isNoSpace(RocksDBException e) {
        Status s = e.getStatus();
        if (s != null && s.getSubCode() == Status.SubCode.NoSpace) {
            return true;
        }
        String m = String.valueOf(e.getMessage());
        return m.contains("No space left on device") || m.contains("Max allowed space");
    }

    private long usable() {
        if (store == null) {
            return Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        if (now - checkedAtNanos > CHECK_EVERY_NANOS) {
            try {
                usable = store.getUsableSpace() - unflushed.getAsLong();
            } catch (IOException | RuntimeException e) {
                usable = Long.MAX_VALUE;
            }
            checkedAtNanos = now;
        }
        return usable;
    }

    private String message(long free) {
        return "the metadata disk is full (" + (free == Long.MAX_VALUE ? "?" : free >> 20) + " MiB free, "
                + (reserve >> 20) + " MiB kept for deletes): only deletes are accepted until space is freed";
    }

    private void enter(long free, RocksDBException cause) {
        if (!full) {
            full = true;
            LOG.warn("metadata disk {} is full: {} bytes free, reserve {}{}; refusing writes other than deletes", dir,
                    free, reserve, cause == null ? "" : " (RocksDB: " + cause.getMessage() + ")");
        }
    }

    private void leave(long free) {
        if (full && !engineFailed && free >= reserve) {
            full = false;
            LOG.info("metadata disk {} has room again ({} bytes free): accepting writes", dir, free);
        }
    }
}
