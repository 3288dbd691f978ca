package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The pagination engine shared by ListObjects and ListMultipartUploads: one range scan of a
 * bucket's keys in byte order, from a start position, keeping keys under a prefix and rolling
 * them up at a delimiter.
 *
 * <p>Design note. When the part of a key after the prefix contains the delimiter, the engine
 * emits the common prefix (prefix + that part up to and including the first delimiter) and then
 * <em>seeks</em> past every key that starts with it, instead of stepping through them, so a
 * page costs O(entries returned) iterator steps however many keys a common prefix hides. After
 * the page is full, the entry the iterator rests on (a content, or a common prefix not yet
 * returned, since returned ones were sought past) decides {@code truncated}. The whole page is
 * read through one iterator, hence from one consistent snapshot.
 */
final class ListingScanner {

    /** How an S3 key is laid out in the column family key, after the bucket prefix. */
    enum Layout {
        /** The raw UTF-8 key ends the column family key (objects). */
        RAW,
        /** The escaped, terminated key is followed by more fields (uploads). */
        ESCAPED;

        /** The key bytes that all keys starting with the raw S3 key prefix {@code raw} start with. */
        byte[] position(byte[] raw) {
            return this == RAW ? raw : KeyCodec.escape(raw);
        }

        byte[] s3Key(byte[] relative) {
            return this == RAW ? relative : KeyCodec.readTerminated(relative, 0).raw();
        }
    }

    /** One entry: a content (with its stored value) or a common prefix (value null). */
    record Item(byte[] s3Key, boolean commonPrefix, byte[] value) {
        String key() {
            return KeyCodec.string(s3Key);
        }
    }

    record Page(List<Item> items, boolean truncated) {
        static final Page EMPTY = new Page(List.of(), false);

        String lastKey() {
            return items.isEmpty() ? null : items.get(items.size() - 1).key();
        }
    }

    /**
     * Where to start, relative to the bucket prefix: seek to {@code from} (null means nothing is
     * left) and skip an entry exactly equal to {@code skip} (null for none).
     */
    record Start(byte[] from, byte[] skip) {
        static final Start END = new Start(null, null);
    }

    private ListingScanner() {
    }

    /**
     * The common prefix that {@code key} rolls up into under {@code prefix} and {@code delimiter},
     * or null. {@code key} must start with {@code prefix} for a roll-up.
     */
    static byte[] rollUp(byte[] key, byte[] prefix, byte[] delimiter) {
        if (delimiter.length == 0 || !KeyCodec.startsWith(key, prefix)) {
            return null;
        }
        int i = KeyCodec.indexOf(key, delimiter, prefix.length);
        return i < 0 ? null : Arrays.copyOf(key, i + delimiter.length);
    }

    /** The start after everything under common prefix {@code cp}. */
    static Start after(Layout layout, byte[] cp) {
        byte[] next = KeyCodec.successor(layout.position(cp));
        return next == null ? Start.END : new Start(next, null);
    }

    /** Moves {@code start} up to the first key of the prefix when it lies before it. */
    static Start atLeast(Start start, byte[] prefixPosition) {
        if (start.from() != null && Arrays.compareUnsigned(start.from(), prefixPosition) < 0) {
            return new Start(prefixPosition, start.skip());
        }
        return start;
    }

    /** ListObjects: keys after {@code startAfter} (see {@link ListQuery} for one that rolls up). */
    static Start objectStart(byte[] prefix, byte[] delimiter, String startAfter) {
        if (startAfter == null || startAfter.isEmpty()) {
            return new Start(prefix, null);
        }
        byte[] after = KeyCodec.utf8(startAfter);
        byte[] cp = rollUp(after, prefix, delimiter);
        return atLeast(cp != null ? after(Layout.RAW, cp) : new Start(after, after), prefix);
    }

    /**
     * ListMultipartUploads: uploads after (keyMarker, uploadIdMarker); after every upload of the
     * key marker when the upload id marker is absent or not a valid id; after everything under
     * the key marker's common prefix when it rolls up.
     */
    static Start uploadStart(byte[] prefix, byte[] delimiter, String keyMarker, String uploadIdMarker) {
        byte[] prefixPosition = Layout.ESCAPED.position(prefix);
        if (keyMarker == null || keyMarker.isEmpty()) {
            return new Start(prefixPosition, null);
        }
        byte[] marker = KeyCodec.utf8(keyMarker);
        byte[] cp = rollUp(marker, prefix, delimiter);
        if (cp != null) {
            return atLeast(after(Layout.ESCAPED, cp), prefixPosition);
        }
        byte[] keyPosition = KeyCodec.uploadKeyPrefix(marker);
        byte[] idMarker = KeyCodec.uploadIdBytes(uploadIdMarker);
        if (idMarker == null) {
            return atLeast(new Start(KeyCodec.successor(keyPosition), null), prefixPosition);
        }
        byte[] at = KeyCodec.concat(keyPosition, idMarker);
        return atLeast(new Start(at, at), prefixPosition);
    }

    static Page scan(RocksDB db, ColumnFamilyHandle cf, byte[] bucketPrefix, Layout layout, byte[] prefix,
                     byte[] delimiter, Start start, int max, LongAdder steps) throws RocksDBException {
        if (max <= 0 || start.from() == null) {
            return Page.EMPTY;
        }
        byte[] scope = KeyCodec.concat(bucketPrefix, layout.position(prefix));
        byte[] skip = start.skip() == null ? null : KeyCodec.concat(bucketPrefix, start.skip());
        List<Item> items = new ArrayList<>(Math.min(max, 1024));
        boolean truncated = false;
        // the bucket prefix ends with the terminator 0x00 0x01, so scope always has a successor
        try (Slice bound = new Slice(KeyCodec.successor(scope));
             ReadOptions ro = new ReadOptions().setIterateUpperBound(bound);
             RocksIterator it = db.newIterator(cf, ro)) {
            it.seek(KeyCodec.concat(bucketPrefix, start.from()));
            steps.increment();
            while (it.isValid()) {
                byte[] k = it.key();
                if (!KeyCodec.startsWith(k, scope)) {
                    break;
                }
                if (skip != null && Arrays.equals(k, skip)) {
                    skip = null;
                    it.next();
                    steps.increment();
                    continue;
                }
                if (items.size() == max) {
                    truncated = true;
                    break;
                }
                byte[] s3Key = layout.s3Key(Arrays.copyOfRange(k, bucketPrefix.length, k.length));
                byte[] cp = rollUp(s3Key, prefix, delimiter);
                if (cp == null) {
                    items.add(new Item(s3Key, false, it.value()));
                    it.next();
                } else {
                    items.add(new Item(cp, true, null));
                    byte[] next = KeyCodec.successor(layout.position(cp));
                    if (next == null) {
                        break;
                    }
                    it.seek(KeyCodec.concat(bucketPrefix, next));
                }
                steps.increment();
            }
            it.status();
        }
        return new Page(items, truncated);
    }
}
