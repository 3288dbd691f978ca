package dev.cairn.s3.e2e;

import dev.cairn.s3.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.cairn.s3.e2e.S3Asserts.md5Base64;
import static dev.cairn.s3.e2e.S3Asserts.randomBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 3 of issue 17: every server-side encryption header AWS documents for PutObject (and a
 * few on operations that do not take them) is either honoured - the object answers which
 * encryption protects it - or refused with a clear error, and nothing is stored. None is ignored.
 */
class EncryptionHeadersTableTest {
    private static TestServer server;
    private static S3Client s3;
    private static String bucket;
    private static String kmsKey;
    private static final byte[] KEY = randomBytes(32, 11);
    private static final String K = Base64.getEncoder().encodeToString(KEY);
    private static final String K_MD5 = md5Base64(KEY);

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withEncryption(new ServerConfig.Encryption(null,
                Base64.getEncoder().encodeToString(randomBytes(32, 12)), true, true)));
        s3 = server.client();
        bucket = TestServer.uniqueBucket("sse-table");
        s3.createBucket(b -> b.bucket(bucket));
        kmsKey = server.server().protection().keys().keyring().create();
        s3.putObject(b -> b.bucket(bucket).key("existing"), RequestBody.fromBytes(new byte[100]));
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    /** A PUT with these headers, and what must come of it: 200 and the encryption HEAD reports, or status and code. */
    record Row(String name, Map<String, String> headers, int status, String code, String answered) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Map<String, String> h(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static List<Row> puts() {
        String sse = "x-amz-server-side-encryption";
        String c = "x-amz-server-side-encryption-customer-";
        String cs = "x-amz-copy-source-server-side-encryption-customer-";
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("AES256", h(sse, "AES256"), 200, null, "AES256"));
        rows.add(new Row("aws:kms, keyring key", h(sse, "aws:kms", sse + "-aws-kms-key-id", "KMS"), 200, null,
                "aws:kms"));
        rows.add(new Row("aws:kms, keyring default", h(sse, "aws:kms"), 200, null, "aws:kms"));
        rows.add(new Row("aws:kms, unknown key", h(sse, "aws:kms", sse + "-aws-kms-key-id", "nope"), 400,
                "KMS.NotFoundException", null));
        rows.add(new Row("aws:kms:dsse", h(sse, "aws:kms:dsse"), 501, "NotImplemented", null));
        rows.add(new Row("unknown algorithm", h(sse, "AES128"), 400, "InvalidArgument", null));
        rows.add(new Row("kms key id alone", h(sse + "-aws-kms-key-id", "KMS"), 400, "InvalidArgument", null));
        rows.add(new Row("kms key id with AES256", h(sse, "AES256", sse + "-aws-kms-key-id", "KMS"), 400,
                "InvalidArgument", null));
        rows.add(new Row("encryption context", h(sse, "aws:kms", sse + "-context",
                Base64.getEncoder().encodeToString("{\"a\":\"b\"}".getBytes())), 501, "NotImplemented", null));
        rows.add(new Row("bucket key enabled", h(sse, "aws:kms", sse + "-bucket-key-enabled", "true"), 501,
                "NotImplemented", null));
        rows.add(new Row("bucket key disabled", h(sse, "AES256", sse + "-bucket-key-enabled", "false"), 200, null,
                "AES256"));
        rows.add(new Row("SSE-C", h(c + "algorithm", "AES256", c + "key", K, c + "key-MD5", K_MD5), 200, null,
                "SSE-C"));
        rows.add(new Row("SSE-C without key", h(c + "algorithm", "AES256"), 400, "InvalidArgument", null));
        rows.add(new Row("SSE-C without algorithm", h(c + "key", K, c + "key-MD5", K_MD5), 400, "InvalidArgument",
                null));
        rows.add(new Row("SSE-C without key MD5", h(c + "algorithm", "AES256", c + "key", K), 400,
                "InvalidArgument", null));
        rows.add(new Row("SSE-C wrong key MD5", h(c + "algorithm", "AES256", c + "key", K, c + "key-MD5",
                md5Base64(new byte[32])), 400, "InvalidArgument", null));
        rows.add(new Row("SSE-C short key", h(c + "algorithm", "AES256", c + "key",
                Base64.getEncoder().encodeToString(new byte[16]), c + "key-MD5", md5Base64(new byte[16])), 400,
                "InvalidArgument", null));
        rows.add(new Row("SSE-C AES128", h(c + "algorithm", "AES128", c + "key", K, c + "key-MD5", K_MD5), 400,
                "InvalidEncryptionAlgorithmError", null));
        rows.add(new Row("SSE-C and AES256", h(sse, "AES256", c + "algorithm", "AES256", c + "key", K,
                c + "key-MD5", K_MD5), 400, "InvalidArgument", null));
        rows.add(new Row("copy-source key on a PUT", h(cs + "algorithm", "AES256", cs + "key", K, cs + "key-MD5",
                K_MD5), 501, "NotImplemented", null));
        return rows;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("puts")
    void everyPutHeaderIsHonouredOrRefused(Row row) {
        String key = "k-" + row.name().replaceAll("[^a-zA-Z0-9]", "-");
        Map<String, String> headers = new LinkedHashMap<>();
        row.headers().forEach((n, v) -> headers.put(n, v.equals("KMS") ? kmsKey : v));
        if (row.status() != 200) {
            S3Exception e = assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket(bucket).key(key)
                    .overrideConfiguration(o -> headers.forEach(o::putHeader)), RequestBody.fromBytes(new byte[64])));
            assertEquals(row.status(), e.statusCode(), e.getMessage());
            assertEquals(row.code(), e.awsErrorDetails().errorCode(), e.getMessage());
            assertTrue(e.awsErrorDetails().errorMessage() != null && !e.awsErrorDetails().errorMessage().isBlank());
            assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key(key)));
            return;
        }
        s3.putObject(b -> b.bucket(bucket).key(key).overrideConfiguration(o -> headers.forEach(o::putHeader)),
                RequestBody.fromBytes(new byte[64]));
        if (row.answered().equals("SSE-C")) {
            assertThrows(S3Exception.class, () -> s3.headObject(b -> b.bucket(bucket).key(key)));
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key).sseCustomerAlgorithm("AES256")
                    .sseCustomerKey(K).sseCustomerKeyMD5(K_MD5));
            assertEquals("AES256", head.sseCustomerAlgorithm());
            assertEquals(K_MD5, head.sseCustomerKeyMD5());
        } else {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            assertEquals(row.answered(), head.serverSideEncryptionAsString());
            if (row.answered().equals("aws:kms")) {
                assertEquals(kmsKey, head.ssekmsKeyId());
            }
        }
    }

    static List<Row> elsewhere() {
        return List.of(
                new Row("GET with x-amz-server-side-encryption", h("x-amz-server-side-encryption", "AES256"), 501,
                        "NotImplemented", null),
                new Row("GET with a kms key id", h("x-amz-server-side-encryption-aws-kms-key-id", "k"), 501,
                        "NotImplemented", null),
                new Row("GET with a copy-source key", h("x-amz-copy-source-server-side-encryption-customer-algorithm",
                        "AES256"), 501, "NotImplemented", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("elsewhere")
    void headersOnOperationsThatDoNotTakeThemAreRefused(Row row) {
        S3Exception e = assertThrows(S3Exception.class, () -> s3.getObjectAsBytes(b -> b.bucket(bucket)
                .key("existing").overrideConfiguration(o -> row.headers().forEach(o::putHeader))));
        assertEquals(row.status(), e.statusCode());
        assertEquals(row.code(), e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage().contains(row.headers().keySet().iterator().next()));
    }
}
