package dev.cairn.s3.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.cairn.s3.e2e.S3Asserts.md5Hex;
import static dev.cairn.s3.e2e.S3Asserts.quoted;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Large uploads and downloads running concurrently must never block a Vert.x event loop: the
 * server runs with a 100 ms blocked-thread limit and every warning is counted.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NoBlockedEventLoopTest {
    static final int SIZE = 64 * 1024 * 1024;

    private static TestServer server;
    private static S3Client sync;
    private static S3AsyncClient async;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        sync = server.defaultChecksumClient();
        async = server.asyncClient(false);
    }

    @AfterAll
    static void stop() {
        async.close();
        sync.close();
        server.close();
    }

    private static CompletableFuture<String> md5Of(ResponsePublisher<GetObjectResponse> body) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return body.subscribe(buffer -> md5.update(buffer)).thenApply(v -> HexFormat.of().formatHex(md5.digest()));
    }

    @Test
    void concurrentSixtyFourMiBUploadsAndDownloadsNeverBlockAnEventLoop() throws Exception {
        int before = BlockedThreadLog.warnings();
        String bucket = TestServer.uniqueBucket("noblock");
        sync.createBucket(r -> r.bucket(bucket));
        List<byte[]> objects = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            objects.add(S3Asserts.randomBytes(SIZE, 1000 + i));
        }

        List<CompletableFuture<?>> uploads = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int n = i;
            uploads.add(async.putObject(r -> r.bucket(bucket).key("obj" + n), AsyncRequestBody.fromBytesUnsafe(objects.get(n))));
        }
        // the third through the sync client (signed chunks), at the same time
        uploads.add(CompletableFuture.runAsync(() ->
                sync.putObject(r -> r.bucket(bucket).key("obj2"), RequestBody.fromContentProvider(
                        () -> new ByteArrayInputStream(objects.get(2)), SIZE, "application/octet-stream"))));
        CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).get();

        // downloads are digested as they stream in (the test JVM has 1 GiB of heap)
        List<CompletableFuture<String>> downloads = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 3; i++) {
                int n = i;
                downloads.add(async.getObject(r -> r.bucket(bucket).key("obj" + n), AsyncResponseTransformer.toPublisher())
                        .thenCompose(NoBlockedEventLoopTest::md5Of));
            }
        }
        for (int i = 0; i < downloads.size(); i++) {
            assertEquals(md5Hex(objects.get(i % 3)), downloads.get(i).get(), "downloaded bytes of obj" + (i % 3));
        }
        for (int i = 0; i < 3; i++) {
            int n = i;
            assertEquals(quoted(md5Hex(objects.get(n))), sync.headObject(r -> r.bucket(bucket).key("obj" + n)).eTag());
        }

        assertEquals(before, BlockedThreadLog.warnings(), "Vert.x blocked-thread warnings (see the test log)");
    }
}
