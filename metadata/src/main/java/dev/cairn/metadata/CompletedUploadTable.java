package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The {@code completed_uploads} and {@code completed_by_time} column families (see
 * {@link MetadataSchema}): what each recently completed multipart upload answered, and their
 * completion order, so that old rows go in a scan from the start. Apply methods add to a command's
 * {@link Txn}; {@link #get} reads the database. Callers handle RocksDBException.
 */
final class CompletedUploadTable {
    private final RocksHandles h;

    CompletedUploadTable(RocksHandles h) {
        this.h = h;
    }

    /** Adds the row of a completion to the completing command. */
    void put(Txn t, byte[] uploadId, CompletedUpload completed) throws RocksDBException {
        t.put(h.completedUploads, uploadId, RecordCodec.encodeCompletedUpload(completed));
        t.put(h.completedByTime, KeyCodec.timedUploadKey(completed.completedMillis(), uploadId), new byte[0]);
    }

    /** The completion of that upload, or null. */
    CompletedUpload get(byte[] uploadId) throws RocksDBException {
        byte[] v = h.db.get(h.completedUploads, uploadId);
        return v == null ? null : RecordCodec.decodeCompletedUpload(v);
    }

    /**
     * Removes up to {@code c.limit()} completions made before {@code c.completedBeforeMillis()},
     * oldest first.
     *
     * @return how many were removed
     */
    int forget(Txn t, UploadCommand.ForgetCompletedUploads c) throws RocksDBException {
        byte[] bound = KeyCodec.longBytes(Math.max(0, c.completedBeforeMillis()));
        List<byte[]> keys = new ArrayList<>();
        try (RocksIterator it = t.iterator(h.completedByTime)) {
            for (it.seekToFirst(); it.isValid() && keys.size() < c.limit(); it.next()) {
                byte[] k = it.key();
                if (Arrays.compareUnsigned(k, 0, bound.length, bound, 0, bound.length) >= 0) {
                    break;
                }
                keys.add(k);
            }
            it.status();
        }
        for (byte[] k : keys) {
            t.delete(h.completedByTime, k);
            t.delete(h.completedUploads, KeyCodec.timedUploadId(k));
        }
        return keys.size();
    }
}
