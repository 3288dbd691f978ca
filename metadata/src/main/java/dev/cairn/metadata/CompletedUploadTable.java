package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * The {@code completed_uploads} and {@code completed_by_time} column families (see
 * {@link MetadataSchema}): what each recently completed multipart upload answered, and their
 * completion order, so that old rows go in a scan from the start. Callers handle RocksDBException.
 */
final class CompletedUploadTable {
    private final RocksHandles h;

    CompletedUploadTable(RocksHandles h) {
        this.h = h;
    }

    /** Adds the row of a completion to the completion's batch. */
    void put(WriteBatch batch, byte[] uploadId, CompletedUpload completed) throws RocksDBException {
        batch.put(h.completedUploads, uploadId, RecordCodec.encodeCompletedUpload(completed));
        batch.put(h.completedByTime, KeyCodec.timedUploadKey(completed.completedMillis(), uploadId), new byte[0]);
    }

    /** The completion of that upload, or null. */
    CompletedUpload get(byte[] uploadId) throws RocksDBException {
        byte[] v = h.db.get(h.completedUploads, uploadId);
        return v == null ? null : RecordCodec.decodeCompletedUpload(v);
    }

    /**
     * Removes up to {@code limit} completions made before {@code beforeMillis}, oldest first (not
     * synced: after a crash the same rows are simply removed again).
     *
     * @return how many were removed
     */
    int forgetBefore(long beforeMillis, int limit) throws RocksDBException {
        List<byte[]> keys = new ArrayList<>();
        try (Slice bound = new Slice(KeyCodec.longBytes(Math.max(0, beforeMillis)));
             ReadOptions ro = new ReadOptions().setIterateUpperBound(bound);
             RocksIterator it = h.db.newIterator(h.completedByTime, ro)) {
            for (it.seekToFirst(); it.isValid() && keys.size() < limit; it.next()) {
                keys.add(it.key());
            }
            it.status();
        }
        if (keys.isEmpty()) {
            return 0;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (byte[] k : keys) {
                batch.delete(h.completedByTime, k);
                batch.delete(h.completedUploads, KeyCodec.timedUploadId(k));
            }
            h.db.write(h.unsynced, batch);
        }
        return keys.size();
    }
}
