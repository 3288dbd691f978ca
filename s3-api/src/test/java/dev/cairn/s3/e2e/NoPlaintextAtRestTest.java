package dev.cairn.s3.e2e;

import dev.cairn.s3.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static dev.cairn.s3.e2e.S3Asserts.md5Base64;
import static dev.cairn.s3.e2e.S3Asserts.randomBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Acceptance 1 of issue 17: objects carrying a known marker, written with SSE-S3, SSE-C, bucket
 * default encryption, multipart and copy, leave no trace of the marker in any file under the
 * data dir (chunk pieces, RocksDB's SSTs, WAL and manifests), nor of the master or customer key.
 * The same scan finds the marker of an unencrypted object, so the scan itself can fail.
 */
class NoPlaintextAtRestTest {
    private static final byte[] MASTER = randomBytes(32, 1717);
    private static final byte[] CUSTOMER = randomBytes(32, 1718);
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> c.withChunkSize(64 * 1024).withEncryption(new ServerConfig.Encryption(null,
                Base64.getEncoder().encodeToString(MASTER), true, true)));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    /** Random bytes with {@code marker} at a few places (also across a chunk boundary). */
    private static byte[] withMarker(int size, long seed, byte[] marker) {
        byte[] data = randomBytes(size, seed);
        for (int at : new int[]{0, size / 3, 64 * 1024 - marker.length / 2, size - marker.length}) {
            if (at >= 0 && at + marker.length <= size) {
                System.arraycopy(marker, 0, data, at, marker.length);
            }
        }
        return data;
    }

    private static byte[] marker(String what) {
        return ("CAIRN-PLAINTEXT-MARKER-" + what + "-7f3a9c").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void encryptedObjectsLeaveNoMarkerButPlainOnesDo() {
        String bucket = TestServer.uniqueBucket("at-rest");
        s3.createBucket(b -> b.bucket(bucket));
        String sseC = Base64.getEncoder().encodeToString(CUSTOMER);
        List<byte[]> markers = new ArrayList<>();

        byte[] m1 = marker("sse-s3");
        markers.add(m1);
        s3.putObject(b -> b.bucket(bucket).key("s3").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(withMarker(200_000, 1, m1)));
        byte[] small = marker("small");
        markers.add(small);
        s3.putObject(b -> b.bucket(bucket).key("small").serverSideEncryption(ServerSideEncryption.AES256),
                RequestBody.fromBytes(small)); // would be inline in metadata if it were not encrypted

        byte[] m2 = marker("sse-c");
        markers.add(m2);
        s3.putObject(b -> b.bucket(bucket).key("c").sseCustomerAlgorithm("AES256").sseCustomerKey(sseC)
                .sseCustomerKeyMD5(md5Base64(CUSTOMER)), RequestBody.fromBytes(withMarker(150_000, 2, m2)));

        byte[] m3 = marker("multipart");
        markers.add(m3);
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key("mpu")
                .serverSideEncryption(ServerSideEncryption.AES256)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int n = 1; n <= 2; n++) {
            int number = n;
            byte[] part = withMarker(n == 1 ? 5 * 1024 * 1024 : 80_000, 10 + n, m3);
            String etag = s3.uploadPart(b -> b.bucket(bucket).key("mpu").uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(part)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket).key("mpu").uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));

        // copies of an encrypted source: to SSE-C, and (through the bucket default below) to SSE-S3
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("s3").destinationBucket(bucket).destinationKey("copy-c")
                .sseCustomerAlgorithm("AES256").sseCustomerKey(sseC).sseCustomerKeyMD5(md5Base64(CUSTOMER)));

        String defaulted = TestServer.uniqueBucket("at-rest-default");
        s3.createBucket(b -> b.bucket(defaulted));
        s3.putBucketEncryption(b -> b.bucket(defaulted).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
        byte[] m4 = marker("default");
        markers.add(m4);
        s3.putObject(b -> b.bucket(defaulted).key("d"), RequestBody.fromBytes(withMarker(120_000, 4, m4)));
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey("c").destinationBucket(defaulted).destinationKey("copy-d")
                .copySourceSSECustomerAlgorithm("AES256").copySourceSSECustomerKey(sseC)
                .copySourceSSECustomerKeyMD5(md5Base64(CUSTOMER)));
        assertEquals(ServerSideEncryption.AES256, s3.headObject(b -> b.bucket(defaulted).key("copy-d"))
                .serverSideEncryption());

        // everything reads back
        assertArrayEquals(small, s3.getObjectAsBytes(b -> b.bucket(bucket).key("small")).asByteArray());
        assertArrayEquals(withMarker(150_000, 2, m2), s3.getObjectAsBytes(b -> b.bucket(defaulted).key("copy-d"))
                .asByteArray());

        server.restart(); // closes RocksDB: memtables are flushed and everything is in files
        s3 = server.client();
        for (byte[] m : markers) {
            assertTrue(filesContaining(m).isEmpty(), () -> "plaintext marker " + new String(m,
                    StandardCharsets.US_ASCII) + " found in " + filesContaining(m));
        }
        for (byte[] key : List.of(MASTER, CUSTOMER, Base64.getEncoder().encodeToString(MASTER)
                .getBytes(StandardCharsets.US_ASCII), sseC.getBytes(StandardCharsets.US_ASCII))) {
            assertTrue(filesContaining(key).isEmpty(), "a key is stored under the data dir");
        }

        // the control: the same scan finds the marker of an unencrypted object
        byte[] plain = marker("plain-control");
        s3.putObject(b -> b.bucket(bucket).key("plain"), RequestBody.fromBytes(withMarker(100_000, 5, plain)));
        assertFalse(filesContaining(plain).isEmpty(), "the scan does not find plaintext it should find");
    }

    /** Every regular file under the data dir whose bytes contain {@code needle}. */
    static List<Path> filesContaining(byte[] needle) {
        try (Stream<Path> files = Files.walk(server.dataDir())) {
            return files.filter(Files::isRegularFile).filter(f -> contains(read(f), needle)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            return new byte[0]; // a file removed while walking (RocksDB compaction)
        }
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
