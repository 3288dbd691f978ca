package dev.cairn.metadata;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The {@code identities} column family (see {@link MetadataSchema}): users, their access keys and
 * policies, managed policies and quotas, as documents the IAM layer encodes. Changes are
 * compare-and-set commands ({@link MetaCommand.WriteIdentities}) applied by the state machine,
 * which serialises applies, so two changes never interleave between check and write.
 */
final class IdentityTable {
    private final RocksHandles h;

    IdentityTable(RocksHandles h) {
        this.h = h;
    }

    static byte[] key(IdentityKey k) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 + k.name().length() * 2);
        out.write(k.kind().tag);
        byte[] name = KeyCodec.utf8(k.name());
        if (k.member() == null) {
            out.write(name, 0, name.length);
        } else {
            byte[] escaped = KeyCodec.escape(name);
            out.write(escaped, 0, escaped.length);
            out.write(KeyCodec.ESCAPE);
            out.write(KeyCodec.TERMINATOR);
            byte[] member = KeyCodec.utf8(k.member());
            out.write(member, 0, member.length);
        }
        return out.toByteArray();
    }

    static IdentityKey decodeKey(byte[] key) {
        IdentityKey.Kind kind = IdentityKey.Kind.ofTag(key[0]);
        if (!kind.hasMember) {
            return new IdentityKey(kind, KeyCodec.string(Arrays.copyOfRange(key, 1, key.length)), null);
        }
        KeyCodec.Field name = KeyCodec.readTerminated(key, 1);
        return new IdentityKey(kind, KeyCodec.string(name.raw()),
                KeyCodec.string(Arrays.copyOfRange(key, name.end(), key.length)));
    }

    List<IdentityRow> all() throws RocksDBException {
        List<IdentityRow> out = new ArrayList<>();
        try (RocksIterator it = h.db.newIterator(h.identities)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(new IdentityRow(decodeKey(it.key()), RecordCodec.decodeIdentity(it.value())));
            }
            it.status();
        }
        return out;
    }

    /**
     * Applies a {@link MetaCommand.WriteIdentities} to {@code t}: every expectation is checked
     * against the state the command meets (the commands before it in its group included), then
     * the deletes and puts are written.
     *
     * @throws MetadataException.PreconditionFailed when an expectation does not hold (nothing written)
     */
    void write(Txn t, IdentityChange change) throws RocksDBException {
        for (IdentityChange.Expected e : change.expected()) {
            byte[] current = t.get(h.identities, key(e.key()));
            if (!e.holds(current == null ? null : RecordCodec.decodeIdentity(current))) {
                throw new MetadataException.PreconditionFailed("identity row " + e.key() + " changed");
            }
        }
        for (IdentityKey k : change.deletes()) {
            t.delete(h.identities, key(k));
        }
        for (IdentityRow r : change.puts()) {
            t.put(h.identities, key(r.key()), RecordCodec.encodeIdentity(r.document()));
        }
    }
}
