package dev.cairn.tools.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * kill -9 of the server while a lifecycle pass is moving objects from RS 4+2 to two copies (a 1 s
 * lifecycle day; the movers' byte throttle slows the transitions' reads so the pass is under way
 * for seconds): after the restart every object reads back byte for byte at once - either its old
 * or its new protection is complete - the new server's passes move the rest, and the pieces the
 * killed pass had written but not committed (pending marks of the killed process's epoch) and the
 * old chunks are collected: in the end the chunkstores hold exactly two copies of each chunk.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LifecycleTransitionCrashIT {
    private static final java.time.Duration LIMIT = java.time.Duration.ofSeconds(120);
    private static final int OBJECTS = 24;
    private static final int CHUNK = 64 * 1024;
    private static final int CHUNKS = 4;
    private static final String BUCKET = "crash-transition";

    @TempDir
    Path dir;

    @Test
    void aTransitionKilledMidwayLeavesEveryObjectWholeAndIsFinishedAfterTheRestart() throws Exception {
        List<String> flags = List.of("--chunkstores", "6", "--protection", "rs4+2", "--storage-classes",
                "INTELLIGENT_TIERING=2copies", "--chunk-size", "64KiB", "--lifecycle-day-seconds", "1",
                "--gc-grace-seconds", "1", "--mover-bytes-per-second", "512KiB");
        Map<String, byte[]> objects = new LinkedHashMap<>();
        try (ServerProcess server = ServerProcess.start("LifecycleTransitionCrashIT", dir.resolve("data"), flags,
                Map.of())) {
            try (S3Client s3 = server.s3ClientBuilder().build()) {
                s3.createBucket(r -> r.bucket(BUCKET));
                Random random = new Random(12);
                for (int i = 0; i < OBJECTS; i++) {
                    byte[] data = new byte[CHUNKS * CHUNK];
                    random.nextBytes(data);
                    String key = "cold/" + i;
                    s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromBytes(data));
                    objects.put(key, data);
                }
                assertEquals(OBJECTS * CHUNKS * 6, pieceFiles(server.dataDir()), "RS 4+2: six pieces per chunk");
                s3.putBucketLifecycleConfiguration(r -> r.bucket(BUCKET).lifecycleConfiguration(c -> c.rules(
                        rule -> rule.id("cold").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("cold/"))
                                .transitions(t -> t.days(1).storageClass(TransitionStorageClass.INTELLIGENT_TIERING)))));
                server.await("the pass has moved some objects", LIMIT, () ->
                        server.metric("cairn_lifecycle_objects_transitioned_total") >= 3);
                double moved = server.metric("cairn_lifecycle_objects_transitioned_total");
                server.kill9();
                assertTrue(moved < OBJECTS, "killed mid-pass, after " + moved + " transitions");
            }

            server.restart();
            try (S3Client s3 = server.s3ClientBuilder().build()) {
                for (Map.Entry<String, byte[]> o : objects.entrySet()) {
                    assertArrayEquals(o.getValue(), s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(o.getKey()))
                            .asByteArray(), o.getKey() + " right after the restart");
                }
                server.await("every object is INTELLIGENT_TIERING", LIMIT, () -> objects.keySet().stream().allMatch(k ->
                        "INTELLIGENT_TIERING".equals(s3.headObject(r -> r.bucket(BUCKET).key(k)).storageClassAsString())));
                for (Map.Entry<String, byte[]> o : objects.entrySet()) {
                    assertArrayEquals(o.getValue(), s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(o.getKey()))
                            .asByteArray(), o.getKey() + " after the transitions");
                }
                server.await("only the two copies of each chunk are left on disk", LIMIT,
                        () -> pieceFiles(server.dataDir()) == OBJECTS * CHUNKS * 2);
            }
        }
    }

    /** Piece files ({@code <chunk hex>.<index>}) in the server's in-process chunkstores. */
    private static long pieceFiles(Path dataDir) {
        try (Stream<Path> files = Files.walk(dataDir.resolve("chunks"))) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().contains("/pieces/"))
                    .filter(f -> f.getFileName().toString().matches("[0-9a-f]+\\.[0-9]+")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
