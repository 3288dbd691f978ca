package dev.cairn.s3.e2e;

import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Assertions and independent digests shared by the end-to-end tests. */
final class S3Asserts {
    private S3Asserts() {
    }

    /** Runs {@code call}, which must fail with this HTTP status and S3 error code. */
    static S3Exception assertS3Error(int status, String code, Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(status, e.statusCode(), () -> "HTTP status of " + e.getMessage());
        assertEquals(code, e.awsErrorDetails().errorCode(), () -> "S3 error code of " + e.getMessage());
        return e;
    }

    /** For answers without a body (HEAD, 304): only the status can be checked. */
    static S3Exception assertS3Status(int status, Executable call) {
        S3Exception e = assertThrows(S3Exception.class, call);
        assertEquals(status, e.statusCode(), () -> "HTTP status of " + e.getMessage());
        return e;
    }

    static void assertRawError(int status, String code, RawHttp.Response r) {
        assertEquals(status, r.status(), () -> "HTTP status of " + r);
        assertEquals(code, r.errorCode(), () -> "S3 error code of " + r);
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String quoted(String s) {
        return "\"" + s + "\"";
    }

    static String md5Hex(byte[] data) {
        return HexFormat.of().formatHex(digest("MD5", data));
    }

    static String md5Base64(byte[] data) {
        return b64(digest("MD5", data));
    }

    static String b64(byte[] raw) {
        return Base64.getEncoder().encodeToString(raw);
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Raw big-endian digest of an S3 checksum algorithm, computed with the JDK (CRC64NVME by {@link Crc64}). */
    static byte[] rawChecksum(String algorithm, byte[] data) {
        return switch (algorithm) {
            case "CRC32" -> {
                CRC32 c = new CRC32();
                c.update(data);
                yield ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
            }
            case "CRC32C" -> {
                CRC32C c = new CRC32C();
                c.update(data);
                yield ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
            }
            case "SHA1" -> digest("SHA-1", data);
            case "SHA256" -> digest("SHA-256", data);
            case "CRC64NVME" -> ByteBuffer.allocate(8).putLong(Crc64.nvme(data)).array();
            default -> throw new IllegalArgumentException(algorithm);
        };
    }

    static String checksum(String algorithm, byte[] data) {
        return b64(rawChecksum(algorithm, data));
    }

    /** CRC-64/NVME (reflected poly 0x9A6C9329AC4BC9B5, init and xor-out all ones), table driven. */
    static final class Crc64 {
        private static final long[] TABLE = new long[256];

        static {
            for (int i = 0; i < 256; i++) {
                long c = i;
                for (int k = 0; k < 8; k++) {
                    c = (c & 1) != 0 ? (c >>> 1) ^ 0x9A6C9329AC4BC9B5L : c >>> 1;
                }
                TABLE[i] = c;
            }
        }

        static long nvme(byte[] data) {
            long crc = ~0L;
            for (byte b : data) {
                crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
            }
            return ~crc;
        }
    }

    /** The {@code checksum<ALG>()} value of an SDK response or model object (ALG as S3 names it: CRC32, CRC64NVME...). */
    static String checksumOf(Object sdkObject, String algorithm) {
        try {
            return (String) sdkObject.getClass().getMethod("checksum" + algorithm).invoke(sdkObject);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(algorithm, e);
        }
    }

    /** Calls the builder's {@code checksum<ALG>(value)} setter (found on its public builder interface). */
    @SuppressWarnings("unchecked")
    static <B> B withChecksum(B builder, String algorithm, String value) {
        java.util.ArrayDeque<Class<?>> todo = new java.util.ArrayDeque<>(List.of(builder.getClass().getInterfaces()));
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            try {
                return (B) c.getMethod("checksum" + algorithm, String.class).invoke(builder, value);
            } catch (NoSuchMethodException e) {
                todo.addAll(List.of(c.getInterfaces()));
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException(algorithm, e);
            }
        }
        throw new IllegalArgumentException("no checksum" + algorithm + "(String) on " + builder.getClass());
    }

    /** The SDK enum of an S3 checksum algorithm name. */
    static software.amazon.awssdk.services.s3.model.ChecksumAlgorithm sdkAlgorithm(String algorithm) {
        return software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.fromValue(algorithm);
    }

    /** ETag of a multipart object: MD5 of the concatenated binary part MD5s, "-" part count, quoted. */
    static String multipartEtag(List<byte[]> parts) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (byte[] p : parts) {
            md5.update(digest("MD5", p));
        }
        return quoted(HexFormat.of().formatHex(md5.digest()) + "-" + parts.size());
    }

    static byte[] concat(List<byte[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(n);
        parts.forEach(b::put);
        return b.array();
    }

    static PutObjectResponse put(S3Client s3, String bucket, String key, byte[] data) {
        return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(data));
    }

    static byte[] get(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    static List<String> allKeys(S3Client s3, String bucket) {
        List<String> keys = new ArrayList<>();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket(bucket))) {
            page.contents().stream().map(S3Object::key).forEach(keys::add);
        }
        return keys;
    }

    /**
     * After a failed request: the object under {@code key} still has its previous bytes and ETag,
     * and the bucket holds exactly {@code keys}.
     */
    static void assertStoreUnchanged(S3Client s3, String bucket, String key, byte[] content, List<String> keys) {
        var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        assertArrayEquals(content, got.asByteArray(), "previous content of " + key);
        assertEquals(quoted(md5Hex(content)), got.response().eTag(), "previous ETag of " + key);
        assertEquals(keys, allKeys(s3, bucket), "keys in " + bucket);
    }

    /**
     * The store's repair rows once one matches {@code wanted}, or after 10 s: reads record the
     * pieces they found bad on a worker after answering, so a test waits for the row.
     */
    static java.util.List<dev.cairn.metadata.RepairRecord> repairsOnceAny(dev.cairn.metadata.MetadataStore metadata,
            java.util.function.Predicate<dev.cairn.metadata.RepairRecord> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (true) {
            java.util.List<dev.cairn.metadata.RepairRecord> repairs = metadata.listRepairs(100_000);
            if (repairs.stream().anyMatch(wanted) || System.nanoTime() > deadline) {
                return repairs;
            }
            Thread.sleep(20);
        }
    }
}
