package dev.cairn.metadata;

import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The catalogue's scans: bucket pages, a key's versions, object and upload listings. Pure reads
 * of the column families in {@link RocksHandles}; {@link RocksMetadataStore} runs them while the
 * store is open (and checks that the bucket exists) and maps RocksDB errors.
 */
final class CatalogQueries {
    private CatalogQueries() {
    }

    /** Buckets whose names start with {@code prefix}, after {@code startAfter}, in {@code region} (any when null). */
    static List<BucketRecord> buckets(RocksHandles h, String prefix, String region, String startAfter, int limit)
            throws RocksDBException {
        List<BucketRecord> out = new ArrayList<>();
        byte[] wanted = KeyCodec.utf8(prefix);
        byte[] from = wanted;
        byte[] after = startAfter == null ? null : KeyCodec.bucketKey(startAfter);
        if (after != null && Arrays.compareUnsigned(after, from) >= 0) {
            from = after;
        }
        try (RocksIterator it = h.db.newIterator(h.buckets)) {
            for (it.seek(from); it.isValid() && out.size() < limit; it.next()) {
                byte[] k = it.key();
                if (!KeyCodec.startsWith(k, wanted)) {
                    break;
                }
                if (after != null && Arrays.equals(k, after)) {
                    continue;
                }
                BucketRecord b = RecordCodec.decodeBucket(it.value());
                if (region == null || region.equals(b.region())) {
                    out.add(b);
                }
            }
            it.status();
        }
        return out;
    }

    /**
     * Version {@code versionId} of a key: the current record when it has that id, else its row
     * among the noncurrent versions; with a null id, the current record, else the newest row.
     */
    static Optional<ObjectRecord> version(RocksHandles h, String bucket, String key, String versionId)
            throws RocksDBException {
        byte[] v = h.db.get(h.objects, KeyCodec.objectKey(bucket, key));
        if (v != null) {
            ObjectRecord current = RecordCodec.decodeObject(v);
            if (versionId == null || current.versionId().equals(versionId)) {
                return Optional.of(current);
            }
        }
        byte[] rows = KeyCodec.versionKeyPrefix(bucket, key);
        try (RocksIterator it = h.db.newIterator(h.versions)) {
            for (it.seek(rows); it.isValid() && KeyCodec.startsWith(it.key(), rows); it.next()) {
                ObjectRecord o = RecordCodec.decodeObject(it.value());
                if (versionId == null) {
                    return v == null ? Optional.of(o) : Optional.empty();
                }
                if (o.versionId().equals(versionId)) {
                    return Optional.of(o);
                }
            }
            it.status();
        }
        return Optional.empty();
    }

    /** One page of ListObjects: keys and common prefixes; {@code steps} counts the iterator's work. */
    static ObjectListing objects(RocksHandles h, String bucket, ListQuery query, LongAdder steps)
            throws RocksDBException {
        byte[] prefix = KeyCodec.utf8(query.prefix());
        byte[] delimiter = KeyCodec.utf8(query.delimiter());
        ListingScanner.Start start = ListingScanner.objectStart(prefix, delimiter, query.startAfter());
        ListingScanner.Page page = ListingScanner.scan(h.db, h.objects, KeyCodec.bucketPrefix(bucket),
                ListingScanner.Layout.RAW, prefix, delimiter, start, query.maxKeys(), steps);
        List<ObjectListing.Entry> contents = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (ListingScanner.Item item : page.items()) {
            if (item.commonPrefix()) {
                prefixes.add(item.key());
            } else {
                contents.add(new ObjectListing.Entry(item.key(), RecordCodec.decodeObject(item.value())));
            }
        }
        return new ObjectListing(contents, prefixes, page.truncated(), page.lastKey());
    }

    /** One page of ListMultipartUploads. */
    static UploadListing uploads(RocksHandles h, String bucket, UploadQuery query, LongAdder steps)
            throws RocksDBException {
        byte[] prefix = KeyCodec.utf8(query.prefix());
        byte[] delimiter = KeyCodec.utf8(query.delimiter());
        ListingScanner.Start start = ListingScanner.uploadStart(prefix, delimiter, query.keyMarker(),
                query.uploadIdMarker());
        ListingScanner.Page page = ListingScanner.scan(h.db, h.uploads, KeyCodec.bucketPrefix(bucket),
                ListingScanner.Layout.ESCAPED, prefix, delimiter, start, query.maxUploads(), steps);
        List<UploadRecord> uploads = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        String nextUploadId = null;
        for (ListingScanner.Item item : page.items()) {
            if (item.commonPrefix()) {
                prefixes.add(item.key());
                nextUploadId = null;
            } else {
                UploadRecord u = RecordCodec.decodeUpload(item.value());
                uploads.add(u);
                nextUploadId = u.uploadId();
            }
        }
        return new UploadListing(uploads, prefixes, page.truncated(), page.lastKey(), nextUploadId);
    }
}
