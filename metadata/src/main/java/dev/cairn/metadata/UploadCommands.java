package dev.cairn.metadata;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.rocksdb.RocksDBException;

/** Applies the multipart upload commands (see {@link MetaCommand}) to a {@link Txn}. */
final class UploadCommands {
    private final RocksHandles h;
    private final BucketCommands buckets;
    private final ObjectCommands objects;
    private final PartTable parts;
    private final ChunkQueues chunks;
    private final StoreCounters counters;
    private final CompletedUploadTable completions;

    UploadCommands(RocksHandles h, BucketCommands buckets, ObjectCommands objects, PartTable parts, ChunkQueues chunks,
                   StoreCounters counters, CompletedUploadTable completions) {
        this.h = h;
        this.buckets = buckets;
        this.objects = objects;
        this.parts = parts;
        this.chunks = chunks;
        this.counters = counters;
        this.completions = completions;
    }

    /** The upload's key; @throws MetadataException.NoSuchUpload when it does not exist. */
    private byte[] requireUpload(Txn t, String bucket, String key, String uploadId, byte[] id) throws RocksDBException {
        if (id == null) {
            throw new MetadataException.NoSuchUpload(uploadId);
        }
        byte[] uploadKey = KeyCodec.uploadKey(bucket, key, id);
        if (!t.exists(h.uploads, uploadKey)) {
            throw new MetadataException.NoSuchUpload(uploadId);
        }
        return uploadKey;
    }

    void create(Txn t, UploadCommand.CreateUpload c) throws RocksDBException {
        UploadRecord u = c.upload();
        buckets.require(t, u.bucket());
        t.put(h.uploads, KeyCodec.uploadKey(u.bucket(), u.key(), KeyCodec.uploadIdBytes(u.uploadId())),
                RecordCodec.encodeUpload(u));
    }

    void putPart(Txn t, UploadCommand.PutPart c) throws RocksDBException {
        buckets.require(t, c.bucket());
        byte[] id = KeyCodec.uploadIdBytes(c.uploadId());
        requireUpload(t, c.bucket(), c.key(), c.uploadId(), id);
        PartRecord old = parts.get(t, id, c.part().partNumber());
        parts.put(t, id, c.part());
        chunks.commit(t, c.newChunks());
        if (old != null) {
            chunks.addGarbage(t, ObjectCommands.unreferenced(old.chunks(), c.part().chunks()), c.garbageDueMillis());
        }
    }

    /**
     * Removes the upload and all its parts and stores the object. Garbage = chunks of all parts and
     * of the replaced object that the new object does not reference: as the object holds exactly
     * the chosen parts' chunks (checked), that is the unchosen parts' chunks plus the replaced data.
     * The completion is recorded for retries.
     */
    MetaResult.Replaced complete(Txn t, UploadCommand.CompleteUpload c) throws RocksDBException {
        buckets.require(t, c.bucket());
        byte[] id = KeyCodec.uploadIdBytes(c.uploadId());
        byte[] uploadKey = requireUpload(t, c.bucket(), c.key(), c.uploadId(), id);
        byte[] objectKey = KeyCodec.objectKey(c.bucket(), c.key());
        Optional<ObjectRecord> current = objects.current(t, c.bucket(), c.key(), objectKey, c.condition());
        t.delete(h.uploads, uploadKey);
        Set<ChunkId> garbage = new LinkedHashSet<>();
        List<PartRecord> removed = parts.deleteAll(t, id, garbage);
        PartTable.requireChosenChunks(removed, c.chosenParts(), c.object().chunks());
        c.object().chunks().forEach(ref -> garbage.remove(ref.id()));
        chunks.addGarbage(t, garbage, c.garbageDueMillis());
        ObjectRecord o = objects.install(t, c.bucket(), c.key(), current, c.object(), c.garbageDueMillis());
        completions.put(t, id, new CompletedUpload(c.bucket(), c.key(), c.uploadId(), o.modifiedMillis(), o.size(),
                o.etag(), o.checksum(), c.partsDigest()));
        return new MetaResult.Replaced(current, o);
    }

    int forgetCompleted(Txn t, UploadCommand.ForgetCompletedUploads c) throws RocksDBException {
        return completions.forget(t, c);
    }

    void abort(Txn t, UploadCommand.AbortUpload c) throws RocksDBException {
        byte[] id = KeyCodec.uploadIdBytes(c.uploadId());
        byte[] uploadKey = requireUpload(t, c.bucket(), c.key(), c.uploadId(), id);
        t.delete(h.uploads, uploadKey);
        Set<ChunkId> garbage = new LinkedHashSet<>();
        parts.deleteAll(t, id, garbage);
        chunks.addGarbage(t, garbage, c.garbageDueMillis());
    }
}
