package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * ListObjectVersions: a merge of two range scans of one snapshot, {@code objects} (the current
 * object of each key) and {@code versions} (every other version, newest first), in S3 key order;
 * for one key the current object, being the newest, comes first. A common prefix is returned once
 * and both iterators seek past it, as in {@link ListingScanner}.
 */
final class VersionScanner {
    private final RocksHandles h;
    private final String bucket;
    private final byte[] bp;
    private final byte[] prefix;
    private final byte[] delimiter;

    VersionScanner(RocksHandles h, String bucket, VersionQuery q) {
        this.h = h;
        this.bucket = bucket;
        this.bp = KeyCodec.bucketPrefix(bucket);
        this.prefix = KeyCodec.utf8(q.prefix());
        this.delimiter = KeyCodec.utf8(q.delimiter());
    }

    /** The S3 key of a {@code versions} row key. */
    private byte[] versionRowKey(byte[] rowKey) {
        return KeyCodec.readTerminated(rowKey, bp.length).raw();
    }

    VersionListing scan(VersionQuery q) throws RocksDBException {
        List<VersionListing.Entry> entries = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String lastKey = null;
        String lastVersion = null;
        boolean truncated = false;
        try (Snapshot snap = h.db.getSnapshot(); ReadOptions ro = new ReadOptions().setSnapshot(snap);
             RocksIterator cur = h.db.newIterator(h.objects, ro);
             RocksIterator old = h.db.newIterator(h.versions, ro)) {
            try {
                boolean midKey = position(cur, old, q);
                byte[] latestKnown = null; // the key whose newest version was returned or passed
                while (true) {
                    byte[] ck = validUnder(cur, true);
                    byte[] ok = validUnder(old, false);
                    if (ck == null && ok == null) {
                        break;
                    }
                    boolean fromCurrent = ok == null || (ck != null && Arrays.compareUnsigned(ck, ok) <= 0);
                    byte[] s3Key = fromCurrent ? ck : ok;
                    if (entries.size() + prefixes.size() == q.maxKeys()) {
                        truncated = true;
                        break;
                    }
                    byte[] cp = ListingScanner.rollUp(s3Key, prefix, delimiter);
                    if (cp != null) {
                        prefixes.add(KeyCodec.string(cp));
                        lastKey = KeyCodec.string(cp);
                        lastVersion = null;
                        seekPast(cur, old, cp);
                        midKey = false;
                        continue;
                    }
                    ObjectRecord record = RecordCodec.decodeObject(fromCurrent ? cur.value() : old.value());
                    boolean latest = fromCurrent
                            || (!midKey && (latestKnown == null || !Arrays.equals(latestKnown, s3Key)));
                    latestKnown = s3Key;
                    midKey = false;
                    lastKey = KeyCodec.string(s3Key);
                    lastVersion = record.versionId();
                    entries.add(new VersionListing.Entry(lastKey, record, latest));
                    (fromCurrent ? cur : old).next();
                }
            } finally {
                h.db.releaseSnapshot(snap);
            }
            cur.status();
            old.status();
        }
        return new VersionListing(entries, prefixes, truncated, truncated || !entries.isEmpty() || !prefixes.isEmpty()
                ? lastKey : null, lastVersion);
    }

    /** The S3 key the iterator rests on when it is still under the prefix, else null. */
    private byte[] validUnder(RocksIterator it, boolean current) {
        if (!it.isValid()) {
            return null;
        }
        byte[] k = it.key();
        if (!KeyCodec.startsWith(k, bp)) {
            return null;
        }
        byte[] s3Key = current ? Arrays.copyOfRange(k, bp.length, k.length) : versionRowKey(k);
        return KeyCodec.startsWith(s3Key, prefix) ? s3Key : null;
    }

    private void seekPast(RocksIterator cur, RocksIterator old, byte[] cp) {
        seekOrEnd(cur, KeyCodec.successor(KeyCodec.concat(bp, cp)));
        seekOrEnd(old, KeyCodec.successor(KeyCodec.concat(bp, KeyCodec.escape(cp))));
    }

    private static void seekOrEnd(RocksIterator it, byte[] to) {
        if (to == null) {
            it.seekToLast();
            it.next();
        } else {
            it.seek(to);
        }
    }

    /**
     * Positions both iterators where the page starts; true when it starts inside a key (after a
     * version id marker), so the first version returned is not that key's latest.
     */
    private boolean position(RocksIterator cur, RocksIterator old, VersionQuery q) throws RocksDBException {
        String keyMarker = q.keyMarker();
        if (keyMarker == null || keyMarker.isEmpty()) {
            cur.seek(KeyCodec.concat(bp, prefix));
            old.seek(KeyCodec.concat(bp, KeyCodec.escape(prefix)));
            return false;
        }
        byte[] marker = KeyCodec.utf8(keyMarker);
        byte[] cp = ListingScanner.rollUp(marker, prefix, delimiter);
        if (cp != null) {
            seekPast(cur, old, cp);
            return false;
        }
        byte[] afterKeyCurrent = KeyCodec.concat(KeyCodec.concat(bp, marker), new byte[] {0});
        byte[] keyRows = KeyCodec.versionKeyPrefix(bucket, keyMarker);
        Long seq = q.versionIdMarker() == null ? null : seqOf(keyMarker, q.versionIdMarker());
        cur.seek(afterKeyCurrent);
        if (seq == null) {
            old.seek(KeyCodec.successor(keyRows));
            atLeastPrefix(cur, old);
            return false;
        }
        old.seek(KeyCodec.versionKey(bucket, keyMarker, seq));
        if (old.isValid() && Arrays.equals(old.key(), KeyCodec.versionKey(bucket, keyMarker, seq))) {
            old.next();
        }
        atLeastPrefix(cur, old);
        return true;
    }

    /** Moves iterators that rest before the first key of the prefix up to it. */
    private void atLeastPrefix(RocksIterator cur, RocksIterator old) {
        byte[] curStart = KeyCodec.concat(bp, prefix);
        if (cur.isValid() && Arrays.compareUnsigned(cur.key(), curStart) < 0) {
            cur.seek(curStart);
        }
        byte[] oldStart = KeyCodec.concat(bp, KeyCodec.escape(prefix));
        if (old.isValid() && Arrays.compareUnsigned(old.key(), oldStart) < 0) {
            old.seek(oldStart);
        }
    }

    /** The seq of version {@code versionId} of {@code key}, or null when it has no such version. */
    private Long seqOf(String key, String versionId) throws RocksDBException {
        byte[] v = h.db.get(h.objects, KeyCodec.objectKey(bucket, key));
        if (v != null) {
            ObjectRecord o = RecordCodec.decodeObject(v);
            if (o.versionId().equals(versionId)) {
                return o.versionSeq() + 1; // so the scan of older rows starts at the current one's successor
            }
        }
        byte[] rows = KeyCodec.versionKeyPrefix(bucket, key);
        try (RocksIterator it = h.db.newIterator(h.versions)) {
            for (it.seek(rows); it.isValid() && KeyCodec.startsWith(it.key(), rows); it.next()) {
                ObjectRecord o = RecordCodec.decodeObject(it.value());
                if (o.versionId().equals(versionId)) {
                    return o.versionSeq();
                }
            }
            it.status();
        }
        return null;
    }
}
