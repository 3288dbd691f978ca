package dev.cairn.tools.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockLegalHoldStatus;

/**
 * kill -9 of the server while a lifecycle pass is expiring versions (a 2 s lifecycle day, 20
 * actions a second so the pass is under way for seconds): after the restart no version that no
 * rule matches is lost, no version under a legal hold is removed, and the new server's passes
 * finish what the killed one started.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LifecycleCrashIT {
    private static final java.time.Duration LIMIT = java.time.Duration.ofSeconds(90);
    private static final int EXPIRING = 60;
    private static final int KEPT = 15;
    private static final int LOCKED = 3;
    private static final String BUCKET = "crash-lifecycle";

    @TempDir
    Path dir;

    @Test
    void aPassKilledMidwayLosesNothingItShouldKeepAndIsFinishedAfterTheRestart() throws Exception {
        List<String> flags = List.of("--lifecycle-day-seconds", "2", "--lifecycle-actions-per-second", "20");
        try (ServerProcess server = ServerProcess.start("LifecycleCrashIT", dir.resolve("data"), flags, Map.of())) {
            Map<String, Map<String, String>> kept = new LinkedHashMap<>(); // key -> version id -> content
            Map<String, String> held = new LinkedHashMap<>(); // key -> version id under a legal hold
            try (S3Client s3 = server.s3ClientBuilder().build()) {
                s3.createBucket(r -> r.bucket(BUCKET).objectLockEnabledForBucket(true));
                for (int i = 0; i < KEPT; i++) {
                    String key = "keep/" + i;
                    Map<String, String> versions = new LinkedHashMap<>();
                    for (int v = 0; v < 2; v++) {
                        String body = key + " version " + v;
                        versions.put(s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(body))
                                .versionId(), body);
                    }
                    kept.put(key, versions);
                }
                for (int i = 0; i < EXPIRING; i++) {
                    String key = "exp/" + i;
                    for (int v = 0; v < 2; v++) {
                        s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(key + " v" + v));
                    }
                }
                for (int i = 0; i < LOCKED; i++) {
                    String key = "exp/locked-" + i;
                    held.put(key, s3.putObject(r -> r.bucket(BUCKET).key(key)
                            .objectLockLegalHoldStatus(ObjectLockLegalHoldStatus.ON)
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromString("held " + key))
                            .versionId());
                }
                s3.putBucketLifecycleConfiguration(r -> r.bucket(BUCKET).lifecycleConfiguration(c -> c.rules(
                        rule -> rule.id("exp").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("exp/"))
                                .expiration(e -> e.days(1)).noncurrentVersionExpiration(n -> n.noncurrentDays(1)))));

                server.await("the pass has expired some objects but not all", LIMIT, () -> {
                    double done = server.metric("cairn_lifecycle_objects_expired_total")
                            + server.metric("cairn_lifecycle_noncurrent_versions_expired_total");
                    return done >= 15;
                });
                double before = server.metric("cairn_lifecycle_objects_expired_total")
                        + server.metric("cairn_lifecycle_noncurrent_versions_expired_total");
                server.kill9();
                assertTrue(before < 2 * EXPIRING, "killed mid-pass, after " + before + " expirations");
            }

            server.restart();
            try (S3Client s3 = server.s3ClientBuilder().build()) {
                for (Map.Entry<String, Map<String, String>> k : kept.entrySet()) {
                    for (Map.Entry<String, String> v : k.getValue().entrySet()) {
                        assertEquals(v.getValue(), s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(k.getKey())
                                .versionId(v.getKey())).asUtf8String(), k.getKey() + " " + v.getKey());
                    }
                }
                server.await("the new server's passes expired every unlocked exp/ version and marker", LIMIT, () -> {
                    ListObjectVersionsResponse l = s3.listObjectVersions(r -> r.bucket(BUCKET).prefix("exp/"));
                    return l.versions().stream().allMatch(v -> v.key().startsWith("exp/locked-"))
                            && l.deleteMarkers().stream().allMatch(m -> m.key().startsWith("exp/locked-"));
                });
                for (Map.Entry<String, String> h : held.entrySet()) {
                    assertEquals("held " + h.getKey(), s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(h.getKey())
                            .versionId(h.getValue())).asUtf8String());
                }
                assertTrue(server.metric("cairn_lifecycle_objects_expired_total")
                        + server.metric("cairn_lifecycle_noncurrent_versions_expired_total") > 0,
                        "the restarted server expired what was left");
                assertTrue(server.metric("cairn_lifecycle_locked_skipped_total") >= LOCKED);
                List<String> keys = new ArrayList<>();
                s3.listObjectsV2Paginator(r -> r.bucket(BUCKET)).contents().forEach(o -> keys.add(o.key()));
                assertEquals(KEPT, keys.size(), "only keep/ objects are current: " + keys);
            }
            List<String> connect = List.of("--endpoint", server.adminUri().toString(), "--access-key",
                    server.accessKey(), "--secret-key", server.secretKey());
            List<String> run = new ArrayList<>(List.of("admin", "lifecycle", "run"));
            run.addAll(connect);
            CommandLine.Result requested = ClusterFixture.cairn("LifecycleCrashIT", Map.of(), run).assertOk();
            assertTrue(requested.stdout().contains("lifecycle pass requested"), requested.describe("run"));
            List<String> status = new ArrayList<>(List.of("admin", "lifecycle"));
            status.addAll(connect);
            CommandLine.Result shown = ClusterFixture.cairn("LifecycleCrashIT", Map.of(), status).assertOk();
            assertTrue(shown.stdout().contains("a day is 2 s") && shown.stdout().contains("kept by object lock"),
                    shown.describe("status"));
        }
    }
}
