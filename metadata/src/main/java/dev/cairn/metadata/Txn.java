package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The view a group of commands is applied through (see {@link MetadataStateMachine}): writes go
 * to one indexed batch, and reads see the database <em>plus</em> every write of the commands
 * applied before in the same group, so applying commands one by one or as a group gives the same
 * state. Nothing reaches the database until the state machine writes the batch. In-memory
 * effects (counters) are queued with {@link #afterCommit} and run only once the batch is written.
 *
 * <p>Each command runs between {@link #begin()} and {@link #keep()} or {@link #undo()}: a command
 * that is rejected leaves neither writes nor effects behind.
 */
final class Txn implements AutoCloseable {
    private final RocksHandles h;
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final ReadOptions readOptions = new ReadOptions();
    private final List<Runnable> effects = new ArrayList<>();
    private int effectsAtBegin;

    Txn(RocksHandles h) {
        this.h = h;
    }

    byte[] get(ColumnFamilyHandle cf, byte[] key) throws RocksDBException {
        return batch.getFromBatchAndDB(h.db, cf, readOptions, key);
    }

    boolean exists(ColumnFamilyHandle cf, byte[] key) throws RocksDBException {
        return get(cf, key) != null;
    }

    void put(ColumnFamilyHandle cf, byte[] key, byte[] value) throws RocksDBException {
        batch.put(cf, key, value);
    }

    void delete(ColumnFamilyHandle cf, byte[] key) throws RocksDBException {
        batch.delete(cf, key);
    }

    /** An iterator over the database merged with this batch; the caller closes it and checks prefixes itself. */
    RocksIterator iterator(ColumnFamilyHandle cf) {
        return batch.newIteratorWithBase(cf, h.db.newIterator(cf));
    }

    /** Every key of {@code cf} starting with {@code prefix}, at most {@code limit}, in order. */
    List<byte[]> keysWithPrefix(ColumnFamilyHandle cf, byte[] prefix, int limit) throws RocksDBException {
        List<byte[]> out = new ArrayList<>();
        try (RocksIterator it = iterator(cf)) {
            for (it.seek(prefix); it.isValid() && out.size() < limit && KeyCodec.startsWith(it.key(), prefix);
                 it.next()) {
                out.add(it.key());
            }
            it.status();
        }
        return out;
    }

    /** Runs {@code effect} after the batch is written (never, if the command is undone or the write fails). */
    void afterCommit(Runnable effect) {
        effects.add(effect);
    }

    void begin() {
        batch.setSavePoint();
        effectsAtBegin = effects.size();
    }

    void keep() throws RocksDBException {
        batch.popSavePoint();
    }

    void undo() throws RocksDBException {
        batch.rollbackToSavePoint();
        effects.subList(effectsAtBegin, effects.size()).clear();
    }

    int count() {
        return batch.count();
    }

    WriteBatchWithIndex batch() {
        return batch;
    }

    void runEffects() {
        effects.forEach(Runnable::run);
    }

    @Override
    public void close() {
        readOptions.close();
        batch.close();
    }
}
