package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The {@code keyring} column family and the {@code default} row {@code "keyring-master"} (see
 * {@link MetadataSchema}): the wrapped key-encryption keys and the id of the master key that wraps
 * them. Changed only by {@link MetaCommand.AddKeyringKey} and {@link MetaCommand.RewrapKeyring},
 * whose wrapped bytes are made by the caller (apply draws no random number).
 */
final class KeyringTable {
    private final RocksHandles h;

    KeyringTable(RocksHandles h) {
        this.h = h;
    }

    /** The keyring as committed, keys in id order. */
    Keyring read() throws RocksDBException {
        byte[] master = h.db.get(h.meta, MetadataSchema.KEYRING_MASTER_KEY);
        List<Keyring.Key> keys = new ArrayList<>();
        try (RocksIterator it = h.db.newIterator(h.keyring)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                keys.add(RecordCodec.decodeKeyringKey(KeyCodec.string(it.key()), it.value()));
            }
            it.status();
        }
        return new Keyring(master == null ? null : RecordCodec.decodeKeyringMaster(master), keys);
    }

    /**
     * Adds a key. Rejected (CONFLICT) when the id exists - two gateways creating the SSE-S3 key
     * at once: the second reads the first's - and (PRECONDITION_FAILED) when the key is wrapped by
     * another master key than the keyring's; the first key sets the keyring's master key.
     */
    void add(Txn t, MetaCommand.AddKeyringKey c) throws RocksDBException {
        Keyring.Key k = c.key();
        byte[] rowKey = KeyCodec.utf8(k.id());
        if (t.exists(h.keyring, rowKey)) {
            throw new MetadataException.Conflict("keyring key " + k.id() + " exists");
        }
        String master = master(t);
        if (master != null && !master.equals(k.masterId())) {
            throw new MetadataException.PreconditionFailed("the keyring is wrapped by master key " + master
                    + ", not " + k.masterId());
        }
        if (master == null) {
            t.put(h.meta, MetadataSchema.KEYRING_MASTER_KEY, RecordCodec.encodeKeyringMaster(k.masterId()));
        }
        t.put(h.keyring, rowKey, RecordCodec.encodeKeyringKey(k));
    }

    /**
     * Replaces every key by its re-wrapped form under {@code c.masterId()}, when the keyring is
     * still the one the caller read: wrapped by {@code c.expectedMasterId()} and holding exactly the
     * ids of {@code c.keys()} - or, with no expected master key, empty (an import) - else
     * PRECONDITION_FAILED; the caller reads again and retries.
     */
    void rewrap(Txn t, MetaCommand.RewrapKeyring c) throws RocksDBException {
        if (!Objects.equals(master(t), c.expectedMasterId())) {
            throw new MetadataException.PreconditionFailed("the keyring's master key changed");
        }
        Set<String> ids = new HashSet<>();
        try (RocksIterator it = t.iterator(h.keyring)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                ids.add(KeyCodec.string(it.key()));
            }
            it.status();
        }
        if (c.expectedMasterId() == null ? !ids.isEmpty()
                : !ids.equals(Set.copyOf(c.keys().stream().map(Keyring.Key::id).toList()))) {
            throw new MetadataException.PreconditionFailed("the keyring's keys changed");
        }
        for (Keyring.Key k : c.keys()) {
            t.put(h.keyring, KeyCodec.utf8(k.id()), RecordCodec.encodeKeyringKey(k));
        }
        if (c.keys().isEmpty()) {
            t.delete(h.meta, MetadataSchema.KEYRING_MASTER_KEY);
        } else {
            t.put(h.meta, MetadataSchema.KEYRING_MASTER_KEY, RecordCodec.encodeKeyringMaster(c.masterId()));
        }
    }

    private String master(Txn t) throws RocksDBException {
        byte[] v = t.get(h.meta, MetadataSchema.KEYRING_MASTER_KEY);
        return v == null ? null : RecordCodec.decodeKeyringMaster(v);
    }
}
