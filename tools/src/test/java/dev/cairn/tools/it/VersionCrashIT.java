package dev.cairn.tools.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * kill -9 while writers add versions (and delete markers) to a versioned bucket: after the
 * restart every acknowledged version is there, byte for byte, in the order it was acknowledged
 * for its key, and the store takes new versions.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VersionCrashIT {
    private static final int WRITERS = 3;
    private static final int KEYS = 4;

    /** A version a writer saw acknowledged: its key, id, data (null for a delete marker) and ack order. */
    private record Acked(int writer, String key, String versionId, byte[] data, int order) {
    }

    @TempDir
    Path dir;

    @Test
    void acknowledgedVersionsSurviveSigkillInTheirOrder() throws Exception {
        String bucket = "crash-versions";
        List<Acked> acked = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start("VersionCrashIT", dir.resolve("data"))) {
            try (S3Client s3 = server.s3ClientBuilder().build()) {
                s3.createBucket(r -> r.bucket(bucket));
                s3.putBucketVersioning(r -> r.bucket(bucket)
                        .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
                acked.addAll(writeUntilKilled(server, bucket));
            }
            assertTrue(acked.size() >= 10, "writers got " + acked.size() + " acknowledgements before the kill");

            server.restart();
            try (S3Client s3 = server.s3ClientBuilder().build()) {
                for (Acked a : acked) {
                    if (a.data() != null) {
                        byte[] got = s3.getObjectAsBytes(r -> r.bucket(bucket).key(a.key()).versionId(a.versionId()))
                                .asByteArray();
                        assertArrayEquals(a.data(), got, "version " + a.versionId() + " of " + a.key());
                    }
                }
                assertAckOrderIsVersionOrder(acked, bucket, s3);
                String after = s3.putObject(r -> r.bucket(bucket).key("k0"), RequestBody.fromString("after")).versionId();
                List<ObjectVersion> k0 = s3.listObjectVersions(r -> r.bucket(bucket).prefix("k0")).versions();
                assertEquals(after, k0.get(0).versionId());
                assertTrue(k0.get(0).isLatest());
            }
        }
    }

    /**
     * For each key, every acknowledged version is listed, and the versions one writer made (one
     * after the other) are listed newest first in the order that writer had them acknowledged.
     */
    private static void assertAckOrderIsVersionOrder(List<Acked> acked, String bucket, S3Client s3) {
        for (int k = 0; k < KEYS; k++) {
            String key = "k" + k;
            List<String> listed = new ArrayList<>();
            s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(key)).forEach(page -> {
                // the SDK splits versions from markers; versions alone keep the listing's order
                page.versions().forEach(v -> listed.add(v.versionId()));
                page.deleteMarkers().forEach(m -> listed.add(m.versionId()));
            });
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                List<Acked> mine = acked.stream().filter(a -> a.key().equals(key) && a.writer() == writer)
                        .sorted((a, b) -> Integer.compare(b.order(), a.order())).toList();
                assertTrue(listed.containsAll(mine.stream().map(Acked::versionId).toList()),
                        key + ": listed " + listed + " lacks some of " + mine);
                List<String> myData = mine.stream().filter(a -> a.data() != null).map(Acked::versionId).toList();
                List<String> listedData = listed.stream().filter(myData::contains).toList();
                assertEquals(myData, listedData, key + ": writer " + w + "'s versions, newest first");
            }
        }
    }

    /** Writers put versions and delete markers of a few keys until the server is SIGKILLed under them. */
    private static List<Acked> writeUntilKilled(ServerProcess server, String bucket) throws Exception {
        List<Acked> acked = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger order = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(30);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            long seed = w;
            Thread t = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                try (S3Client s3 = server.s3ClientBuilder().build()) {
                    while (!killed.get()) {
                        String key = "k" + rnd.nextInt(KEYS);
                        try {
                            if (rnd.nextInt(6) == 0) {
                                var r = s3.deleteObject(q -> q.bucket(bucket).key(key));
                                acked.add(new Acked((int) seed, key, r.versionId(), null, order.incrementAndGet()));
                            } else {
                                byte[] data = new byte[rnd.nextInt(1, 64 * 1024)];
                                for (int i = 0; i < data.length; i++) {
                                    data[i] = (byte) rnd.nextInt();
                                }
                                String id = s3.putObject(q -> q.bucket(bucket).key(key), RequestBody.fromBytes(data))
                                        .versionId();
                                acked.add(new Acked((int) seed, key, id, data, order.incrementAndGet()));
                            }
                            enough.countDown();
                        } catch (RuntimeException e) {
                            if (!killed.get()) {
                                throw e;
                            }
                        }
                    }
                }
            });
            t.start();
            writers.add(t);
        }
        assertTrue(enough.await(60, TimeUnit.SECONDS), "writers made 30 versions");
        killed.set(true);
        server.kill9();
        for (Thread t : writers) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        return new ArrayList<>(acked);
    }
}
