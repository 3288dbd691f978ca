package dev.cairn.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ListObjects and ListMultipartUploads against a brute-force model, on random key sets (fixed
 * seeds), paging through every listing by its markers; and proof that roll-ups seek.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListingTest {
    private static final String[] PIECES = {"a", "b", "ab", "/", "//", "-", ".", "\u00e9", "\u4e2d", "\uD83D\uDE00",
            "\uFFFD", "\0", "~", "x/", "\u007f", "\u0080"};
    private static final String[] DELIMITERS = {null, "", "/", "/", "/", "//", "\u00e9", "b/", "\u4e2d", "\0", "a"};
    private static final int[] MAX_KEYS = {1, 2, 3, 5, 8, 50, 1000};
    private static final Comparator<String> UTF8 = (x, y) -> Arrays.compareUnsigned(KeyCodec.utf8(x), KeyCodec.utf8(y));

    RocksMetadataStore store;

    @BeforeAll
    void open(@TempDir Path dir) {
        store = RocksMetadataStore.open(dir, new MutableClock(0), Duration.ZERO, false);
    }

    @AfterAll
    void close() {
        store.close();
    }

    private static String randomKey(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return sb.toString();
    }

    /** A prefix: empty, a code-point prefix of an existing key, or random. */
    private static String randomPrefix(Random r, List<String> keys) {
        int pick = r.nextInt(4);
        if (pick == 0 || keys.isEmpty()) {
            return r.nextBoolean() ? "" : null;
        }
        if (pick == 3) {
            String k = randomKey(r);
            return k.substring(0, k.offsetByCodePoints(0, 1));
        }
        String k = keys.get(r.nextInt(keys.size()));
        int cps = k.codePointCount(0, k.length());
        return k.substring(0, k.offsetByCodePoints(0, r.nextInt(cps + 1)));
    }

    private static String rollUp(String key, String prefix, String delimiter) {
        if (delimiter.isEmpty() || !key.startsWith(prefix)) {
            return null;
        }
        int i = key.indexOf(delimiter, prefix.length());
        return i < 0 ? null : key.substring(0, i + delimiter.length());
    }

    /** Failure messages with control characters escaped (a NUL would cut the report short). */
    private static String show(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return sb.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    // ---- objects ----

    /** Model entries: a key, or a common prefix (flag). */
    record Item(String key, boolean prefix) {
    }

    private static List<Item> modelObjects(List<String> sortedKeys, String prefix, String startAfter, String delimiter) {
        String p = nz(prefix);
        String d = nz(delimiter);
        String s = nz(startAfter);
        String sRoll = s.isEmpty() ? null : rollUp(s, p, d);
        List<Item> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String k : sortedKeys) {
            if (!k.startsWith(p)) {
                continue;
            }
            if (sRoll != null && (UTF8.compare(k, sRoll) < 0 || k.startsWith(sRoll))) {
                continue;
            }
            if (sRoll == null && !s.isEmpty() && UTF8.compare(k, s) <= 0) {
                continue;
            }
            String cp = rollUp(k, p, d);
            if (cp == null) {
                out.add(new Item(k, false));
            } else if (seen.add(cp)) {
                out.add(new Item(cp, true));
            }
        }
        return out;
    }

    private static List<Item> items(ObjectListing l) {
        List<Item> out = new ArrayList<>();
        l.contents().forEach(e -> out.add(new Item(e.key(), false)));
        l.commonPrefixes().forEach(cp -> out.add(new Item(cp, true)));
        out.sort(Comparator.comparing(Item::key, UTF8));
        return out;
    }

    @Test
    void objectListingsMatchTheModel() {
        Random r = new Random(42);
        int cases = 0;
        for (int b = 0; b < 12; b++) {
            String bucket = "bkt" + b;
            store.createBucket(Fixtures.bucket(bucket));
            // a neighbour bucket whose keys must never leak into this one
            store.createBucket(Fixtures.bucket(bucket + "-n"));
            TreeSet<String> keySet = new TreeSet<>(UTF8);
            int n = b == 0 ? 0 : r.nextInt(250);
            for (int i = 0; i < n; i++) {
                keySet.add(randomKey(r));
            }
            for (String k : keySet) {
                store.putObject(bucket, k, Fixtures.inlineObject(k, new byte[0]), List.of(), WriteCondition.NONE);
                store.putObject(bucket + "-n", k + "n", Fixtures.inlineObject(k, new byte[0]), List.of(),
                        WriteCondition.NONE);
            }
            List<String> keys = new ArrayList<>(keySet);
            for (int q = 0; q < 25; q++, cases++) {
                String prefix = randomPrefix(r, keys);
                String delimiter = DELIMITERS[r.nextInt(DELIMITERS.length)];
                int maxKeys = MAX_KEYS[r.nextInt(MAX_KEYS.length)];
                String startAfter = switch (r.nextInt(4)) {
                    case 0 -> keys.isEmpty() ? null : keys.get(r.nextInt(keys.size()));
                    case 1 -> randomKey(r);
                    default -> null;
                };
                checkObjectPaging(bucket, keys, prefix, delimiter, startAfter, maxKeys);
            }
        }
        assertTrue(cases >= 300);
    }

    private void checkObjectPaging(String bucket, List<String> keys, String prefix, String delimiter,
                                   String startAfter, int maxKeys) {
        String what = show("prefix=" + prefix + " delimiter=" + delimiter + " startAfter=" + startAfter + " max=" + maxKeys);
        List<Item> all = modelObjects(keys, prefix, startAfter, delimiter);
        List<Item> got = new ArrayList<>();
        String marker = startAfter;
        for (int page = 0; ; page++) {
            assertTrue(page <= all.size() + 1, what);
            ObjectListing l = store.listObjects(bucket, new ListQuery(prefix, marker, delimiter, maxKeys));
            List<Item> expected = modelObjects(keys, prefix, marker, delimiter);
            List<Item> items = items(l);
            assertEquals(expected.subList(0, Math.min(maxKeys, expected.size())), items, what + show(" marker=" + marker));
            assertEquals(expected.size() > maxKeys, l.truncated(), what);
            assertEquals(items.isEmpty() ? null : items.get(items.size() - 1).key(), l.nextMarker(), what);
            for (ObjectListing.Entry e : l.contents()) {
                assertEquals(e.key(), e.object().etag());
            }
            got.addAll(items);
            if (!l.truncated()) {
                break;
            }
            marker = l.nextMarker();
        }
        assertEquals(all, got, what);
    }

    @Test
    void handPickedObjectListings() {
        store.createBucket(Fixtures.bucket("hand"));
        for (String k : List.of("a/1", "a/2", "a/b/3", "b", "c/", "c//d", "d\u00e9/x", "d\uFFFD", "d\uD83D\uDE00")) {
            store.putObject("hand", k, Fixtures.inlineObject(k, new byte[0]), List.of(), WriteCondition.NONE);
        }
        ObjectListing l = store.listObjects("hand", new ListQuery("", null, "/", 1000));
        assertEquals(List.of("b", "d\uFFFD", "d\uD83D\uDE00"), l.contents().stream().map(ObjectListing.Entry::key).toList());
        assertEquals(List.of("a/", "c/", "d\u00e9/"), l.commonPrefixes());
        assertFalse(l.truncated());

        l = store.listObjects("hand", new ListQuery("a/", null, "/", 2));
        assertEquals(List.of("a/1", "a/2"), l.contents().stream().map(ObjectListing.Entry::key).toList());
        assertTrue(l.truncated());
        assertEquals("a/2", l.nextMarker());
        l = store.listObjects("hand", new ListQuery("a/", "a/2", "/", 2));
        assertEquals(List.of("a/b/"), l.commonPrefixes());
        assertFalse(l.truncated());

        // a marker that is a common prefix resumes after everything under it
        l = store.listObjects("hand", new ListQuery("", "a/", "/", 1));
        assertEquals(List.of("b"), l.contents().stream().map(ObjectListing.Entry::key).toList());
        assertTrue(l.truncated());

        l = store.listObjects("hand", new ListQuery("", null, "//", 1000));
        assertEquals(List.of("c//"), l.commonPrefixes());
        assertEquals(8, l.contents().size());

        l = store.listObjects("hand", new ListQuery("", null, null, 0));
        assertEquals(List.of(), l.contents());
        assertNull(l.nextMarker());
        assertThrows(MetadataException.NoSuchBucket.class, () -> store.listObjects("missing", new ListQuery("", null, null, 10)));
    }

    @Test
    void delimiterRollUpSeeksInsteadOfIterating() {
        RocksMetadataStore s = store;
        s.createBucket(Fixtures.bucket("big"));
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            s.putObject("big", "dir/" + (i % 10) + "/" + i, Fixtures.inlineObject("e", new byte[0]), List.of(),
                    WriteCondition.NONE);
        }
        for (String k : List.of("a", "dir0", "z/1", "z/2")) {
            s.putObject("big", k, Fixtures.inlineObject("e", new byte[0]), List.of(), WriteCondition.NONE);
        }

        long before = s.listingSteps.sum();
        ObjectListing l = s.listObjects("big", new ListQuery("", null, "/", 1000));
        assertEquals(List.of("dir/", "z/"), l.commonPrefixes());
        assertEquals(List.of("a", "dir0"), l.contents().stream().map(ObjectListing.Entry::key).toList());
        assertTrue(s.listingSteps.sum() - before <= 10, "steps: " + (s.listingSteps.sum() - before));

        before = s.listingSteps.sum();
        l = s.listObjects("big", new ListQuery("dir/", null, "/", 1000));
        assertEquals(10, l.commonPrefixes().size());
        assertTrue(s.listingSteps.sum() - before <= 15, "steps: " + (s.listingSteps.sum() - before));

        // paging one common prefix at a time stays O(1) per page
        String marker = null;
        before = s.listingSteps.sum();
        for (int page = 0; page < 10; page++) {
            l = s.listObjects("big", new ListQuery("dir/", marker, "/", 1));
            assertEquals(List.of("dir/" + page + "/"), l.commonPrefixes());
            assertEquals(page < 9, l.truncated());
            marker = l.nextMarker();
        }
        assertTrue(s.listingSteps.sum() - before <= 40, "steps: " + (s.listingSteps.sum() - before));
        assertEquals(n + 4, s.stats().objects() - countOtherObjects());
    }

    private long countOtherObjects() {
        long other = 0;
        for (BucketRecord b : store.listBuckets()) {
            if (!b.name().equals("big")) {
                String marker = null;
                ObjectListing l;
                do {
                    l = store.listObjects(b.name(), new ListQuery("", marker, null, 1000));
                    other += l.contents().size();
                    marker = l.nextMarker();
                } while (l.truncated());
            }
        }
        return other;
    }

    // ---- uploads ----

    private static List<UploadRecord> modelUploads(List<UploadRecord> sorted, UploadQuery q, List<String> prefixesOut,
                                                   List<Object> orderOut) {
        String p = nz(q.prefix());
        String d = nz(q.delimiter());
        String km = nz(q.keyMarker());
        String um = KeyCodec.uploadIdBytes(q.uploadIdMarker()) == null ? "" : q.uploadIdMarker();
        String kmRoll = km.isEmpty() ? null : rollUp(km, p, d);
        List<UploadRecord> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (UploadRecord u : sorted) {
            String k = u.key();
            if (!k.startsWith(p)) {
                continue;
            }
            if (!km.isEmpty()) {
                int c = UTF8.compare(k, km);
                if (kmRoll != null && (UTF8.compare(k, kmRoll) < 0 || k.startsWith(kmRoll))) {
                    continue;
                }
                if (kmRoll == null && (c < 0 || (c == 0 && (um.isEmpty() || u.uploadId().compareTo(um) <= 0)))) {
                    continue;
                }
            }
            String cp = rollUp(k, p, d);
            if (cp == null) {
                out.add(u);
                orderOut.add(u);
            } else if (seen.add(cp)) {
                prefixesOut.add(cp);
                orderOut.add(cp);
            }
        }
        return out;
    }

    @Test
    void uploadListingsMatchTheModel() {
        Random r = new Random(7);
        Comparator<UploadRecord> order = Comparator.comparing(UploadRecord::key, UTF8).thenComparing(UploadRecord::uploadId);
        for (int b = 0; b < 6; b++) {
            String bucket = "up" + b;
            store.createBucket(Fixtures.bucket(bucket));
            List<UploadRecord> uploads = new ArrayList<>();
            int n = r.nextInt(120);
            for (int i = 0; i < n; i++) {
                String key = randomKey(r);
                for (int j = r.nextInt(3); j >= 0; j--) {
                    UploadRecord u = Fixtures.upload(bucket, key);
                    store.createUpload(u);
                    uploads.add(u);
                }
            }
            uploads.sort(order);
            List<String> keys = uploads.stream().map(UploadRecord::key).toList();
            for (int q = 0; q < 20; q++) {
                String prefix = randomPrefix(r, keys);
                String delimiter = DELIMITERS[r.nextInt(DELIMITERS.length)];
                int max = MAX_KEYS[r.nextInt(MAX_KEYS.length)];
                String keyMarker = null;
                String idMarker = null;
                if (!uploads.isEmpty() && r.nextBoolean()) {
                    UploadRecord m = uploads.get(r.nextInt(uploads.size()));
                    keyMarker = m.key();
                    idMarker = switch (r.nextInt(3)) {
                        case 0 -> m.uploadId();
                        case 1 -> ChunkId.random().hex();
                        default -> null;
                    };
                }
                checkUploadPaging(bucket, uploads, new UploadQuery(prefix, delimiter, keyMarker, idMarker, max));
            }
        }
    }

    private void checkUploadPaging(String bucket, List<UploadRecord> sorted, UploadQuery first) {
        String what = show(first.toString());
        List<Object> all = new ArrayList<>();
        modelUploads(sorted, first, new ArrayList<>(), all);
        List<Object> got = new ArrayList<>();
        UploadQuery q = first;
        for (int page = 0; ; page++) {
            assertTrue(page <= all.size() + 1, what);
            UploadListing l = store.listUploads(bucket, q);
            List<String> cps = new ArrayList<>();
            List<Object> expectedOrder = new ArrayList<>();
            List<UploadRecord> expected = modelUploads(sorted, q, cps, expectedOrder);
            List<Object> page1 = expectedOrder.subList(0, Math.min(q.maxUploads(), expectedOrder.size()));
            assertEquals(page1.stream().filter(o -> o instanceof UploadRecord).toList(), l.uploads(), what);
            assertEquals(page1.stream().filter(o -> o instanceof String).toList(), l.commonPrefixes(), what);
            assertEquals(expectedOrder.size() > q.maxUploads(), l.truncated(), what);
            if (!page1.isEmpty()) {
                Object last = page1.get(page1.size() - 1);
                assertEquals(last instanceof UploadRecord u ? u.key() : last, l.nextKeyMarker(), what);
                assertEquals(last instanceof UploadRecord u ? u.uploadId() : null, l.nextUploadIdMarker(), what);
            }
            assertTrue(expected.size() + cps.size() == expectedOrder.size());
            got.addAll(page1);
            if (!l.truncated()) {
                break;
            }
            q = new UploadQuery(first.prefix(), first.delimiter(), l.nextKeyMarker(), l.nextUploadIdMarker(),
                    first.maxUploads());
        }
        assertEquals(all, got, what);
    }

    @Test
    void uploadRollUpSeeks() {
        store.createBucket(Fixtures.bucket("ups"));
        for (int i = 0; i < 2000; i++) {
            store.createUpload(Fixtures.upload("ups", "dir\0/" + i));
        }
        store.createUpload(Fixtures.upload("ups", "dir"));
        store.createUpload(Fixtures.upload("ups", "e"));
        long before = store.listingSteps.sum();
        UploadListing l = store.listUploads("ups", new UploadQuery("", "/", null, null, 1000));
        assertEquals(List.of("dir\0/"), l.commonPrefixes());
        assertEquals(List.of("dir", "e"), l.uploads().stream().map(UploadRecord::key).toList());
        assertTrue(store.listingSteps.sum() - before <= 10, "steps: " + (store.listingSteps.sum() - before));
    }
}
