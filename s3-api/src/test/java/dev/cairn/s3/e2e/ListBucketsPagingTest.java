package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ListBuckets paging as AWS documents it: {@code max-buckets} (1 to 10,000) and an opaque
 * {@code continuation-token}, filtered by {@code prefix} and {@code bucket-region}; the response
 * carries the next ContinuationToken while more buckets follow and echoes the Prefix.
 */
class ListBucketsPagingTest {
    private static TestServer server;
    private static S3Client s3;
    private static final List<String> PAGED = IntStream.rangeClosed(1, 7).mapToObj(i -> "paged-" + i).toList();
    private static final List<String> OTHERS = List.of("alpha-1", "zeta-1");

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
        for (String b : PAGED) {
            s3.createBucket(r -> r.bucket(b));
        }
        for (String b : OTHERS) {
            s3.createBucket(r -> r.bucket(b));
        }
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static List<String> names(ListBucketsResponse r) {
        return r.buckets().stream().map(Bucket::name).toList();
    }

    @Test
    void maxBucketsPagesWithAContinuationTokenUntilTheLastPage() {
        List<String> all = new ArrayList<>();
        ListBucketsResponse page = s3.listBuckets(r -> r.maxBuckets(4));
        assertEquals(List.of("alpha-1", "paged-1", "paged-2", "paged-3"), names(page));
        assertNotNull(page.continuationToken());
        all.addAll(names(page));
        String token = page.continuationToken();
        page = s3.listBuckets(r -> r.maxBuckets(4).continuationToken(token));
        assertEquals(List.of("paged-4", "paged-5", "paged-6", "paged-7"), names(page));
        all.addAll(names(page));
        String token2 = page.continuationToken();
        page = s3.listBuckets(r -> r.maxBuckets(4).continuationToken(token2));
        assertEquals(List.of("zeta-1"), names(page));
        assertNull(page.continuationToken(), "no token on the last page");
        all.addAll(names(page));
        assertEquals(s3.listBuckets().buckets().stream().map(Bucket::name).toList(), all);
        assertNull(s3.listBuckets().continuationToken(), "an unpaged listing has no token");

        List<String> paginated = new ArrayList<>();
        s3.listBucketsPaginator(r -> r.maxBuckets(2)).forEach(p -> paginated.addAll(names(p)));
        assertEquals(all, paginated);
    }

    @Test
    void prefixFiltersTheBucketsAndIsEchoed() {
        ListBucketsResponse first = s3.listBuckets(r -> r.prefix("paged-").maxBuckets(5));
        assertEquals(PAGED.subList(0, 5), names(first));
        assertEquals("paged-", first.prefix());
        ListBucketsResponse second = s3.listBuckets(r -> r.prefix("paged-").maxBuckets(5)
                .continuationToken(first.continuationToken()));
        assertEquals(PAGED.subList(5, 7), names(second));
        assertNull(second.continuationToken());
        // without max-buckets AWS pages by 10,000: here all fit in one page
        ListBucketsResponse unpaged = s3.listBuckets(r -> r.prefix("paged-"));
        assertEquals(PAGED, names(unpaged));
        assertNull(unpaged.continuationToken());
        assertEquals(List.of(), names(s3.listBuckets(r -> r.prefix("nothing-"))));
    }

    @Test
    void bucketRegionFiltersByTheBucketsRegion() {
        ListBucketsResponse here = s3.listBuckets(r -> r.bucketRegion("us-east-1").maxBuckets(100));
        assertTrue(names(here).containsAll(PAGED), names(here)::toString);
        assertTrue(here.buckets().stream().allMatch(b -> "us-east-1".equals(b.bucketRegion())));
        assertEquals(List.of(), names(s3.listBuckets(r -> r.bucketRegion("eu-west-1"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "10001", "-1", "many"})
    void maxBucketsOutsideOneToTenThousandIsInvalidArgument(String value) {
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/?max-buckets=" + value), Map.of(), null));
        assertRawError(400, "InvalidArgument", r);
        assertTrue(r.text().contains("<ArgumentName>max-buckets</ArgumentName>"), r::toString);
    }

    @Test
    void aContinuationTokenCairnDidNotIssueIsInvalidArgument() {
        assertS3Error(400, "InvalidArgument", () -> s3.listBuckets(r -> r.maxBuckets(2).continuationToken("not a token!")));
        assertFalse(names(s3.listBuckets(r -> r.maxBuckets(2))).isEmpty());
    }
}
