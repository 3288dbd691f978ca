package dev.cairn.tools.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.cairn.tools.it.TestFiles.KiB;
import static dev.cairn.tools.it.TestFiles.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rclone, configured only through RCLONE_CONFIG_T_* variables, copying and syncing a tree of 300
 * files (0 B to 12 MiB; above the 5 MiB cutoff rclone uploads 5 MiB parts, 4 at a time).
 * rclone runs with {@code --retries 1 --low-level-retries 1} so a failing request is an error
 * here instead of something rclone quietly retries past.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RcloneIT {
    private static final Pattern INFO_LINE = Pattern.compile("INFO {2}: (.+): (Copied \\(new\\)|"
            + "Copied \\(replaced existing\\)|Deleted|Updated modification time in destination)$");

    @TempDir
    static Path classDir;
    private static ServerProcess server;
    private static Path rclone;

    @BeforeAll
    static void startServer() throws IOException {
        if (ExternalTool.find("rclone").isPresent()) { // else every test skips, or fails under CI, in requireRclone()
            rclone = ExternalTool.find("rclone").get();
            server = ServerProcess.start("RcloneIT", classDir.resolve("data"));
            Files.createFile(classDir.resolve("rclone.conf"));
        }
    }

    @BeforeEach
    void requireRclone() {
        ExternalTool.require("rclone");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void copySyncCheckListAndDeleteATreeOf300Files(@TempDir Path dir) throws IOException {
        String bucket = "rclone-tree";
        Path tree = dir.resolve("tree");
        List<String> files = writeTree(tree, 300, 42);
        rcloneOk("mkdir", "T:" + bucket);

        CommandLine.Result copy = rcloneOk("copy", "-v", "--s3-upload-cutoff", "5M", tree.toString(), "T:" + bucket);
        Map<String, String> copied = actions(copy);
        assertEquals(new TreeSet<>(files), new TreeSet<>(copied.keySet()), "copy uploads every file");
        assertTrue(copied.values().stream().allMatch("Copied (new)"::equals), copied.toString());
        assertCheck(tree, bucket, 300, false);
        assertSecondSyncChangesNothing(tree, bucket, 300);

        // Change the local tree: 3 rewritten (one at the same size), 3 deleted, 2 new (one multipart).
        SplittableRandom rnd = new SplittableRandom(7);
        List<String> modified = List.of(files.get(10), files.get(150), files.get(299));
        for (String f : modified) {
            Path p = tree.resolve(f);
            boolean sameSize = f.equals(files.get(150)) && Files.size(p) >= 16;
            long size = sameSize ? Files.size(p) : Files.size(p) + 1 + rnd.nextInt(5000);
            TestFiles.random(p, size, rnd.nextLong());
        }
        List<String> deleted = List.of(files.get(3), files.get(77), files.get(200));
        for (String f : deleted) {
            Files.delete(tree.resolve(f));
        }
        List<String> added = List.of("added/new small.txt", "added/new-multipart-9m.bin");
        TestFiles.random(tree.resolve(added.get(0)), 12_345, 8);
        TestFiles.random(tree.resolve(added.get(1)), 9 * MiB + 3, 9);

        CommandLine.Result sync = rcloneOk("sync", "-v", "--s3-upload-cutoff", "5M", tree.toString(), "T:" + bucket);
        Map<String, String> expected = new LinkedHashMap<>();
        modified.forEach(f -> expected.put(f, "Copied (replaced existing)"));
        deleted.forEach(f -> expected.put(f, "Deleted"));
        added.forEach(f -> expected.put(f, "Copied (new)"));
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(actions(sync)),
                "sync transfers exactly the changes:\n" + sync.stderr());
        assertSecondSyncChangesNothing(tree, bucket, 299);

        assertCheck(tree, bucket, 299, false);
        assertCheck(tree, bucket, 299, true);

        Set<String> listed = rcloneOk("lsf", "-R", "T:" + bucket).stdout().lines()
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(localListing(tree), listed, "rclone lsf -R lists the local tree");

        rcloneOk("delete", "T:" + bucket);
        assertEquals("", rcloneOk("lsf", "-R", "T:" + bucket).stdout().strip(), "delete removed every object");
        rcloneOk("rmdir", "T:" + bucket);
        assertFalse(rcloneOk("lsd", "T:").stdout().contains(" " + bucket), "bucket removed");
    }

    @Test
    void syncUpdatesTheModTimeOfAnUnchangedFileInPlace(@TempDir Path dir) throws IOException {
        String bucket = "rclone-mtime";
        Path tree = dir.resolve("tree");
        Path file = TestFiles.random(tree.resolve("same.bin"), 100 * KiB, 11);
        rcloneOk("copy", "-v", tree.toString(), "T:" + bucket);

        Instant touched = Instant.parse("2021-03-04T05:06:07Z");
        Files.setLastModifiedTime(file, FileTime.from(touched));
        CommandLine.Result sync = rcloneOk("sync", "-v", tree.toString(), "T:" + bucket);
        assertEquals(Map.of("same.bin", "Updated modification time in destination"), actions(sync), sync.stderr());

        String json = rcloneOk("lsjson", "T:" + bucket + "/same.bin").stdout();
        Matcher m = Pattern.compile("\"ModTime\":\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), json);
        assertEquals(touched, OffsetDateTime.parse(m.group(1)).toInstant(), json);
        assertCheck(tree, bucket, 1, true);
    }

    /**
     * A sync of a tree that is already in sync transfers nothing, and leaves every object as it
     * was: the same ETag for every key (so no object was rewritten, not even by a server-side copy).
     */
    /** rclone's {@code --s3-versions} lists a replaced file's old version by its time and reads it back. */
    @Test
    void s3VersionsListsAndReadsTheOldVersionOfAReplacedFile(@TempDir Path dir) throws IOException {
        String bucket = "rclone-versions";
        try (S3Client s3 = server.s3ClientBuilder().build()) {
            s3.createBucket(r -> r.bucket(bucket));
            s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(c -> c.status(
                    software.amazon.awssdk.services.s3.model.BucketVersioningStatus.ENABLED)));
        }
        Path src = dir.resolve("src");
        Path doc = src.resolve("doc.txt");
        Files.createDirectories(src);
        Files.writeString(doc, "the first version");
        rcloneOk("copy", src.toString(), "T:" + bucket);
        Files.writeString(doc, "the second, longer version");
        Files.setLastModifiedTime(doc, FileTime.from(Instant.now().plusSeconds(60)));
        rcloneOk("copy", src.toString(), "T:" + bucket);

        List<String> plain = rcloneOk("lsf", "T:" + bucket).stdout().lines().toList();
        assertEquals(List.of("doc.txt"), plain);
        List<String> all = rcloneOk("lsf", "--s3-versions", "T:" + bucket).stdout().lines().sorted().toList();
        assertEquals(2, all.size(), all.toString());
        String old = all.stream().filter(n -> !n.equals("doc.txt")).findFirst().orElseThrow();
        assertTrue(old.matches("doc-v\\d{4}-\\d\\d-\\d\\d-\\d{6}-\\d{3}\\.txt"), old);
        assertEquals("the first version", rcloneOk("cat", "--s3-versions", "T:" + bucket + "/" + old).stdout());
        assertEquals("the second, longer version", rcloneOk("cat", "T:" + bucket + "/doc.txt").stdout());
    }

    private static void assertSecondSyncChangesNothing(Path tree, String bucket, int objects) {
        Map<String, String> before = etags(bucket);
        assertEquals(objects, before.size(), "objects listed before the second sync");
        CommandLine.Result again = rcloneOk("sync", "-v", "--s3-upload-cutoff", "5M", tree.toString(), "T:" + bucket);
        assertEquals(Map.of(), actions(again), "a second sync has nothing to do:\n" + again.stderr());
        assertEquals(before, etags(bucket), "a second sync leaves every object's ETag as it was");
    }

    /** Key to ETag of every object of the bucket, listed with the SDK. */
    private static Map<String, String> etags(String bucket) {
        try (S3Client s3 = server.s3ClientBuilder().build()) {
            Map<String, String> out = new java.util.TreeMap<>();
            s3.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(o -> out.put(o.key(), o.eTag()));
            return out;
        }
    }

    /** rclone check (by hash, or by downloading) must exit 0 with 0 differences and every file matching. */
    private static void assertCheck(Path tree, String bucket, int files, boolean download) {
        List<String> args = new ArrayList<>(List.of("check", tree.toString(), "T:" + bucket));
        if (download) {
            args.add(1, "--download");
        }
        CommandLine.Result r = rclone(args.toArray(String[]::new)).run();
        String what = "rclone check" + (download ? " --download" : "");
        assertEquals(0, r.exitCode(), r.describe(what + " found differences"));
        assertTrue(r.stderr().contains(": 0 differences found"), r.describe(what + " output"));
        assertTrue(r.stderr().contains(": " + files + " matching files"), r.describe(what + " output"));
        assertFalse(r.stderr().contains("hashes could not be checked"), r.describe(what + ": hashes missing"));
        assertFalse(r.stderr().contains("ERROR"), r.describe(what + " logged errors"));
    }

    /** Relative path to what {@code -v} says rclone did with it. */
    private static Map<String, String> actions(CommandLine.Result r) {
        assertFalse(r.stderr().contains("ERROR"), r.describe("rclone logged errors"));
        Map<String, String> actions = new LinkedHashMap<>();
        for (String line : r.stderr().lines().toList()) {
            Matcher m = INFO_LINE.matcher(line);
            if (m.find()) {
                String previous = actions.put(m.group(1), m.group(2));
                if (previous != null && !previous.equals(m.group(2))) {
                    throw new AssertionError(r.describe(m.group(1) + " reported twice"));
                }
            }
        }
        return actions;
    }

    /** What {@code rclone lsf -R} prints for a local tree: files, and directories (holding files) with '/'. */
    private static Set<String> localListing(Path tree) throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> all = Files.walk(tree)) {
            all.filter(Files::isRegularFile).forEach(f -> {
                String rel = tree.relativize(f).toString();
                out.add(rel);
                for (Path d = tree.relativize(f).getParent(); d != null; d = d.getParent()) {
                    out.add(d + "/");
                }
            });
        }
        return out;
    }

    /**
     * Writes {@code count} files: 3 of 8-12 MiB, the rest mostly under 256 KiB with some up to
     * 2 MiB and some empty, spread over nested directories, a few named with spaces, unicode and
     * characters SigV4 must escape. Returns their relative paths in creation order.
     */
    static List<String> writeTree(Path root, int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String[] dirs = {"", "docs/", "docs/deep/er/still deeper/", "media/", "media/big/", "data/0/", "data/1/",
                "data/2/", "with space/", "ünïcødé/日本/"};
        String[] odd = {"name with spaces %d.txt", "ünïcødé-%d-ß.bin", "a+b=c&d %d.dat", "émoji 🎉 %d.txt",
                "(paren) [bracket] %d", "tilde~%d.bin", "percent%%20-%d.bin"};
        long[] big = {8 * MiB, 10 * MiB + 12_345, 12 * MiB};
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String dir = i < big.length ? "media/big/" : dirs[rnd.nextInt(dirs.length)];
            String base = i % 23 == 5 ? String.format(odd[(i / 23) % odd.length], i) : String.format("file-%03d.bin", i);
            String name = TestFiles.portableName(dir + base);
            long size;
            if (i < big.length) {
                size = big[i];
            } else if (i % 41 == 0) {
                size = 0;
            } else {
                int bucket = rnd.nextInt(100);
                size = bucket < 45 ? rnd.nextInt(4096) : bucket < 92 ? 4096 + rnd.nextInt(252 * 1024)
                        : 256 * KiB + rnd.nextLong(1792 * KiB);
            }
            TestFiles.random(root.resolve(name), size, rnd.nextLong());
            names.add(name);
        }
        return names;
    }

    private static CommandLine rclone(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(rclone.toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--retries", "1", "--low-level-retries", "1"));
        return CommandLine.of(cmd)
                .unsetEnv(k -> k.startsWith("AWS_") || k.startsWith("RCLONE_"))
                .env("RCLONE_CONFIG", classDir.resolve("rclone.conf").toString())
                .env("RCLONE_CONFIG_T_TYPE", "s3")
                .env("RCLONE_CONFIG_T_PROVIDER", "Other")
                .env("RCLONE_CONFIG_T_ACCESS_KEY_ID", server.accessKey())
                .env("RCLONE_CONFIG_T_SECRET_ACCESS_KEY", server.secretKey())
                .env("RCLONE_CONFIG_T_ENDPOINT", server.endpoint())
                .env("RCLONE_CONFIG_T_REGION", server.region())
                .timeout(Duration.ofMinutes(3))
                .logTo(Logs.dir("RcloneIT"), "rclone-" + args[0]);
    }

    private static CommandLine.Result rcloneOk(String... args) {
        return rclone(args).run().assertOk();
    }
}
