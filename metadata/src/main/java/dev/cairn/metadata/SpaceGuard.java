package dev.cairn.metadata;

import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Keeps the metadata disk from filling up, as the {@link LocalCommitter.Guard} of the store's
 * committer: commands that grow the data of clients (objects, parts, buckets, their settings) are
 * refused before they are queued while the disk's free space - less what RocksDB needs to flush
 * its memtables - is below the reserve, so deletes - and the cluster's own bookkeeping - can still
 * be applied and free space. A group RocksDB itself fails for lack of space (the reserve was too
 * small, or something else filled the disk) is reported the same way, and growing commands are
 * refused until a group is written again (RocksDB resumes by itself once space is freed: it has
 * an SstFileManager). Entering and leaving the full state is logged once each. The free space is
 * read at most twice a second.
 *
 * <p>The check is the committer's, not the state machine's: it reads the local disk, which
 * differs between replicas, so it decides whether a command is proposed, never what applying it
 * does.
 */
final class SpaceGuard implements LocalCommitter.Guard {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceGuard.class);
    private static final long CHECK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** The commands refused below the reserve: everything that stores more of a client's data. */
    static final Set<MetaCommand.Type> GROWING = EnumSet.of(MetaCommand.Type.CREATE_BUCKET,
            MetaCommand.Type.PUT_OBJECT, MetaCommand.Type.MARK_PENDING, MetaCommand.Type.CREATE_UPLOAD,
            MetaCommand.Type.PUT_PART, MetaCommand.Type.COMPLETE_UPLOAD, MetaCommand.Type.PUT_BUCKET_CONFIG,
            MetaCommand.Type.SET_DEFAULT_STORAGE_CLASS, MetaCommand.Type.SET_OBJECT_TAGS,
            MetaCommand.Type.SET_OBJECT_ACL);

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

    /** Refuses a growing command while free space is below the reserve, or RocksDB failed for space. */
    @Override
    public void admit(MetaCommand<?> command) {
        if (!GROWING.contains(command.type()) || (reserve <= 0 && !engineFailed)) {
            return;
        }
        long free = usable();
        if (free < reserve || engineFailed) {
            enter(free, null);
            throw new MetadataException.OutOfSpace(message(free), null);
        }
        leave(free);
    }

    /** A group was written: RocksDB writes again (it resumes by itself once space is freed). */
    @Override
    public void written(List<? extends MetaCommand<?>> group) {
        if (engineFailed) {
            engineFailed = false;
            leave(usable());
        }
    }

    /** OutOfSpace when RocksDB failed the group for lack of space; else {@code e}. */
    @Override
    public RuntimeException failed(RuntimeException e) {
        if (e.getCause() instanceof RocksDBException r && isNoSpace(r)) {
            engineFailed = true;
            long free = usable();
            enter(free, r);
            return new MetadataException.OutOfSpace(message(free), r);
        }
        return e;
    }

    private static boolean isNoSpace(RocksDBException e) {
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
