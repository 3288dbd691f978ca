package dev.cairn.metadata;

/**
 * One number the storage engine reports about itself, e.g. RocksDB's
 * {@code rocksdb.estimate-live-data-size} of the {@code objects} column family.
 *
 * @param name         the engine's property name without its prefix ({@code estimate-live-data-size})
 * @param columnFamily the column family it describes; empty for database-wide properties
 * @param value        the value (bytes, keys or a count, as the name says)
 */
public record EngineProperty(String name, String columnFamily, long value) {
}
