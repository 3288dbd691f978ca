package dev.cairn.tools.it;

import static dev.cairn.tools.it.TestFiles.KiB;
import static dev.cairn.tools.it.TestFiles.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * restic backing up to a bucket created with object lock and a default GOVERNANCE retention:
 * {@code restic init}, two backups, {@code restic check --read-data} and a restore that is byte
 * for byte the source; every version restic wrote is retained (a plain delete of one is refused).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ResticIT {
    @TempDir
    Path dir;

    @Test
    void backsUpChecksAndRestoresByteIdenticallyFromAnObjectLockedBucket() throws IOException {
        Path restic = ExternalTool.require("restic");
        String bucket = "restic-locked";
        try (ServerProcess server = ServerProcess.start("ResticIT", dir.resolve("data"))) {
            try (S3Client s3 = server.s3ClientBuilder().build()) {
                s3.createBucket(r -> r.bucket(bucket).objectLockEnabledForBucket(true));
                s3.putObjectLockConfiguration(r -> r.bucket(bucket).objectLockConfiguration(c -> c
                        .objectLockEnabled(ObjectLockEnabled.ENABLED)
                        .rule(rule -> rule.defaultRetention(d -> d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
                assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket(bucket)).status());
            }
            Path source = dir.resolve("source");
            TestFiles.random(source.resolve("docs/a.txt"), 12 * KiB, 1);
            TestFiles.random(source.resolve("docs/deeper/b.bin"), 3 * MiB + 17, 2);
            TestFiles.random(source.resolve("empty"), 0, 3);
            TestFiles.random(source.resolve("big.bin"), 9 * MiB, 4);
            String repo = "s3:" + server.endpoint() + "/" + bucket;

            restic(restic, server, repo, "init");
            restic(restic, server, repo, "backup", source.toString());
            TestFiles.random(source.resolve("docs/a.txt"), 20 * KiB, 5); // changed for the second snapshot
            TestFiles.random(source.resolve("new.bin"), 300 * KiB, 6);
            restic(restic, server, repo, "backup", source.toString());
            restic(restic, server, repo, "check", "--read-data");

            Path target = dir.resolve("restored");
            restic(restic, server, repo, "restore", "latest", "--target", target.toString());
            Path restoredRoot = target.resolve(source.toString().substring(1));
            assertEquals(hashes(source), hashes(restoredRoot), "the restore is byte for byte the source");

            try (S3Client s3 = server.s3ClientBuilder().build()) {
                List<ObjectVersion> versions = new ArrayList<>();
                s3.listObjectVersionsPaginator(r -> r.bucket(bucket)).versions().forEach(versions::add);
                assertTrue(versions.size() > 5, "restic wrote " + versions.size() + " versions");
                ObjectVersion data = versions.stream().filter(v -> v.key().startsWith("data/")).findFirst()
                        .orElseThrow();
                var head = s3.headObject(r -> r.bucket(bucket).key(data.key()).versionId(data.versionId()));
                assertEquals(ObjectLockMode.GOVERNANCE, head.objectLockMode());
                assertTrue(head.objectLockRetainUntilDate().isAfter(Instant.now().plus(Duration.ofHours(23))));
                var refused = org.junit.jupiter.api.Assertions.assertThrows(
                        software.amazon.awssdk.services.s3.model.S3Exception.class,
                        () -> s3.deleteObject(r -> r.bucket(bucket).key(data.key()).versionId(data.versionId())));
                assertEquals(403, refused.statusCode());
            }
        }
    }

    private static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(f).toString(), TestFiles.sha256(f));
            }
        }
        return out;
    }

    private void restic(Path restic, ServerProcess server, String repo, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(restic.toString());
        cmd.addAll(List.of("-r", repo, "--no-cache"));
        cmd.addAll(List.of(args));
        CommandLine.of(cmd)
                .unsetEnv(k -> k.startsWith("AWS_") || k.startsWith("RESTIC_"))
                .env("AWS_ACCESS_KEY_ID", server.accessKey())
                .env("AWS_SECRET_ACCESS_KEY", server.secretKey())
                .env("AWS_DEFAULT_REGION", server.region())
                .env("RESTIC_PASSWORD", "cairn-it-restic-password")
                .env("HOME", dir.toString())
                .timeout(Duration.ofMinutes(2))
                .logTo(Logs.dir("ResticIT"), "restic-" + args[0])
                .run().assertOk();
    }
}
