package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * Reads RocksDB's own numbers for {@link MetadataStore#engineProperties()}: per column family the
 * live data, SST file and memtable sizes, pending compaction bytes and estimated keys; database
 * wide the running compactions and flushes. Every property read is an in-memory lookup in RocksDB
 * (no disk I/O), cheap enough for each scrape.
 */
final class EngineStats {
    private static final String PREFIX = "rocksdb.";
    /** Properties read for each column family. */
    static final List<String> PER_CF = List.of("estimate-live-data-size", "total-sst-files-size",
            "cur-size-all-mem-tables", "estimate-pending-compaction-bytes", "estimate-num-keys");
    /** Properties of the whole database (read on the default column family). */
    static final List<String> DB_WIDE = List.of("num-running-compactions", "num-running-flushes",
            "compaction-pending");

    private EngineStats() {
    }

    static List<EngineProperty> read(RocksHandles h) throws RocksDBException {
        List<EngineProperty> out = new ArrayList<>();
        for (String cf : MetadataSchema.COLUMN_FAMILIES) {
            ColumnFamilyHandle handle = h.handle(cf);
            for (String name : PER_CF) {
                out.add(new EngineProperty(name, cf, h.db.getLongProperty(handle, PREFIX + name)));
            }
        }
        for (String name : DB_WIDE) {
            out.add(new EngineProperty(name, "", h.db.getLongProperty(h.meta, PREFIX + name)));
        }
        return out;
    }
}
