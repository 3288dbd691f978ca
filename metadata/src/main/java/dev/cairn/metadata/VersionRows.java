package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The {@code versions} column family inside a command: a key's versions other than its current
 * object (noncurrent versions and delete markers), newest first. The current object, when the
 * newest version is not a delete marker, stays in {@code objects}, so ListObjects never sees
 * the rows kept here.
 */
final class VersionRows {
    private final RocksHandles h;

    VersionRows(RocksHandles h) {
        this.h = h;
    }

    /** One stored version: its row key and record. */
    record Row(byte[] rowKey, ObjectRecord record) {
    }

    /** Every version row of bucket/key, newest first. */
    List<Row> all(Txn t, String bucket, String key) throws RocksDBException {
        byte[] prefix = KeyCodec.versionKeyPrefix(bucket, key);
        List<Row> out = new ArrayList<>();
        try (RocksIterator it = t.iterator(h.versions)) {
            for (it.seek(prefix); it.isValid() && KeyCodec.startsWith(it.key(), prefix); it.next()) {
                out.add(new Row(it.key(), RecordCodec.decodeObject(it.value())));
            }
            it.status();
        }
        return out;
    }

    /** The newest version row of bucket/key. */
    Optional<Row> newest(Txn t, String bucket, String key) throws RocksDBException {
        byte[] prefix = KeyCodec.versionKeyPrefix(bucket, key);
        try (RocksIterator it = t.iterator(h.versions)) {
            it.seek(prefix);
            Optional<Row> out = it.isValid() && KeyCodec.startsWith(it.key(), prefix)
                    ? Optional.of(new Row(it.key(), RecordCodec.decodeObject(it.value()))) : Optional.empty();
            it.status();
            return out;
        }
    }

    void put(Txn t, String bucket, String key, ObjectRecord version) throws RocksDBException {
        t.put(h.versions, KeyCodec.versionKey(bucket, key, version.versionSeq()), RecordCodec.encodeObject(version));
    }

    void delete(Txn t, Row row) throws RocksDBException {
        t.delete(h.versions, row.rowKey());
    }

    /** Chunks of {@code removed} that none of {@code others} references. */
    static Set<ChunkId> freed(ObjectRecord removed, List<ObjectRecord> others) {
        Set<ChunkId> out = new LinkedHashSet<>();
        removed.chunks().forEach(c -> out.add(c.id()));
        for (ObjectRecord o : others) {
            o.chunks().forEach(c -> out.remove(c.id()));
        }
        return out;
    }
}
