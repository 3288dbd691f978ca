package dev.cairn.metadata;

import java.util.List;
import java.util.Optional;

import org.rocksdb.RocksDBException;

import dev.cairn.metadata.MetaCommand.Expire;

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
 */
final class LifecycleCommands {
    private final BucketCommands buckets;
    private final ObjectCommands objects;
    private final VersionRows versions;

    LifecycleCommands(RocksHandles h, BucketCommands buckets, ObjectCommands objects) {
        this.buckets = buckets;
        this.objects = objects;
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
}
