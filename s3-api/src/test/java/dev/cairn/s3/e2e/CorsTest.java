package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.GetBucketCorsResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Put/Get/DeleteBucketCors with the SDK, preflight OPTIONS requests (anonymous, raw HTTP) and the
 * Access-Control-* headers on actual requests, as S3 answers them.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CorsTest {
    private static TestServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        s3 = server.client();
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

    private static final CORSRule UPLOADS = CORSRule.builder().id("uploads")
            .allowedOrigins("https://*.example.com").allowedMethods("PUT", "POST")
            .allowedHeaders("x-amz-*", "Content-Type").exposeHeaders("ETag", "x-amz-request-id")
            .maxAgeSeconds(3000).build();
    private static final CORSRule PUBLIC_READ = CORSRule.builder()
            .allowedOrigins("*").allowedMethods("GET", "HEAD").build();

    private void putRules(CORSRule... rules) {
        s3.putBucketCors(r -> r.bucket(bucket).corsConfiguration(c -> c.corsRules(rules)));
    }

    private RawHttp.Response preflight(String path, Map<String, String> headers) {
        return RawHttp.send(RawHttp.unsigned(SdkHttpMethod.OPTIONS, URI.create(server.endpoint() + path), headers, null));
    }

    private static Map<String, String> preflightHeaders(String origin, String method, String requestHeaders) {
        Map<String, String> h = new LinkedHashMap<>();
        if (origin != null) {
            h.put("Origin", origin);
        }
        if (method != null) {
            h.put("Access-Control-Request-Method", method);
        }
        if (requestHeaders != null) {
            h.put("Access-Control-Request-Headers", requestHeaders);
        }
        return h;
    }

    // ------------------------------------------------------------------ configuration

    @Test
    void putCorsThenGetReturnsTheSameRulesAndDeleteRemovesThem() {
        putRules(UPLOADS, PUBLIC_READ);

        GetBucketCorsResponse got = s3.getBucketCors(r -> r.bucket(bucket));
        assertEquals(List.of(UPLOADS, PUBLIC_READ), got.corsRules());

        s3.deleteBucketCors(r -> r.bucket(bucket));
        assertS3Error(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(r -> r.bucket(bucket)));
    }

    @Test
    void getCorsOfABucketWithoutRulesIsNoSuchCorsConfiguration() {
        assertS3Error(404, "NoSuchCORSConfiguration", () -> s3.getBucketCors(r -> r.bucket(bucket)));
    }

    @Test
    void corsOfAMissingBucketIsNoSuchBucket() {
        String missing = TestServer.uniqueBucket("missing");
        assertS3Error(404, "NoSuchBucket", () -> s3.getBucketCors(r -> r.bucket(missing)));
        assertS3Error(404, "NoSuchBucket", () -> s3.putBucketCors(r -> r.bucket(missing)
                .corsConfiguration(c -> c.corsRules(PUBLIC_READ))));
    }

    @Test
    void methodOtherThanGetPutPostDeleteHeadIsInvalidRequest() {
        assertS3Error(400, "InvalidRequest", () -> putRules(CORSRule.builder()
                .allowedOrigins("*").allowedMethods("PATCH").build()));
    }

    @Test
    void originWithTwoWildcardsIsInvalidRequest() {
        assertS3Error(400, "InvalidRequest", () -> putRules(CORSRule.builder()
                .allowedOrigins("https://*.*.example.com").allowedMethods("GET").build()));
    }

    @Test
    void moreThanAHundredRulesIsMalformedXml() {
        List<CORSRule> rules = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            rules.add(CORSRule.builder().allowedOrigins("https://o" + i + ".example").allowedMethods("GET").build());
        }
        assertS3Error(400, "MalformedXML", () -> s3.putBucketCors(r -> r.bucket(bucket)
                .corsConfiguration(c -> c.corsRules(rules))));
    }

    @Test
    void ruleWithoutOriginOrNotXmlIsMalformedXml() {
        byte[] noOrigin = ("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule>"
                + "</CORSConfiguration>").getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(server.endpoint() + "/" + bucket + "?cors");
        assertRawError(400, "MalformedXML", RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri, Map.of(), noOrigin)));
        assertRawError(400, "MalformedXML", RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT, uri, Map.of(),
                "not xml".getBytes(StandardCharsets.UTF_8))));
    }

    // ------------------------------------------------------------------ preflight

    @Test
    void preflightMatchingARuleAnswersItsHeadersAndEchoesTheOrigin() {
        putRules(PUBLIC_READ, UPLOADS);

        RawHttp.Response r = preflight("/" + bucket + "/photos/a.jpg",
                preflightHeaders("https://app.example.com", "PUT", "Content-Type, X-Amz-Date"));

        assertEquals(200, r.status(), r::toString);
        assertEquals("https://app.example.com", r.header("Access-Control-Allow-Origin"));
        assertEquals("true", r.header("Access-Control-Allow-Credentials"));
        assertEquals("PUT, POST", r.header("Access-Control-Allow-Methods"));
        assertEquals("content-type, x-amz-date", r.header("Access-Control-Allow-Headers"));
        assertEquals("ETag, x-amz-request-id", r.header("Access-Control-Expose-Headers"));
        assertEquals("3000", r.header("Access-Control-Max-Age"));
        assertTrue(r.header("Vary").contains("Origin"), r.header("Vary"));
    }

    @Test
    void preflightMatchingAWildcardOriginRuleAnswersStarWithoutCredentials() {
        putRules(PUBLIC_READ);

        RawHttp.Response r = preflight("/" + bucket, preflightHeaders("http://anywhere.test", "GET", null));

        assertEquals(200, r.status(), r::toString);
        assertEquals("*", r.header("Access-Control-Allow-Origin"));
        assertNull(r.header("Access-Control-Allow-Credentials"));
        assertEquals("GET, HEAD", r.header("Access-Control-Allow-Methods"));
        assertNull(r.header("Access-Control-Max-Age"));
    }

    @Test
    void preflightWithoutAMatchingRuleIsAccessForbidden() {
        putRules(UPLOADS);
        String key = "/" + bucket + "/k";

        // origin not allowed, method not allowed, a header not allowed
        for (Map<String, String> h : List.of(preflightHeaders("https://evil.test", "PUT", null),
                preflightHeaders("https://app.example.com", "DELETE", null),
                preflightHeaders("https://app.example.com", "PUT", "content-type, authorization"))) {
            RawHttp.Response r = preflight(key, h);
            assertRawError(403, "AccessForbidden", r);
            assertTrue(r.text().contains("CORSResponse: This CORS request is not allowed"), r::toString);
            assertNull(r.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void preflightOnABucketWithoutCorsIsAccessForbidden() {
        RawHttp.Response r = preflight("/" + bucket + "/k", preflightHeaders("https://a.test", "GET", null));
        assertRawError(403, "AccessForbidden", r);
        assertTrue(r.text().contains("CORSResponse: CORS is not enabled for this bucket."), r::toString);
    }

    @Test
    void preflightWithoutOriginOrRequestMethodIsBadRequest() {
        putRules(PUBLIC_READ);
        assertRawError(400, "BadRequest", preflight("/" + bucket + "/k", preflightHeaders(null, "GET", null)));
        assertRawError(400, "BadRequest", preflight("/" + bucket + "/k", preflightHeaders("https://a.test", null, null)));
    }

    // ------------------------------------------------------------------ actual requests

    @Test
    void signedRequestWithAMatchingOriginGetsCorsHeadersOnSuccessAndOnError() {
        putRules(UPLOADS, PUBLIC_READ);
        s3.putObject(r -> r.bucket(bucket).key("k"), software.amazon.awssdk.core.sync.RequestBody.fromString("hi"));
        Map<String, String> origin = Map.of("Origin", "https://site.test");

        RawHttp.Response ok = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/" + bucket + "/k"), origin, null));
        assertEquals(200, ok.status(), ok::toString);
        assertEquals("*", ok.header("Access-Control-Allow-Origin"));
        assertEquals("GET, HEAD", ok.header("Access-Control-Allow-Methods"));

        RawHttp.Response missing = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/" + bucket + "/nope"), origin, null));
        assertRawError(404, "NoSuchKey", missing);
        assertEquals("*", missing.header("Access-Control-Allow-Origin"));

        RawHttp.Response put = RawHttp.send(RawHttp.signed(SdkHttpMethod.PUT,
                URI.create(server.endpoint() + "/" + bucket + "/up"), Map.of("Origin", "https://app.example.com"),
                "x".getBytes(StandardCharsets.UTF_8)));
        assertEquals(200, put.status(), put::toString);
        assertEquals("https://app.example.com", put.header("Access-Control-Allow-Origin"));
        assertEquals("true", put.header("Access-Control-Allow-Credentials"));
        assertEquals("ETag, x-amz-request-id", put.header("Access-Control-Expose-Headers"));
    }

    @Test
    void requestWithANonMatchingOriginGetsNoCorsHeaders() {
        putRules(UPLOADS);
        RawHttp.Response r = RawHttp.send(RawHttp.signed(SdkHttpMethod.GET,
                URI.create(server.endpoint() + "/" + bucket + "?list-type=2"), Map.of("Origin", "https://evil.test"),
                null));
        assertEquals(200, r.status(), r::toString);
        assertNull(r.header("Access-Control-Allow-Origin"));
    }
}
