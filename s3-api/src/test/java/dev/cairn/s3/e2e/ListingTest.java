package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ListObjects v1 and v2: prefixes, delimiters, paging, start-after, owners, URL encoding and order. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ListingTest {
    /** S3 lists keys in the byte order of their UTF-8 encoding. */
    static final Comparator<String> UTF8_ORDER =
            Comparator.comparing(k -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);

    static final List<String> TREE = List.of("a.txt", "photos/2024/feb.jpg", "photos/2024/jan.jpg", "photos/2025/x.jpg",
            "photos/top.jpg", "photosynthesis", "videos/v.mp4", "z");

    private static TestServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start(TestInfo info) {
        server = TestServer.startFor(info, c -> c);
        s3 = server.clientFor(info);
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    @BeforeEach
    void bucket(TestInfo info) {
        bucket = TestServer.uniqueBucket(info.getTestMethod().orElseThrow().getName());
        s3.createBucket(r -> r.bucket(bucket));
    }

    private void putAll(List<String> keys) {
        for (String k : keys) {
            S3Asserts.put(s3, bucket, k, k.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> keys(List<S3Object> contents) {
        return contents.stream().map(S3Object::key).toList();
    }

    private static List<String> prefixes(List<CommonPrefix> prefixes) {
        return prefixes.stream().map(CommonPrefix::prefix).toList();
    }

    @Test
    void emptyBucketListsNothingAndIsNotTruncated() {
        ListObjectsV2Response v2 = s3.listObjectsV2(r -> r.bucket(bucket));
        ListObjectsResponse v1 = s3.listObjects(r -> r.bucket(bucket));

        assertEquals(List.of(), v2.contents());
        assertEquals(0, v2.keyCount());
        assertFalse(v2.isTruncated());
        assertEquals(List.of(), v1.contents());
        assertFalse(v1.isTruncated());
    }

    @Test
    void prefixSelectsOnlyKeysStartingWithIt() {
        putAll(TREE);

        ListObjectsV2Response v2 = s3.listObjectsV2(r -> r.bucket(bucket).prefix("photos/2024/"));
        ListObjectsResponse v1 = s3.listObjects(r -> r.bucket(bucket).prefix("photos"));

        assertEquals(List.of("photos/2024/feb.jpg", "photos/2024/jan.jpg"), keys(v2.contents()));
        assertEquals("photos/2024/", v2.prefix());
        assertEquals(List.of("photos/2024/feb.jpg", "photos/2024/jan.jpg", "photos/2025/x.jpg", "photos/top.jpg",
                "photosynthesis"), keys(v1.contents()));
        assertEquals(List.of(), keys(s3.listObjectsV2(r -> r.bucket(bucket).prefix("nothing/")).contents()));
    }

    @Test
    void delimiterRollsKeysUpIntoCommonPrefixesInV1AndV2() {
        putAll(TREE);

        ListObjectsV2Response v2 = s3.listObjectsV2(r -> r.bucket(bucket).delimiter("/"));
        ListObjectsResponse v1 = s3.listObjects(r -> r.bucket(bucket).delimiter("/"));

        assertEquals(List.of("a.txt", "photosynthesis", "z"), keys(v2.contents()));
        assertEquals(List.of("photos/", "videos/"), prefixes(v2.commonPrefixes()));
        assertEquals(5, v2.keyCount());
        assertEquals("/", v2.delimiter());
        assertEquals(List.of("a.txt", "photosynthesis", "z"), keys(v1.contents()));
        assertEquals(List.of("photos/", "videos/"), prefixes(v1.commonPrefixes()));
    }

    @Test
    void delimiterBelowAPrefixListsOneLevel() {
        putAll(TREE);

        ListObjectsV2Response r = s3.listObjectsV2(x -> x.bucket(bucket).prefix("photos/").delimiter("/"));

        assertEquals(List.of("photos/top.jpg"), keys(r.contents()));
        assertEquals(List.of("photos/2024/", "photos/2025/"), prefixes(r.commonPrefixes()));
    }

    @Test
    void delimiterOtherThanSlashAndPrefixNotEndingInIt() {
        putAll(List.of("log|2024|a", "log|2024|b", "log|2025|a", "log-x", "other"));

        ListObjectsV2Response r = s3.listObjectsV2(x -> x.bucket(bucket).prefix("log").delimiter("|"));

        assertEquals(List.of("log-x"), keys(r.contents()));
        assertEquals(List.of("log|"), prefixes(r.commonPrefixes()));
        ListObjectsV2Response deeper = s3.listObjectsV2(x -> x.bucket(bucket).prefix("log|").delimiter("|"));
        assertEquals(List.of("log|2024|", "log|2025|"), prefixes(deeper.commonPrefixes()));
    }

    @Test
    void maxKeysPagingWithContinuationTokensVisitsEveryKeyOnce() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            all.add(String.format("k%03d", i));
        }
        putAll(all);

        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).maxKeys(5).continuationToken(t));
            pages++;
            assertTrue(page.contents().size() <= 5);
            assertEquals(page.contents().size(), page.keyCount());
            assertEquals(5, page.maxKeys());
            assertEquals(t, page.continuationToken());
            seen.addAll(keys(page.contents()));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
            if (page.isTruncated()) {
                assertNotNull(token);
            } else {
                assertNull(page.nextContinuationToken());
            }
        } while (token != null);

        assertEquals(all, seen);
        assertEquals(5, pages);
    }

    @Test
    void pagingWithADelimiterNeverRepeatsACommonPrefix() {
        List<String> all = List.of("a/1", "a/2", "a/3", "b", "c/1", "c/2", "d", "e/1");
        putAll(all);

        List<String> seenKeys = new ArrayList<>();
        List<String> seenPrefixes = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListObjectsV2Response page = s3.listObjectsV2(r -> r.bucket(bucket).delimiter("/").maxKeys(1)
                    .continuationToken(t));
            assertEquals(1, page.keyCount(), "max-keys counts keys and common prefixes together");
            seenKeys.addAll(keys(page.contents()));
            seenPrefixes.addAll(prefixes(page.commonPrefixes()));
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null);

        assertEquals(List.of("b", "d"), seenKeys);
        assertEquals(List.of("a/", "c/", "e/"), seenPrefixes);
    }

    @Test
    void v1PagingWithMarkerAndNextMarkerVisitsEveryKeyOnce() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add("m" + (char) ('a' + i));
        }
        putAll(all);

        List<String> seen = new ArrayList<>();
        String marker = null;
        while (true) {
            String m = marker;
            ListObjectsResponse page = s3.listObjects(r -> r.bucket(bucket).maxKeys(5).marker(m));
            assertEquals(m == null ? "" : m, page.marker() == null ? "" : page.marker());
            seen.addAll(keys(page.contents()));
            if (!page.isTruncated()) {
                break;
            }
            // without a delimiter AWS may omit NextMarker: the client continues from the last key
            marker = page.nextMarker() != null ? page.nextMarker() : page.contents().get(page.contents().size() - 1).key();
            assertEquals(page.contents().get(page.contents().size() - 1).key(), marker);
        }

        assertEquals(all, seen);
    }

    @Test
    void v1PagingWithADelimiterGivesNextMarkerAndNeverRepeatsACommonPrefix() {
        putAll(List.of("a/1", "a/2", "b", "c/1", "c/2", "d", "e"));

        ListObjectsResponse first = s3.listObjects(r -> r.bucket(bucket).delimiter("/").maxKeys(2));
        assertTrue(first.isTruncated());
        assertEquals(List.of("a/"), prefixes(first.commonPrefixes()));
        assertEquals(List.of("b"), keys(first.contents()));
        assertEquals("b", first.nextMarker());
        ListObjectsResponse second = s3.listObjects(r -> r.bucket(bucket).delimiter("/").maxKeys(2)
                .marker(first.nextMarker()));
        assertTrue(second.isTruncated());
        assertEquals(List.of("c/"), prefixes(second.commonPrefixes()));
        assertEquals(List.of("d"), keys(second.contents()));
        assertEquals("d", second.nextMarker());
        ListObjectsResponse third = s3.listObjects(r -> r.bucket(bucket).delimiter("/").maxKeys(2)
                .marker(second.nextMarker()));
        assertFalse(third.isTruncated());
        assertEquals(List.of("e"), keys(third.contents()));
        assertEquals(List.of(), prefixes(third.commonPrefixes()));
    }

    @Test
    void v1NextMarkerCanBeACommonPrefixAndTheNextPageStartsAfterIt() {
        putAll(List.of("a/1", "a/2", "b/1", "c"));

        ListObjectsResponse first = s3.listObjects(r -> r.bucket(bucket).delimiter("/").maxKeys(1));
        assertEquals(List.of("a/"), prefixes(first.commonPrefixes()));
        assertTrue(first.isTruncated());
        assertEquals("a/", first.nextMarker());
        ListObjectsResponse second = s3.listObjects(r -> r.bucket(bucket).delimiter("/").maxKeys(1)
                .marker(first.nextMarker()));
        assertEquals(List.of("b/"), prefixes(second.commonPrefixes()));
        assertEquals(List.of(), keys(second.contents()));
        assertEquals("b/", second.nextMarker());
        ListObjectsResponse third = s3.listObjects(r -> r.bucket(bucket).delimiter("/").maxKeys(1)
                .marker(second.nextMarker()));
        assertEquals(List.of("c"), keys(third.contents()));
        assertFalse(third.isTruncated());
    }

    @Test
    void markerInsideACommonPrefixSkipsThatPrefix() {
        putAll(List.of("a/1", "a/2", "b"));

        ListObjectsResponse r = s3.listObjects(x -> x.bucket(bucket).delimiter("/").marker("a/"));

        assertEquals(List.of("b"), keys(r.contents()));
        assertEquals(List.of(), prefixes(r.commonPrefixes()));
    }

    @Test
    void startAfterSkipsKeysUpToAndIncludingIt() {
        putAll(List.of("a", "b", "c", "d"));

        ListObjectsV2Response r = s3.listObjectsV2(x -> x.bucket(bucket).startAfter("b"));
        ListObjectsV2Response between = s3.listObjectsV2(x -> x.bucket(bucket).startAfter("bb"));
        ListObjectsV2Response past = s3.listObjectsV2(x -> x.bucket(bucket).startAfter("zzz"));

        assertEquals(List.of("c", "d"), keys(r.contents()));
        assertEquals("b", r.startAfter());
        assertEquals(List.of("c", "d"), keys(between.contents()));
        assertEquals(List.of(), keys(past.contents()));
    }

    @Test
    void continuationTokenTakesPrecedenceOverStartAfter() {
        putAll(List.of("a", "b", "c", "d", "e"));
        ListObjectsV2Response first = s3.listObjectsV2(x -> x.bucket(bucket).startAfter("a").maxKeys(2));
        assertEquals(List.of("b", "c"), keys(first.contents()));

        ListObjectsV2Response second = s3.listObjectsV2(x -> x.bucket(bucket).startAfter("a").maxKeys(2)
                .continuationToken(first.nextContinuationToken()));

        assertEquals(List.of("d", "e"), keys(second.contents()));
        assertFalse(second.isTruncated());
    }

    @Test
    void ownerIsListedInV2OnlyWhenFetchOwnerIsAskedAndAlwaysInV1() {
        putAll(List.of("o"));

        S3Object plain = s3.listObjectsV2(r -> r.bucket(bucket)).contents().get(0);
        S3Object withOwner = s3.listObjectsV2(r -> r.bucket(bucket).fetchOwner(true)).contents().get(0);
        S3Object v1 = s3.listObjects(r -> r.bucket(bucket)).contents().get(0);

        assertNull(plain.owner());
        assertNotNull(withOwner.owner());
        assertNotNull(withOwner.owner().id());
        assertNotNull(v1.owner());
        assertEquals(withOwner.owner().id(), v1.owner().id());
        assertEquals(s3.listBuckets().owner().id(), v1.owner().id());
    }

    @Test
    void listedEntriesCarrySizeEtagLastModifiedAndStorageClass() {
        byte[] data = S3Asserts.randomBytes(777, 5);
        S3Asserts.put(s3, bucket, "e", data);

        S3Object o = s3.listObjectsV2(r -> r.bucket(bucket)).contents().get(0);

        assertEquals(777L, o.size());
        assertEquals(S3Asserts.quoted(S3Asserts.md5Hex(data)), o.eTag());
        assertEquals(s3.headObject(r -> r.bucket(bucket).key("e")).lastModified(), o.lastModified());
        assertEquals("STANDARD", o.storageClassAsString());
    }

    static final List<String> AWKWARD = List.of("with space", "plus+sign", "ünïcödé", "日本/語", "pct%20literal",
            "amp&lt;", "tab\tkey", "a b/c d");

    @Test
    void encodingTypeUrlEncodesKeysAndTheSdkDecodesThemBack() {
        putAll(AWKWARD);

        ListObjectsV2Response v2 = s3.listObjectsV2(r -> r.bucket(bucket).encodingType("url"));
        ListObjectsResponse v1 = s3.listObjects(r -> r.bucket(bucket).encodingType("url"));

        List<String> expected = AWKWARD.stream().sorted(UTF8_ORDER).toList();
        assertEquals(expected, keys(v2.contents()));
        assertEquals(expected, keys(v1.contents()));
    }

    @Test
    void encodingTypeUrlOnTheWireEscapesEverythingThatIsNotSafe() {
        putAll(AWKWARD);

        RawHttp.Response raw = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/" + bucket + "?list-type=2&encoding-type=url&prefix=a%20b%2F&delimiter=%2F"),
                Map.of(), null));
        RawHttp.Response all = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/" + bucket + "?list-type=2&encoding-type=url"), Map.of(), null));

        assertEquals(200, raw.status(), raw::toString);
        assertTrue(raw.text().contains("<EncodingType>url</EncodingType>"), raw.text());
        assertEquals(List.of("a b/"), decodedElements(raw.text(), "Prefix").subList(0, 1));
        assertEquals(List.of("a b/c d"), decodedElements(raw.text(), "Key"));
        List<String> rawKeys = elements(all.text(), "Key");
        for (String k : rawKeys) {
            assertTrue(k.matches("[A-Za-z0-9%._~/+*-]*"), "not URL-encoded: " + k);
        }
        assertEquals(AWKWARD.stream().sorted(UTF8_ORDER).toList(), decodedElements(all.text(), "Key"));
    }

    private static List<String> elements(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static List<String> decodedElements(String xml, String name) {
        return elements(xml, name).stream().map(v -> URLDecoder.decode(v, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void listingOrderIsUtf8ByteOrderNotUtf16Order() {
        // U+FF21 (EF BC A1) sorts after U+1D11E (F0 9D 84 9E) in UTF-16 but before it in UTF-8
        List<String> keys = List.of("a", "B", "a/b", "a-b", "a0", "é", "\uFF21", "\uD834\uDD1E", "~", "Z", "\u00FF", "a ",
                "\u0100");
        putAll(keys);

        List<String> expected = keys.stream().sorted(UTF8_ORDER).toList();
        assertTrue(expected.indexOf("\uFF21") < expected.indexOf("\uD834\uDD1E"));
        assertEquals(expected, keys(s3.listObjectsV2(r -> r.bucket(bucket)).contents()));
        assertEquals(expected, keys(s3.listObjects(r -> r.bucket(bucket)).contents()));
        List<String> paged = new ArrayList<>();
        s3.listObjectsV2Paginator(r -> r.bucket(bucket).maxKeys(2)).forEach(p -> paged.addAll(keys(p.contents())));
        assertEquals(expected, paged);
    }

    @Test
    void paginatorWalksTwoAndAHalfThousandKeysInOrder() throws Exception {
        int n = 2_500;
        List<String> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(String.format("dir%d/key-%05d", i % 3, i));
        }
        try (S3AsyncClient async = server.asyncClient(false)) {
            Semaphore inFlight = new Semaphore(64);
            List<CompletableFuture<?>> puts = new ArrayList<>();
            for (String k : all) {
                inFlight.acquire();
                puts.add(async.putObject(r -> r.bucket(bucket).key(k), AsyncRequestBody.fromBytes(new byte[] {1}))
                        .whenComplete((v, e) -> inFlight.release()));
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get();
        }

        List<String> seen = new ArrayList<>();
        int pages = 0;
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(r -> r.bucket(bucket))) {
            pages++;
            assertTrue(page.keyCount() <= 1000);
            seen.addAll(keys(page.contents()));
        }

        assertEquals(all.stream().sorted(UTF8_ORDER).toList(), seen);
        assertEquals(3, pages);
        ListObjectsV2Response capped = s3.listObjectsV2(r -> r.bucket(bucket).maxKeys(5000));
        assertEquals(1000, capped.contents().size());
        assertTrue(capped.isTruncated());
        ListObjectsV2Response rolled = s3.listObjectsV2(r -> r.bucket(bucket).delimiter("/"));
        assertEquals(List.of("dir0/", "dir1/", "dir2/"), prefixes(rolled.commonPrefixes()));
        assertFalse(rolled.isTruncated());
    }
}
