package dev.cairn.s3.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large uploads and downloads running concurrently must never block a Vert.x event loop. The
 * server runs with a 100 ms blocked-thread limit and each warning carries the event loop's stack
 * ({@link BlockedThreadLog} counts them too).
 *
 * <p>What fails the test: any warning whose stack shows the event loop inside a blocking call
 * (disk or RocksDB I/O, hashing, waiting on a lock or a future), or more than
 * {@link #TOLERATED_HICCUPS} warnings in all. A strict zero was tried and is flaky on this 2-core
 * machine when other builds run: about one run in four then shows one to four warnings of 100 to
 * 200 ms whose stacks are in plain non-blocking code (a Netty write, composing a future), i.e. the
 * event-loop thread was simply not scheduled. A blocking call in the data path would repeat for
 * every chunk (these objects are 48 chunks) and show itself in the stacks.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NoBlockedEventLoopTest {
    static final int SIZE = 64 * 1024 * 1024;
    static final int TOLERATED_HICCUPS = 5;
    /** Frames that mean the event loop itself was doing blocking work. */
    static final List<String> BLOCKING_FRAMES = List.of("org.rocksdb.", "sun.nio.ch.FileChannelImpl",
            "sun.nio.ch.FileDispatcherImpl", "java.io.RandomAccessFile", "java.io.FileInputStream",
            "java.io.FileOutputStream", "java.security.MessageDigest", "sun.security.provider.", "java.util.zip.CRC32",
            "dev.cairn.s3.checksum.", "dev.cairn.metadata.Rocks", "dev.cairn.chunkstore.FilePieceStore",
            "java.util.concurrent.locks.LockSupport.park", "java.lang.Thread.sleep", "java.lang.Object.wait",
            "java.util.concurrent.CompletableFuture.get", "java.util.concurrent.CompletableFuture.join");
    private static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
    private static final ListAppender<ILoggingEvent> WARNINGS = new ListAppender<>();

    private static TestServer server;
    private static S3Client sync;
    private static S3AsyncClient async;

    @BeforeAll
    static void start() {
        WARNINGS.start();
        ((Logger) LoggerFactory.getLogger(CHECKER)).addAppender(WARNINGS);
        server = TestServer.start();
        sync = server.defaultChecksumClient();
        async = server.asyncClient(false);
    }

    @AfterAll
    static void stop() {
        async.close();
        sync.close();
        server.close();
        ((Logger) LoggerFactory.getLogger(CHECKER)).detachAppender(WARNINGS);
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

    /**
     * The first request down each path loads and compiles its classes on the event loop, which on
     * a loaded 2-core machine can take 100 ms once; that is start-up, not the data path measured.
     */
    private static void warmUp(String bucket) throws Exception {
        byte[] small = S3Asserts.randomBytes(5 * 1024 * 1024, 1);
        async.putObject(r -> r.bucket(bucket).key("warm-async"), AsyncRequestBody.fromBytes(small)).get();
        sync.putObject(r -> r.bucket(bucket).key("warm-sync"), RequestBody.fromBytes(small));
        for (String key : List.of("warm-async", "warm-sync")) {
            async.getObject(r -> r.bucket(bucket).key(key), AsyncResponseTransformer.toPublisher())
                    .thenCompose(NoBlockedEventLoopTest::md5Of).get();
            sync.headObject(r -> r.bucket(bucket).key(key));
        }
    }

    @Test
    void concurrentSixtyFourMiBUploadsAndDownloadsNeverBlockAnEventLoop() throws Exception {
        String bucket = TestServer.uniqueBucket("noblock");
        sync.createBucket(r -> r.bucket(bucket));
        warmUp(bucket);
        int before = BlockedThreadLog.warnings();
        WARNINGS.list.clear();
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

        List<ILoggingEvent> warnings = List.copyOf(WARNINGS.list);
        assertEquals(warnings.size(), BlockedThreadLog.warnings() - before, "both counters saw the same warnings");
        for (ILoggingEvent w : warnings) {
            String stack = stack(w);
            String frame = blockingFrame(stack);
            assertTrue(frame == null, () -> "an event loop blocked in " + frame + ": "
                    + w.getFormattedMessage() + "\n" + stack);
        }
        assertTrue(warnings.size() <= TOLERATED_HICCUPS, () -> warnings.size() + " blocked-thread warnings, first: "
                + warnings.get(0).getFormattedMessage() + "\n" + stack(warnings.get(0)));
    }

    @Test
    void aSocketWriteIsNotBlockingWorkButAFileWriteIs() {
        String socket = "sun.nio.ch.FileDispatcherImpl.write0(Native Method)\n"
                + "sun.nio.ch.SocketDispatcher.write(SocketDispatcher.java:62)\n"
                + "io.netty.channel.socket.nio.NioSocketChannel.doWrite(NioSocketChannel.java:408)\n";
        String file = "sun.nio.ch.FileDispatcherImpl.write0(Native Method)\n"
                + "sun.nio.ch.FileChannelImpl.write(FileChannelImpl.java:285)\n";
        String rocks = socket + "org.rocksdb.RocksDB.get(Native Method)\n";
        assertEquals(null, blockingFrame(socket));
        assertEquals("sun.nio.ch.FileDispatcherImpl", blockingFrame(file));
        assertEquals("org.rocksdb.", blockingFrame(rocks));
    }

    /**
     * The first frame of {@code stack} that is blocking work, or null. The JDK writes to and reads
     * from a socket through FileDispatcherImpl too (called by SocketDispatcher); on the event
     * loop's non-blocking channels that is not blocking I/O, only a thread that was not scheduled.
     */
    static String blockingFrame(String stack) {
        List<String> lines = stack.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            for (String frame : BLOCKING_FRAMES) {
                boolean socket = frame.equals("sun.nio.ch.FileDispatcherImpl") && i + 1 < lines.size()
                        && lines.get(i + 1).contains("sun.nio.ch.SocketDispatcher");
                if (lines.get(i).contains(frame) && !socket) {
                    return frame;
                }
            }
        }
        return null;
    }

    private static String stack(ILoggingEvent event) {
        IThrowableProxy t = event.getThrowableProxy();
        if (t == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
            b.append(frame.getStackTraceElement()).append('\n');
        }
        return b.toString();
    }
}
