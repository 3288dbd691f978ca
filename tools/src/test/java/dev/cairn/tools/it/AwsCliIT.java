package dev.cairn.tools.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.cairn.tools.it.TestFiles.KiB;
import static dev.cairn.tools.it.TestFiles.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preinstalled aws-cli, default settings (CRC32 checksums, 8 MiB multipart parts above
 * 8 MiB), against the packaged server over plain HTTP.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AwsCliIT {
    /** aws-cli's default multipart_chunksize. */
    private static final long PART = 8 * MiB;

    @TempDir
    static Path classDir;
    private static ServerProcess server;
    private static AwsCli aws;

    @BeforeAll
    static void startServer() {
        Optional<Path> bin = ExternalTool.find("aws");
        if (bin.isPresent()) { // else every test skips, or fails under CI, in requireAws()
            server = ServerProcess.start("AwsCliIT", classDir.resolve("data"));
            aws = new AwsCli(server, bin.get(), classDir, Logs.dir("AwsCliIT"));
        }
    }

    @BeforeEach
    void requireAws() {
        ExternalTool.require("aws");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void cpRoundTripsSmallAndMultipartFilesByteIdentical(@TempDir Path dir) {
        String bucket = "aws-cp";
        aws.ok("s3", "mb", "s3://" + bucket);
        Map<String, Path> files = new TreeMap<>(Map.of(
                "small-1k.bin", TestFiles.random(dir.resolve("up/small-1k.bin"), KiB, 1),
                "mid-20m.bin", TestFiles.random(dir.resolve("up/mid-20m.bin"), 20 * MiB, 2),
                "large-200m.bin", TestFiles.random(dir.resolve("up/large-200m.bin"), 200 * MiB, 3)));
        for (var f : files.entrySet()) {
            aws.ok("s3", "cp", "--no-progress", "--only-show-errors", f.getValue().toString(),
                    "s3://" + bucket + "/" + f.getKey());
        }

        Map<String, Long> listed = new TreeMap<>();
        for (String line : aws.ok("s3", "ls", "s3://" + bucket).stdout().strip().lines().toList()) {
            String[] f = line.strip().split("\\s+", 4); // date time size key
            assertEquals(4, f.length, "s3 ls line: " + line);
            listed.put(f[3], Long.parseLong(f[2]));
        }
        assertEquals(Map.of("small-1k.bin", KiB, "mid-20m.bin", 20 * MiB, "large-200m.bin", 200 * MiB), listed);

        assertEquals(new AwsCli.Head(KiB, quoted(TestFiles.md5(files.get("small-1k.bin")))),
                aws.head(bucket, "small-1k.bin"), "single PUT: ETag is the MD5");
        AwsCli.Head mid = aws.head(bucket, "mid-20m.bin");
        assertEquals(new AwsCli.Head(20 * MiB, quoted(TestFiles.multipartEtag(files.get("mid-20m.bin"), PART))), mid,
                "20 MiB goes up in 3 parts of 8 MiB; ETag is MD5 of the part MD5s, -3");
        assertTrue(mid.etag().endsWith("-3\""), mid.etag());
        AwsCli.Head large = aws.head(bucket, "large-200m.bin");
        assertEquals(new AwsCli.Head(200 * MiB, quoted(TestFiles.multipartEtag(files.get("large-200m.bin"), PART))),
                large, "200 MiB goes up in 25 parts of 8 MiB");

        for (var f : files.entrySet()) {
            Path down = dir.resolve("down").resolve(f.getKey());
            aws.ok("s3", "cp", "--no-progress", "--only-show-errors", "s3://" + bucket + "/" + f.getKey(),
                    down.toString());
            assertEquals(TestFiles.sha256(f.getValue()), TestFiles.sha256(down), f.getKey() + " downloaded");
        }
    }

    @Test
    void syncUploadsATreeOnceThenNothingAndRmRecursiveEmptiesTheBucket(@TempDir Path dir) throws IOException {
        String bucket = "aws-sync";
        aws.ok("s3", "mb", "s3://" + bucket);
        Path tree = dir.resolve("tree");
        List<String> names = Stream.of("top.txt", "empty.bin", "a/one.bin", "a/two.bin", "a/b/deep.bin",
                "a/b/c/deeper.bin", "with space/file name.txt", "ünïcødé/naïve 日本.bin", "x/1.bin", "x/2.bin",
                "x/3.bin", "x/bigger.bin").map(TestFiles::portableName).toList();
        long[] sizes = {10, 0, 1000, 4096, 100_000, 16 * KiB, 333, 65_537, 1, 2, 3, 3 * MiB + 17};
        // LastModified has whole seconds (as on AWS) and sync re-uploads a file whose mtime is
        // later, so a file written in the same second as its upload would go up again.
        FileTime anHourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        for (int i = 0; i < names.size(); i++) {
            Files.setLastModifiedTime(TestFiles.random(tree.resolve(names.get(i)), sizes[i], 100 + i), anHourAgo);
        }

        CommandLine.Result first = aws.ok("s3", "sync", "--no-progress", tree.toString(), "s3://" + bucket);
        assertEquals(names.size(), first.stdout().lines().filter(l -> l.startsWith("upload:")).count(),
                "first sync uploads every file:\n" + first.stdout());
        CommandLine.Result second = aws.ok("s3", "sync", "--no-progress", tree.toString(), "s3://" + bucket);
        assertEquals("", second.stdout().strip(), "second sync has nothing to do");

        Map<String, Long> listed = new TreeMap<>();
        for (String line : aws.ok("s3", "ls", "--recursive", "s3://" + bucket).stdout().strip().lines().toList()) {
            String[] f = line.strip().split("\\s+", 4);
            listed.put(f[3], Long.parseLong(f[2]));
        }
        Map<String, Long> expected = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            expected.put(names.get(i), sizes[i]);
        }
        assertEquals(expected, listed, "s3 ls --recursive");

        Path back = dir.resolve("back");
        aws.ok("s3", "sync", "--no-progress", "--only-show-errors", "s3://" + bucket, back.toString());
        assertEquals(TestFiles.treeDigests(tree), TestFiles.treeDigests(back), "tree synced back down");

        CommandLine.Result rm = aws.ok("s3", "rm", "--recursive", "s3://" + bucket);
        assertEquals(names.size(), rm.stdout().lines().filter(l -> l.startsWith("delete:")).count(), rm.stdout());
        assertEquals("", aws.ok("s3", "ls", "--recursive", "s3://" + bucket).stdout().strip(), "bucket empty");
        aws.ok("s3", "rb", "s3://" + bucket);
        assertTrue(aws.ok("s3", "ls").stdout().lines().noneMatch(l -> l.endsWith(" " + bucket)), "bucket removed");
    }

    private static String quoted(String etag) {
        return "\"" + etag + "\"";
    }
}
