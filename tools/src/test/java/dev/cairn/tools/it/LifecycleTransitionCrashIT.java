package dev.cairn.tools.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
                await(server, "the pass has moved some objects", () ->
                        metric(server, "cairn_lifecycle_objects_transitioned_total") >= 3);
                double moved = metric(server, "cairn_lifecycle_objects_transitioned_total");
                server.kill9();
                assertTrue(moved < OBJECTS, "killed mid-pass, after " + moved + " transitions");
            }

            server.restart();
            try (S3Client s3 = server.s3ClientBuilder().build()) {
                for (Map.Entry<String, byte[]> o : objects.entrySet()) {
                    assertArrayEquals(o.getValue(), s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(o.getKey()))
                            .asByteArray(), o.getKey() + " right after the restart");
                }
                await(server, "every object is INTELLIGENT_TIERING", () -> objects.keySet().stream().allMatch(k ->
                        "INTELLIGENT_TIERING".equals(s3.headObject(r -> r.bucket(BUCKET).key(k)).storageClassAsString())));
                for (Map.Entry<String, byte[]> o : objects.entrySet()) {
                    assertArrayEquals(o.getValue(), s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(o.getKey()))
                            .asByteArray(), o.getKey() + " after the transitions");
                }
                await(server, "only the two copies of each chunk are left on disk",
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

    private static void await(ServerProcess server, String fact, BooleanSupplier check) throws InterruptedException {
        long until = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(120);
        while (!check.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < until, "timed out waiting until " + fact + " (logs in "
                    + server.stderrLog() + ")");
            Thread.sleep(200);
        }
    }

    private static double metric(ServerProcess server, String name) {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.adminUri().resolve("/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
            return m.find() ? Double.parseDouble(m.group(2)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
