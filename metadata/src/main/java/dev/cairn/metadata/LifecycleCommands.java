package dev.cairn.metadata;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.rocksdb.RocksDBException;

import dev.cairn.metadata.MetaCommand.Expire;
import dev.cairn.metadata.MetaCommand.Transition;

/**
 * Applies {@link Expire}, the lifecycle worker's one command.
 *
 * <p>Design note. The worker decides from a read of the key's versions made before the command is
 * applied; between that read and the apply a client may have written the key again, deleted a
 * newer version (making the expired one current again) or replaced a null version. So the command
 * names the version it read (id, seq and modification time: a replaced null version or an
 * overwritten unversioned object has another seq or time) and where it stood, and this class
 * checks both against the state the command meets; only then does it do exactly what the S3
 * delete of that version does ({@link ObjectCommands#deleteKey} or
 * {@link ObjectCommands#deleteVersion}), so usage counts, garbage and object lock are handled in
 * one place. A version under a legal hold or a retention in force is never removed: DeleteVersion
 * rejects it, and lifecycle has no governance bypass.
 *
 * <p>{@link Transition} is the same compare-and-set on a version's data: the worker re-protected
 * the chunks it read, and the swap applies only while the version still has exactly those chunks;
 * the new chunk records are committed as a PUT commits them (their pending marks must belong to an
 * open epoch), and the old chunks no other version of the key uses go to the garbage queue, where
 * read leases keep them for GETs still streaming them.
 */
final class LifecycleCommands {
    private final BucketCommands buckets;
    private final ObjectCommands objects;
    private final VersionRows versions;

    private final RocksHandles h;
    private final ChunkQueues chunks;

    LifecycleCommands(RocksHandles h, BucketCommands buckets, ObjectCommands objects, ChunkQueues chunks) {
        this.h = h;
        this.buckets = buckets;
        this.objects = objects;
        this.chunks = chunks;
        this.versions = new VersionRows(h);
    }

    MetaResult.Replaced expire(Txn t, Expire c) throws RocksDBException {
        buckets.require(t, c.bucket());
        Optional<ObjectRecord> current = objects.read(t, KeyCodec.objectKey(c.bucket(), c.key()));
        List<VersionRows.Row> rows = versions.all(t, c.bucket(), c.key());
        switch (c.target()) {
            case CURRENT -> {
                if (current.isEmpty() || !same(current.get(), c)) {
                    throw gone(c, "is no longer the current object");
                }
                return objects.deleteKey(t, new MetaCommand.DeleteKey(c.bucket(), c.key(), WriteCondition.NONE,
                        c.marker(), c.garbageDueMillis()));
            }
            case NONCURRENT -> {
                boolean noncurrent = rows.stream().anyMatch(r -> same(r.record(), c))
                        && (current.isPresent() || !same(rows.get(0).record(), c));
                if (!noncurrent) {
                    throw gone(c, "is no longer a noncurrent version");
                }
            }
            case LONE_DELETE_MARKER -> {
                boolean lone = current.isEmpty() && rows.size() == 1 && rows.get(0).record().isDeleteMarker()
                        && same(rows.get(0).record(), c);
                if (!lone) {
                    throw gone(c, "is no longer a delete marker without other versions");
                }
            }
        }
        return objects.deleteVersion(t, new MetaCommand.DeleteVersion(c.bucket(), c.key(), c.versionId(),
                c.garbageDueMillis(), c.nowMillis(), false));
    }

    private static boolean same(ObjectRecord o, Expire c) {
        return o.versionId().equals(c.versionId()) && o.versionSeq() == c.seq()
                && o.modifiedMillis() == c.modifiedMillis();
    }

    private static MetadataException.PreconditionFailed gone(Expire c, String what) {
        return new MetadataException.PreconditionFailed("version " + c.versionId() + " of " + c.bucket() + "/"
                + c.key() + " " + what);
    }

    ObjectRecord transition(Txn t, Transition c) throws RocksDBException {
        buckets.require(t, c.bucket());
        requireConsistent(c);
        byte[] objectKey = KeyCodec.objectKey(c.bucket(), c.key());
        Optional<ObjectRecord> current = objects.read(t, objectKey);
        List<VersionRows.Row> rows = versions.all(t, c.bucket(), c.key());
        ObjectRecord found = null;
        byte[] foundRow = null;
        List<ObjectRecord> others = new java.util.ArrayList<>();
        if (current.isPresent() && same(current.get(), c)) {
            found = current.get();
        } else {
            current.ifPresent(others::add);
        }
        for (VersionRows.Row r : rows) {
            if (found == null && same(r.record(), c)) {
                found = r.record();
                foundRow = r.rowKey();
            } else {
                others.add(r.record());
            }
        }
        if (found == null || found.isDeleteMarker()) {
            throw new MetadataException.PreconditionFailed("version " + c.versionId() + " of " + c.bucket() + "/"
                    + c.key() + " is gone or was replaced");
        }
        if (!found.chunks().equals(c.expected())) {
            throw new MetadataException.PreconditionFailed("the data of version " + c.versionId() + " of "
                    + c.bucket() + "/" + c.key() + " changed since it was read");
        }
        chunks.commit(t, c.newChunks());
        ObjectRecord updated = found.withStorage(c.updated(), c.storageClass());
        if (foundRow == null) {
            t.put(h.objects, objectKey, RecordCodec.encodeObject(updated));
        } else {
            t.put(h.versions, foundRow, RecordCodec.encodeObject(updated));
        }
        Set<ChunkId> freed = ObjectCommands.unreferenced(c.expected(), c.updated());
        for (ObjectRecord o : others) {
            o.chunks().forEach(ref -> freed.remove(ref.id()));
        }
        chunks.addGarbage(t, freed, c.garbageDueMillis());
        return updated;
    }

    private static boolean same(ObjectRecord o, Transition c) {
        return o.versionId().equals(c.versionId()) && o.versionSeq() == c.seq()
                && o.modifiedMillis() == c.modifiedMillis();
    }

    /**
     * The swap keeps the object's bytes: the same number of chunks of the same sizes, and every
     * chunk that changes is one of the new ones (and every new one is used).
     */
    private static void requireConsistent(Transition c) {
        Set<ChunkId> fresh = new HashSet<>();
        c.newChunks().forEach(n -> fresh.add(n.id()));
        Set<ChunkId> used = new LinkedHashSet<>();
        boolean ok = c.expected().size() == c.updated().size();
        for (int i = 0; ok && i < c.updated().size(); i++) {
            ChunkRef before = c.expected().get(i);
            ChunkRef after = c.updated().get(i);
            ok = before.size() == after.size() && (before.id().equals(after.id()) || fresh.contains(after.id()));
            if (!before.id().equals(after.id())) {
                used.add(after.id());
            }
        }
        if (!ok || !used.equals(fresh)) {
            throw new MetadataException.Conflict("a transition of " + c.bucket() + "/" + c.key()
                    + " must swap chunks of the same sizes for new ones it brings");
        }
    }
}
