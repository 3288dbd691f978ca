package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static dev.cairn.s3.e2e.S3Asserts.assertRawError;
import static dev.cairn.s3.e2e.S3Asserts.md5Hex;
import static dev.cairn.s3.e2e.S3Asserts.quoted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST Object: browser-style multipart/form-data uploads built here from a policy document and
 * signed as a browser page's server would (SigV4 signing key, HMAC of the base64 policy), sent as
 * raw HTTP and read back with the SDK. The server uses 64 KiB chunks so a file spans many.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostObjectTest {
    private static final String BOUNDARY = "----CairnFormBoundaryZ8u2XkQ";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private static TestServer server;
    private static S3Client s3;
    private String bucket;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(64 * 1024));
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

    // ------------------------------------------------------------------ building forms

    /** A form upload: fields in order, the policy's conditions, the file and fields after it. */
    private final class Form {
        final Map<String, String> fields = new LinkedHashMap<>();
        final List<String> conditions = new ArrayList<>();
        Instant expiration = Instant.now().plus(1, ChronoUnit.HOURS);
        String secret = TestServer.SECRET_KEY;
        String accessKey = TestServer.ACCESS_KEY;
        byte[] file = "hello from a browser".getBytes(StandardCharsets.UTF_8);
        String filename = "hello.txt";
        final Map<String, String> after = new LinkedHashMap<>();

        Form(String key) {
            field("key", key);
            conditions.add("{\"bucket\": \"" + bucket + "\"}");
        }

        /** A field the policy allows exactly. */
        Form field(String name, String value) {
            fields.put(name, value);
            conditions.add("[\"eq\", \"$" + name + "\", \"" + value + "\"]");
            return this;
        }

        String policyJson() {
            return "{\"expiration\": \"" + expiration.truncatedTo(ChronoUnit.SECONDS) + "\", \"conditions\": ["
                    + String.join(", ", conditions) + "]}";
        }

        /** The signed fields: credential, algorithm, date, policy and signature. */
        Map<String, String> signedFields(String policyBase64) {
            Instant now = Instant.now();
            String date = AMZ_DATE.format(now).substring(0, 8);
            Map<String, String> out = new LinkedHashMap<>(fields);
            out.put("x-amz-credential", accessKey + "/" + date + "/us-east-1/s3/aws4_request");
            out.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
            out.put("x-amz-date", AMZ_DATE.format(now));
            out.put("policy", policyBase64);
            out.put("x-amz-signature", sign(secret, date, policyBase64));
            return out;
        }

        /** Conditions covering the signing fields, as every real policy has. */
        String completePolicy() {
            Instant now = Instant.now();
            String date = AMZ_DATE.format(now).substring(0, 8);
            conditions.add("{\"x-amz-credential\": \"" + accessKey + "/" + date + "/us-east-1/s3/aws4_request\"}");
            conditions.add("{\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"}");
            conditions.add("[\"starts-with\", \"$x-amz-date\", \"" + date + "\"]");
            return Base64.getEncoder().encodeToString(policyJson().getBytes(StandardCharsets.UTF_8));
        }

        RawHttp.Response send() {
            return sendWith(signedFields(completePolicy()));
        }

        RawHttp.Response sendWith(Map<String, String> formFields) {
            return post(body(formFields, filename, file, after));
        }
    }

    private RawHttp.Response post(byte[] body) {
        return RawHttp.send(RawHttp.unsigned(SdkHttpMethod.POST, URI.create(server.endpoint() + "/" + bucket),
                Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY), body));
    }

    static byte[] body(Map<String, String> fields, String filename, byte[] file, Map<String, String> after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        fields.forEach((k, v) -> part(out, k, v));
        if (file != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        after.forEach((k, v) -> part(out, k, v));
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static void part(ByteArrayOutputStream out, String name, String value) {
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** SigV4 for POST: HMAC-SHA256 of the base64 policy with the signing key, computed here independently. */
    static String sign(String secret, String date, String policyBase64) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, "us-east-1");
        k = hmac(k, "s3");
        k = hmac(k, "aws4_request");
        return HexFormat.of().formatHex(hmac(k, policyBase64));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private ResponseBytes<GetObjectResponse> read(String key) {
        return s3.getObjectAsBytes(r -> r.bucket(bucket).key(key));
    }

    // ------------------------------------------------------------------ success

    @Test
    void browserUploadIsStoredWithItsFieldsAndTheSdkReadsItBack() {
        Form form = new Form("uploads/${filename}")
                .field("Content-Type", "text/plain")
                .field("x-amz-meta-uploader", "alice")
                .field("success_action_status", "201");

        RawHttp.Response r = form.send();

        assertEquals(201, r.status(), r::toString);
        assertTrue(r.text().contains("<Key>uploads/hello.txt</Key>"), r::toString);
        assertTrue(r.text().contains("<Bucket>" + bucket + "</Bucket>"), r::toString);
        assertTrue(r.text().contains("<ETag>&quot;" + md5Hex(form.file) + "&quot;</ETag>")
                || r.text().contains("<ETag>\"" + md5Hex(form.file) + "\"</ETag>"), r::toString);
        ResponseBytes<GetObjectResponse> got = read("uploads/hello.txt");
        assertArrayEquals(form.file, got.asByteArray());
        assertEquals("text/plain", got.response().contentType());
        assertEquals(Map.of("uploader", "alice"), got.response().metadata());
        assertEquals(quoted(md5Hex(form.file)), got.response().eTag());
    }

    @Test
    void nonAsciiFormMetadataComesBackAsTheUtf8TheBrowserSent() {
        String value = "r\u00e9sum\u00e9 \u65e5\u672c";
        RawHttp.Response r = new Form("utf8").field("x-amz-meta-title", value).send();
        assertEquals(204, r.status(), r::toString);
        RawHttp.Response head = RawHttp.send(RawHttp.signed(SdkHttpMethod.HEAD,
                URI.create(server.endpoint() + "/" + bucket + "/utf8"), Map.of(), null));
        // RawHttp reads the response head as UTF-8: equal strings mean the UTF-8 bytes went out
        assertEquals(value, head.header("x-amz-meta-title"), head::toString);
    }

    /** A form signed the SigV2 way: AWSAccessKeyId, policy and signature = base64 HMAC-SHA1 of the policy. */
    @Test
    void aSigV2SignedFormIsAcceptedAndATamperedOneIsNot() throws Exception {
        Form form = new Form("v2/hello.txt");
        String policy = Base64.getEncoder().encodeToString(form.policyJson().getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TestServer.SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(policy.getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> fields = new LinkedHashMap<>(form.fields);
        fields.put("AWSAccessKeyId", TestServer.ACCESS_KEY);
        fields.put("policy", policy);
        fields.put("signature", signature);
        assertEquals(204, form.sendWith(fields).status());
        assertArrayEquals(form.file, s3.getObjectAsBytes(r -> r.bucket(bucket).key("v2/hello.txt")).asByteArray());

        Map<String, String> tampered = new LinkedHashMap<>(fields);
        tampered.put("signature", signature.substring(1) + "A");
        assertRawError(403, "AccessDenied", form.sendWith(tampered));
        Map<String, String> stranger = new LinkedHashMap<>(fields);
        stranger.put("AWSAccessKeyId", "NOBODY");
        assertRawError(403, "InvalidAccessKeyId", form.sendWith(stranger));
    }

    /** Neither policy nor signature: an anonymous upload, which a private bucket refuses. */
    @Test
    void anUnsignedFormIsAnonymousAndRefusedByAPrivateBucket() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", "anonymous.txt");
        assertRawError(403, "AccessDenied", new Form("anonymous.txt").sendWith(fields));
    }

    @Test
    void defaultAnswerIs204WithEtagAndLocation() {
        RawHttp.Response r = new Form("plain").send();

        assertEquals(204, r.status(), r::toString);
        assertEquals(quoted(md5Hex("hello from a browser".getBytes(StandardCharsets.UTF_8))), r.header("ETag"));
        assertTrue(r.header("Location").endsWith("/" + bucket + "/plain"), r.header("Location"));
    }

    @Test
    void successActionStatus200AnswersEmpty200() {
        RawHttp.Response r = new Form("two-hundred").field("success_action_status", "200").send();
        assertEquals(200, r.status(), r::toString);
        assertEquals(0, r.body().length);
    }

    @Test
    void successActionRedirectAnswers303WithBucketKeyAndEtag() {
        Form form = new Form("redir").field("success_action_redirect", "https://app.example/done?x=1");

        RawHttp.Response r = form.send();

        assertEquals(303, r.status(), r::toString);
        String location = r.header("Location");
        assertTrue(location.startsWith("https://app.example/done?x=1&bucket=" + bucket + "&key=redir&etag="), location);
        assertTrue(location.endsWith("%22" + md5Hex(form.file) + "%22"), location);
    }

    @Test
    void largeFileIsStreamedAcrossManyChunks() {
        Form form = new Form("big.bin");
        form.file = S3Asserts.randomBytes(3 * 1024 * 1024 + 17, 7);

        RawHttp.Response r = form.send();

        assertEquals(204, r.status(), r::toString);
        assertArrayEquals(form.file, read("big.bin").asByteArray());
        assertEquals(quoted(md5Hex(form.file)), read("big.bin").response().eTag());
    }

    @Test
    void fieldsAfterTheFileAreIgnored() {
        Form form = new Form("late");
        form.after.put("x-amz-meta-late", "not in the policy");

        RawHttp.Response r = form.send();

        assertEquals(204, r.status(), r::toString);
        assertTrue(read("late").response().metadata().isEmpty());
    }

    @Test
    void checksumFieldIsVerifiedOrComputedAndStored() {
        byte[] file = "checked".getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(file);
        String good = Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        Form ok = new Form("crc").field("x-amz-checksum-crc32", good);
        ok.file = file;
        RawHttp.Response r = ok.send();
        assertEquals(204, r.status(), r::toString);
        assertEquals(good, r.header("x-amz-checksum-crc32"));

        Form computed = new Form("crc-computed").field("x-amz-checksum-algorithm", "CRC32");
        computed.file = file;
        assertEquals(good, computed.send().header("x-amz-checksum-crc32"));

        Form bad = new Form("crc-bad").field("x-amz-checksum-crc32", "AAAAAA==");
        bad.file = file;
        assertRawError(400, "BadDigest", bad.send());
    }

    @Test
    void privateAclIsAcceptedAndOthersAreRefusedWhileTheBucketDisablesAcls() {
        assertEquals(204, new Form("acl-private").field("acl", "private").send().status());
        assertRawError(400, "AccessControlListNotSupported", new Form("acl-public").field("acl", "public-read").send());
    }

    @Test
    void sseWithoutAMasterKeyAndObjectLockFieldsAreNotImplementedAndNothingIsStored() {
        assertRawError(501, "NotImplemented",
                new Form("sse-field").field("x-amz-server-side-encryption", "AES256").send());
        assertRawError(501, "NotImplemented",
                new Form("lock-field").field("x-amz-object-lock-legal-hold", "ON").send());
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("sse-field")));
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("lock-field")));
    }

    // ------------------------------------------------------------------ refused

    @Test
    void tamperedPolicyWithTheOriginalSignatureIsAccessDenied() {
        Form form = new Form("tamper").field("x-amz-meta-role", "user");
        String policy = form.completePolicy();
        Map<String, String> fields = form.signedFields(policy);
        byte[] decoded = Base64.getDecoder().decode(policy);
        String json = new String(decoded, StandardCharsets.UTF_8);
        int at = json.indexOf("\"user\"") + 1;
        decoded[at] = (byte) 'v'; // "user" -> "vser": one byte of the decoded policy
        fields.put("policy", Base64.getEncoder().encodeToString(decoded));
        fields.put("x-amz-meta-role", "vser");

        RawHttp.Response r = form.sendWith(fields);

        assertRawError(403, "AccessDenied", r);
        assertTrue(s3.listObjectsV2(l -> l.bucket(bucket)).contents().isEmpty(), "nothing was stored");
    }

    @Test
    void signatureWithAnotherSecretIsAccessDeniedAndAnUnknownKeyIsInvalidAccessKeyId() {
        Form wrongSecret = new Form("sig");
        wrongSecret.secret = "not-the-secret";
        assertRawError(403, "AccessDenied", wrongSecret.send());

        Form unknownKey = new Form("sig");
        unknownKey.accessKey = "AKIDUNKNOWN";
        assertRawError(403, "InvalidAccessKeyId", unknownKey.send());
    }

    @Test
    void expiredPolicyIsAccessDenied() {
        Form form = new Form("old");
        form.expiration = Instant.now().minus(1, ChronoUnit.MINUTES);
        RawHttp.Response r = form.send();
        assertRawError(403, "AccessDenied", r);
        assertTrue(r.text().contains("Invalid according to Policy: Policy expired."), r::toString);
    }

    @Test
    void failingConditionIsAccessDenied() {
        Form wrongKey = new Form("actual-key");
        wrongKey.conditions.add("[\"starts-with\", \"$key\", \"uploads/\"]");
        RawHttp.Response r = wrongKey.send();
        assertRawError(403, "AccessDenied", r);
        assertTrue(r.text().contains("Policy Condition failed"), r::toString);

        Form otherBucket = new Form("k");
        otherBucket.conditions.set(0, "{\"bucket\": \"some-other-bucket\"}");
        assertRawError(403, "AccessDenied", otherBucket.send());
    }

    @Test
    void fieldNotNamedByThePolicyIsAccessDenied() {
        Form form = new Form("extra");
        Map<String, String> fields = form.signedFields(form.completePolicy());
        fields.put("x-amz-meta-sneaky", "1");

        RawHttp.Response r = form.sendWith(fields);

        assertRawError(403, "AccessDenied", r);
        assertTrue(r.text().contains("Extra input fields: x-amz-meta-sneaky"), r::toString);
    }

    @Test
    void formWithoutAFileIsInvalidArgument() {
        Form form = new Form("nofile");
        form.file = null;
        assertRawError(400, "InvalidArgument", form.send());
    }

    @Test
    void fileOutsideTheContentLengthRangeIsEntityTooLargeOrTooSmall() {
        Form large = new Form("range");
        large.conditions.add("[\"content-length-range\", 1, 100]");
        large.file = new byte[200 * 1024];
        assertRawError(400, "EntityTooLarge", large.send());

        Form small = new Form("range");
        small.conditions.add("[\"content-length-range\", 100, 1000]");
        small.file = new byte[10];
        assertRawError(400, "EntityTooSmall", small.send());

        Form fits = new Form("range");
        fits.conditions.add("[\"content-length-range\", 1, 100]");
        fits.file = new byte[100];
        assertEquals(204, fits.send().status());
    }

    @Test
    void anonymousPostWithoutPolicyOrSignatureIsAccessDenied() {
        RawHttp.Response r = post(body(Map.of("key", "anon"), "a.txt", new byte[3], Map.of()));
        assertRawError(403, "AccessDenied", r);
    }

    @Test
    void bodyThatIsNotMultipartIsMalformedPostRequest() {
        RawHttp.Response r = post("just some bytes".getBytes(StandardCharsets.UTF_8));
        assertRawError(400, "MalformedPOSTRequest", r);
    }

    @Test
    void startsWithConditionsAllowAnyValueWithThePrefix() {
        Form form = new Form("user/eric/${filename}");
        form.conditions.set(1, "[\"starts-with\", \"$key\", \"user/eric/\"]");
        form.fields.put("Content-Type", "image/png");
        form.conditions.add("[\"starts-with\", \"$Content-Type\", \"image/\"]");

        RawHttp.Response r = form.send();

        assertEquals(204, r.status(), r::toString);
        assertEquals("image/png", read("user/eric/hello.txt").response().contentType());
    }

    @Test
    void policyThatIsNotJsonIsInvalidPolicyDocument() {
        Form form = new Form("json");
        String policy = Base64.getEncoder().encodeToString("{not json".getBytes(StandardCharsets.UTF_8));
        assertRawError(400, "InvalidPolicyDocument", form.sendWith(form.signedFields(policy)));
    }

    @Test
    void formWithoutAKeyIsInvalidArgument() {
        Form form = new Form("k");
        form.fields.remove("key");
        assertRawError(400, "InvalidArgument", form.send());
    }

    @Test
    void taggingFieldTagsTheObjectAndBadTagsAreInvalidTag() {
        Form form = new Form("tagged").field("tagging",
                "<Tagging><TagSet><Tag><Key>team</Key><Value>web</Value></Tag></TagSet></Tagging>");
        assertEquals(204, form.send().status());
        assertEquals(List.of(Tag.builder().key("team").value("web").build()),
                s3.getObjectTagging(r -> r.bucket(bucket).key("tagged")).tagSet());

        Form bad = new Form("badly-tagged").field("tagging",
                "<Tagging><TagSet><Tag><Key>aws:reserved</Key><Value>x</Value></Tag></TagSet></Tagging>");
        assertRawError(400, "InvalidTag", bad.send());
    }

    @Test
    void postToAMissingBucketIsNoSuchBucket() {
        String existing = bucket;
        bucket = TestServer.uniqueBucket("absent");
        try {
            assertRawError(404, "NoSuchBucket", new Form("k").send());
        } finally {
            bucket = existing;
        }
    }

    @Test
    void uploadFromAnAllowedOriginGetsCorsHeaders() {
        s3.putBucketCors(r -> r.bucket(bucket).corsConfiguration(c -> c.corsRules(rule -> rule
                .allowedOrigins("https://app.example").allowedMethods("POST").exposeHeaders("ETag"))));
        Form form = new Form("cors");
        byte[] body = body(form.signedFields(form.completePolicy()), form.filename, form.file, Map.of());

        RawHttp.Response r = RawHttp.send(RawHttp.unsigned(SdkHttpMethod.POST, URI.create(server.endpoint() + "/" + bucket),
                Map.of("Content-Type", "multipart/form-data; boundary=" + BOUNDARY, "Origin", "https://app.example"),
                body));

        assertEquals(204, r.status(), r::toString);
        assertEquals("https://app.example", r.header("Access-Control-Allow-Origin"));
        assertEquals("ETag", r.header("Access-Control-Expose-Headers"));
    }
}
