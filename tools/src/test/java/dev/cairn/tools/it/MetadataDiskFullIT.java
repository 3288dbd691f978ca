package dev.cairn.tools.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10, behaviour 9: the metadata disk fills up. The packaged server runs with its RocksDB
 * directory on a real, small filesystem - a 192 MiB tmpfs mounted in a private mount namespace
 * ({@code unshare -rm}, no root needed where unprivileged user namespaces are allowed) - and
 * inline objects fill it up to the 80 MiB reserve (which must exceed what RocksDB needs to flush
 * its memtables, 64 MiB, as the default 256 MiB does). Writes then get a clean 503 ServiceUnavailable (XML, no stack trace,
 * never a 500), DELETE keeps working in the reserve, every object written reads back, and the
 * full state is logged once, not per request.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MetadataDiskFullIT {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataDiskFullIT.class);

    @TempDir
    Path dir;

    /** The namespace wrapper, or skip (fail under CI) when this kernel does not allow it. */
    private static List<String> tmpfsWrapper(Path mountPoint, String size) throws Exception {
        Process probe = new ProcessBuilder("unshare", "-rm", "sh", "-c",
                "mkdir -p /tmp/.cairn-ns-probe && mount -t tmpfs -o size=1m tmpfs /tmp/.cairn-ns-probe")
                .redirectErrorStream(true).start();
        String out = new String(probe.getInputStream().readAllBytes());
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            String problem = "cannot mount a tmpfs in a private mount namespace (unshare -rm): " + out.trim();
            if (ExternalTool.isCi()) {
                Assertions.fail(problem + "; CI is set, so this is a failure");
            }
            Assumptions.abort(problem);
        }
        return List.of("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=" + size + " tmpfs \"$0\" && exec \"$@\"",
                mountPoint.toString());
    }

    /** The packaged server with its metadata directory on a tmpfs of {@code size}, keeping {@code reserve} free. */
    private ServerProcess onTmpfs(String name, String reserve, String size) throws Exception {
        Path data = dir.resolve("data");
        Path meta = data.resolve("meta");
        Files.createDirectories(meta);
        return ServerProcess.start(name, data, List.of("--metadata-reserve", reserve), Map.of(),
                tmpfsWrapper(meta, size));
    }

    private static S3Client withoutRetries(ServerProcess server) {
        return server.s3ClientBuilder().overrideConfiguration(o -> o.retryStrategy(
                software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())).build();
    }

    @Test
    void aFullMetadataDiskAnswersServiceUnavailableAndDeletesStillWork() throws Exception {
        ServerProcess server = onTmpfs("MetadataDiskFullIT", "80MiB", "192m");
        try (server; S3Client s3 = withoutRetries(server)) {
            s3.createBucket(b -> b.bucket("full"));
            Random random = new Random(9);
            List<String> stored = new ArrayList<>();
            AwsServiceException refused = null;
            for (int i = 0; i < 20_000 && refused == null; i++) {
                byte[] body = new byte[16 * 1024]; // inline: kept in the metadata itself
                random.nextBytes(body);
                String key = "k" + i;
                try {
                    s3.putObject(b -> b.bucket("full").key(key), RequestBody.fromBytes(body));
                    stored.add(key);
                } catch (AwsServiceException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "the 192 MiB metadata disk filled up");
            LOG.info("{} objects of 16 KiB stored before the metadata disk was full: {}", stored.size(),
                    refused.toString());
            assertEquals(503, refused.statusCode(), refused.toString());
            assertEquals("ServiceUnavailable", refused.awsErrorDetails().errorCode());
            assertTrue(refused.awsErrorDetails().errorMessage().contains("metadata disk is full"),
                    refused.awsErrorDetails().errorMessage());
            assertTrue(stored.size() > 100, "a fair number of objects fit first: " + stored.size());

            // more writes are refused the same way; deletes work; what was stored reads back
            for (int i = 0; i < 20; i++) {
                int n = i;
                AwsServiceException again = Assertions.assertThrows(AwsServiceException.class, () ->
                        s3.putObject(b -> b.bucket("full").key("again-" + n), RequestBody.fromBytes(new byte[100])));
                assertEquals(503, again.statusCode());
            }
            for (int i = 0; i < 200; i++) {
                String key = stored.remove(stored.size() - 1);
                s3.deleteObject(b -> b.bucket("full").key(key));
            }
            for (String key : stored.subList(0, 50)) {
                assertEquals(16 * 1024, s3.getObjectAsBytes(b -> b.bucket("full").key(key)).asByteArray().length);
            }
            assertTrue(server.isAlive());
            String log = ServerProcess.read(server.stderrLog()) + ServerProcess.read(server.stdoutLog());
            long fullLines = log.lines().filter(l -> l.contains("is full:")).count();
            assertEquals(1, fullLines, "the full state is logged once:\n" + log.lines()
                    .filter(l -> l.contains("full")).limit(10).toList());
            assertFalse(log.contains("internal error"), "no 500 and no stack trace");
            assertFalse(log.contains("\tat dev.cairn"), "no stack trace");
        }
    }

    /**
     * Without a reserve RocksDB itself runs out of space (ENOSPC while flushing): still a clean
     * 503 ServiceUnavailable for every write, never a 500 or a stack trace, and one log line.
     */
    @Test
    void whenRocksDbItselfRunsOutOfSpaceWritesStillGetACleanServiceUnavailable() throws Exception {
        ServerProcess server = onTmpfs("MetadataDiskFullIT-noreserve", "0", "48m");
        try (server; S3Client s3 = withoutRetries(server)) {
            s3.createBucket(b -> b.bucket("full"));
            Random random = new Random(10);
            List<AwsServiceException> refusals = new ArrayList<>();
            int stored = 0;
            for (int i = 0; i < 20_000 && refusals.size() < 20; i++) {
                byte[] body = new byte[16 * 1024];
                random.nextBytes(body);
                String key = "k" + i;
                try {
                    s3.putObject(b -> b.bucket("full").key(key), RequestBody.fromBytes(body));
                    stored++;
                } catch (AwsServiceException e) {
                    refusals.add(e);
                }
            }
            LOG.info("{} objects stored before RocksDB ran out of space; first refusal {}", stored, refusals.get(0).toString());
            for (AwsServiceException e : refusals) {
                assertEquals(503, e.statusCode(), e.toString());
                assertEquals("ServiceUnavailable", e.awsErrorDetails().errorCode(), e.toString());
            }
            assertTrue(server.isAlive());
            String log = ServerProcess.read(server.stderrLog()) + ServerProcess.read(server.stdoutLog());
            assertEquals(1, log.lines().filter(l -> l.contains("is full:")).count(), "logged once");
            assertFalse(log.contains("internal error"), "no 500 and no stack trace");
        }
    }
}
