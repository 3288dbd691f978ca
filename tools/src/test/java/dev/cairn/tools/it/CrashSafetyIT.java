package dev.cairn.tools.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.cairn.tools.it.TestFiles.KiB;
import static dev.cairn.tools.it.TestFiles.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Durability across SIGKILL of the packaged server: an object whose PUT (or
 * CompleteMultipartUpload) was answered 200 must be there, byte for byte and with the same ETag,
 * after the process is killed without warning and restarted on the same data directory; an
 * upload cut off by the kill must leave its key either absent or complete, and the store usable.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrashSafetyIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashSafetyIT.class);
    /** aws-cli's default multipart_chunksize (and threshold). */
    private static final long PART = 8 * MiB;

    @TempDir
    Path dir;
    private ServerProcess server;
    private AwsCli aws;

    @BeforeEach
    void startServer(TestInfo test) {
        Path awsBin = ExternalTool.require("aws");
        String name = "CrashSafetyIT-" + test.getTestMethod().orElseThrow().getName();
        server = ServerProcess.start(name, dir.resolve("data"));
        aws = new AwsCli(server, awsBin, dir, Logs.dir(name));
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void acknowledgedObjectsSurviveSigkill() {
        String bucket = "crash-acked";
        aws.ok("s3", "mb", "s3://" + bucket);
        // Around the inline threshold (16 KiB) and chunk size (4 MiB) defaults, up to 12 MiB.
        long[] sizes = {0, 1, 100, 4095, 16 * KiB - 1, 16 * KiB, 16 * KiB + 1, 64 * KiB, 1_000_000, 2 * MiB,
                4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 5 * MiB + 3, 7_777_777, 10 * MiB - 1, 10 * MiB, 10 * MiB + 1,
                10 * MiB + MiB / 2, 12 * MiB};
        Map<String, Acked> acked = new LinkedHashMap<>();
        for (int i = 0; i < sizes.length; i++) {
            String key = String.format("put/%02d-%d.bin", i, sizes[i]);
            acked.put(key, putObject(bucket, key, sizes[i], 1000 + i));
        }
        // Acknowledged deletes and overwrites are writes too.
        aws.ok("s3api", "delete-object", "--bucket", bucket, "--key", "put/03-4095.bin");
        acked.remove("put/03-4095.bin");
        acked.put("put/09-2097152.bin", putObject(bucket, "put/09-2097152.bin", 3 * MiB + 5, 3000));
        for (int i = 0; i < 2; i++) {
            String key = "multipart/" + i + "-20m.bin";
            acked.put(key, copyUp(bucket, key, 20 * MiB + i * 12_345, 2000 + i));
        }
        acked.put("last/inline-100", putObject(bucket, "last/inline-100", 100, 4000));
        server.kill9(); // right after the last 200: nothing had a chance to be flushed by a clean close

        server.restart();
        assertIntact(bucket, acked, Map.of(), "after SIGKILL");
        assertNull(aws.head(bucket, "put/03-4095.bin"), "deleted before the kill");
    }

    @Test
    void uploadsInterruptedBySigkillLeaveKeysAbsentOrComplete() {
        String bucket = "crash-midway";
        aws.ok("s3", "mb", "s3://" + bucket);
        Map<String, Acked> acked = new LinkedHashMap<>();
        acked.put("before/empty", putObject(bucket, "before/empty", 0, 1));
        acked.put("before/1k", putObject(bucket, "before/1k", KiB, 2));
        acked.put("before/1m", putObject(bucket, "before/1m", MiB, 3));
        acked.put("before/10m", putObject(bucket, "before/10m", 10 * MiB, 4));
        acked.put("before/20m-multipart", copyUp(bucket, "before/20m-multipart", 20 * MiB, 5));

        Path big = TestFiles.random(dir.resolve("big-100m.bin"), 100 * MiB, 6);
        Map<String, Acked> inFlight = Map.of(
                "big-single", new Acked(big, 100 * MiB, quoted(TestFiles.md5(big))),
                "big-multipart", new Acked(big, 100 * MiB, quoted(TestFiles.multipartEtag(big, PART))));
        long before = TestFiles.treeSize(server.dataDir());
        CommandLine.Started single = aws.command("s3api", "put-object", "--bucket", bucket, "--key", "big-single",
                "--body", big.toString()).start();
        CommandLine.Started multi = aws.command("s3", "cp", "--no-progress", "--only-show-errors", big.toString(),
                "s3://" + bucket + "/big-multipart").start();
        long grown = awaitGrowth(before, 32 * MiB, single, multi);
        boolean singleFinished = !single.isAlive();
        boolean multiFinished = !multi.isAlive();
        server.kill9();
        single.kill();
        multi.kill();
        LOG.info("killed the server after the data dir grew {} MiB; single PUT finished: {}, multipart finished: {}",
                grown / MiB, singleFinished, multiFinished);
        assertTrue(!singleFinished || !multiFinished, "both 100 MiB uploads finished before the kill ("
                + grown / MiB + " MiB written): nothing was interrupted, so this test tested nothing");

        server.restart();
        Map<String, Boolean> mustExist = new TreeMap<>();
        mustExist.put("big-single", singleFinished && single.process().exitValue() == 0);
        mustExist.put("big-multipart", multiFinished && multi.process().exitValue() == 0);
        Map<String, Acked> present = assertIntact(bucket, acked, inFlight, "after SIGKILL mid-upload");
        mustExist.forEach((key, acknowledged) -> {
            if (acknowledged) {
                assertTrue(present.containsKey(key), key + " was acknowledged before the kill but is gone");
            }
        });
        LOG.info("interrupted keys present after restart: {}", present.keySet());

        // The store stays usable: the cut-off multipart upload can be aborted, the keys rewritten.
        String uploads = aws.ok("s3api", "list-multipart-uploads", "--bucket", bucket,
                "--query", "Uploads[].[Key,UploadId]", "--output", "text").stdout().strip();
        for (String line : uploads.lines().filter(l -> !l.isBlank() && !l.equals("None")).toList()) {
            String[] f = line.split("\t");
            assertEquals("big-multipart", f[0], "unexpected in-progress upload: " + line);
            aws.ok("s3api", "abort-multipart-upload", "--bucket", bucket, "--key", f[0], "--upload-id", f[1]);
        }
        assertEquals("None", aws.ok("s3api", "list-multipart-uploads", "--bucket", bucket,
                "--query", "Uploads[].[Key,UploadId]", "--output", "text").stdout().strip(), "uploads aborted");
        acked.put("big-single", putObject(bucket, "big-single", 5 * MiB, 7));
        acked.put("big-multipart", copyUp(bucket, "big-multipart", 17 * MiB, 8));

        assertEquals(128 + 15, server.stop(), "SIGTERM ends the JVM with 143 after its shutdown hook");
        server.restart();
        assertIntact(bucket, acked, Map.of(), "after rewrite and a clean restart");
    }

    @Test
    void aClientKilledMidUploadLeavesNoObjectBehind() {
        String bucket = "client-gone";
        aws.ok("s3", "mb", "s3://" + bucket);
        Map<String, Acked> acked = new LinkedHashMap<>();
        acked.put("before", putObject(bucket, "before", 2 * MiB, 1));
        Path big = TestFiles.random(dir.resolve("big-100m.bin"), 100 * MiB, 2);
        long before = TestFiles.treeSize(server.dataDir());
        CommandLine.Started upload = aws.command("s3api", "put-object", "--bucket", bucket, "--key", "cut",
                "--body", big.toString()).start();
        awaitGrowth(before, 16 * MiB, upload);
        boolean finished = !upload.isAlive();
        upload.kill(); // the connection drops mid-body; the server stays up
        assertTrue(server.isAlive(), "server died when a client vanished");
        if (finished) {
            LOG.warn("the 100 MiB PUT finished before the client was killed; nothing was interrupted");
            acked.put("cut", new Acked(big, 100 * MiB, quoted(TestFiles.md5(big))));
        }
        Map<String, Acked> maybe = finished ? Map.of() : Map.of("cut", new Acked(big, 100 * MiB,
                quoted(TestFiles.md5(big))));
        Map<String, Acked> present = assertIntact(bucket, acked, maybe, "after the client vanished");
        assertEquals(Map.of(), present, "a PUT cut off by its client must not create the object");
        acked.put("cut", putObject(bucket, "cut", 3 * MiB, 3));
        assertIntact(bucket, acked, Map.of(), "after rewriting the cut-off key");
    }

    /**
     * Checks that the bucket holds every {@code acked} object (listing, HEAD and a SHA-256 of a
     * download all agree with what was written) and, of {@code maybe}, either nothing or the
     * complete object. Returns the {@code maybe} objects that were present.
     */
    @Test
    void sigtermLetsAnUploadInFlightFinishBeforeTheServerStops() {
        String bucket = "graceful-stop";
        aws.ok("s3", "mb", "s3://" + bucket);
        Path big = TestFiles.random(dir.resolve("big-200m.bin"), 200 * MiB, 21);
        long before = TestFiles.treeSize(server.dataDir());
        CommandLine.Started put = aws.command("s3api", "put-object", "--bucket", bucket, "--key", "in-flight",
                "--body", big.toString()).start();
        awaitGrowth(before, 16 * MiB, put);
        assertTrue(put.isAlive(), "the upload ended before SIGTERM: nothing was in flight");
        int exit = server.stop(); // SIGTERM: drains in-flight requests, then closes RocksDB
        var result = put.await(java.time.Duration.ofSeconds(120));
        assertEquals(0, result.exitCode(), "the upload in flight at SIGTERM completes: " + result);
        assertEquals(143, exit, "the JVM exits through its SIGTERM shutdown hook");
        assertTrue(ServerProcess.read(server.stderrLog()).contains("Cairn stopped cleanly"), "clean shutdown logged");
        server.restart();
        Acked acked = new Acked(big, 200 * MiB, quoted(TestFiles.md5(big)));
        assertIntact(bucket, Map.of("in-flight", acked), Map.of(), "after SIGTERM and restart");
    }

    private Map<String, Acked> assertIntact(String bucket, Map<String, Acked> acked, Map<String, Acked> maybe,
                                            String when) {
        Map<String, AwsCli.Head> listed = aws.list(bucket);
        Map<String, Acked> present = new TreeMap<>();
        for (String key : listed.keySet()) {
            if (!acked.containsKey(key)) {
                assertTrue(maybe.containsKey(key), when + ": unexpected key " + key + " listed: " + listed);
                present.put(key, maybe.get(key));
            }
        }
        Map<String, Acked> expected = new TreeMap<>(acked);
        expected.putAll(present);
        for (String key : maybe.keySet()) {
            if (!present.containsKey(key)) {
                assertNull(aws.head(bucket, key), when + ": " + key + " is not listed, so HEAD must be 404");
            }
        }
        for (var e : expected.entrySet()) {
            AwsCli.Head want = new AwsCli.Head(e.getValue().size(), e.getValue().etag());
            assertEquals(want, listed.get(e.getKey()), when + ": listing of " + e.getKey());
            AwsCli.Head head = aws.head(bucket, e.getKey());
            assertNotNull(head, when + ": " + e.getKey() + " is listed but HEAD answers 404");
            assertEquals(want, head, when + ": HEAD of " + e.getKey());
        }
        Path down = dir.resolve("down-" + System.nanoTime());
        aws.downloadAll(bucket, down);
        for (var e : expected.entrySet()) {
            assertEquals(TestFiles.sha256(e.getValue().file()), TestFiles.sha256(down.resolve(e.getKey())),
                    when + ": content of " + e.getKey());
        }
        return present;
    }

    /** A single PutObject; its ETag must be the MD5. */
    private Acked putObject(String bucket, String key, long size, long seed) {
        Path file = TestFiles.random(dir.resolve("src").resolve(key), size, seed);
        String etag = aws.putObject(bucket, key, file);
        assertEquals(quoted(TestFiles.md5(file)), etag, "PutObject ETag of " + key);
        return new Acked(file, size, etag);
    }

    /** {@code aws s3 cp} of a file above 8 MiB: a multipart upload in 8 MiB parts. */
    private Acked copyUp(String bucket, String key, long size, long seed) {
        Path file = TestFiles.random(dir.resolve("src").resolve(key), size, seed);
        aws.ok("s3", "cp", "--no-progress", "--only-show-errors", file.toString(), "s3://" + bucket + "/" + key);
        return new Acked(file, size, quoted(TestFiles.multipartEtag(file, PART)));
    }

    /** Waits until the server's data directory grew by {@code bytes} or both uploads ended; returns the growth. */
    private long awaitGrowth(long before, long bytes, CommandLine.Started... uploads) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            long grown = TestFiles.treeSize(server.dataDir()) - before;
            if (grown >= bytes || List.of(uploads).stream().noneMatch(CommandLine.Started::isAlive)) {
                return grown;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return fail("the data directory did not grow by " + bytes / MiB + " MiB within 90 s of starting the uploads");
    }

    private static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    private record Acked(Path file, long size, String etag) {
    }
}
