package dev.cairn.tools.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.cairn.tools.it.TestFiles.KiB;
import static dev.cairn.tools.it.TestFiles.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * s3cmd with a generated config (path style, plain HTTP, SigV4): it signs every payload and
 * uploads files above 15 MiB in 15 MiB parts, one after another.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class S3cmdIT {
    @TempDir
    static Path classDir;
    private static ServerProcess server;
    private static Path s3cmd;
    private static Path config;

    @BeforeAll
    static void startServer() throws IOException {
        if (ExternalTool.find("s3cmd").isEmpty()) {
            return; // every test skips, or fails under CI, in requireS3cmd()
        }
        s3cmd = ExternalTool.find("s3cmd").get();
        server = ServerProcess.start("S3cmdIT", classDir.resolve("data"));
        config = classDir.resolve("s3cfg");
        Files.writeString(config, String.join("\n",
                "[default]",
                "access_key = " + server.accessKey(),
                "secret_key = " + server.secretKey(),
                "host_base = " + server.hostPort(),
                "host_bucket = " + server.hostPort(),
                "use_https = False",
                "signature_v2 = False",
                ""), StandardCharsets.UTF_8);
    }

    @BeforeEach
    void requireS3cmd() {
        ExternalTool.require("s3cmd");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void putGetListAndDeleteSmallAndMultipartFiles(@TempDir Path dir) {
        String bucket = "s3cmd-bucket";
        s3cmdOk("mb", "s3://" + bucket);
        Map<String, Path> files = new TreeMap<>(Map.of(
                "small 1k.txt", TestFiles.random(dir.resolve("up/small 1k.txt"), KiB, 21),
                "empty.bin", TestFiles.random(dir.resolve("up/empty.bin"), 0, 22),
                "dir/mid-20m.bin", TestFiles.random(dir.resolve("up/mid-20m.bin"), 20 * MiB, 23)));

        for (var f : files.entrySet()) {
            s3cmdOk("put", "--no-progress", f.getValue().toString(), "s3://" + bucket + "/" + f.getKey());
        }
        // s3cmd reports its multipart decisions at debug level only: upload the 20 MiB file once more with -d.
        CommandLine.Result multipart = s3cmdOk("-d", "put", "--no-progress", files.get("dir/mid-20m.bin").toString(),
                "s3://" + bucket + "/again-20m.bin");
        assertTrue(multipart.stderr().contains("MultiPart: Uploading " + files.get("dir/mid-20m.bin") + " in 2 parts")
                        && multipart.stderr().contains("MultiPart: Upload finished: 2 parts"),
                multipart.describe("20 MiB should go up as 2 parts (15 MiB + 5 MiB)"));

        Map<String, Long> listed = new TreeMap<>();
        for (String line : s3cmdOk("ls", "--recursive", "s3://" + bucket).stdout().strip().lines().toList()) {
            String[] f = line.strip().split("\\s+", 4); // date time size s3://bucket/key
            assertEquals(4, f.length, "s3cmd ls line: " + line);
            listed.put(f[3].substring(("s3://" + bucket + "/").length()), Long.parseLong(f[2]));
        }
        assertEquals(Map.of("small 1k.txt", KiB, "empty.bin", 0L, "dir/mid-20m.bin", 20 * MiB,
                "again-20m.bin", 20 * MiB), listed);

        for (var f : files.entrySet()) {
            Path down = dir.resolve("down").resolve(f.getKey());
            s3cmdOk("get", "--no-progress", "s3://" + bucket + "/" + f.getKey(), down.toString());
            assertEquals(TestFiles.sha256(f.getValue()), TestFiles.sha256(down), f.getKey() + " downloaded");
        }
        Path again = dir.resolve("down/again-20m.bin");
        s3cmdOk("get", "--no-progress", "s3://" + bucket + "/again-20m.bin", again.toString());
        assertEquals(TestFiles.sha256(files.get("dir/mid-20m.bin")), TestFiles.sha256(again), "multipart copy");

        for (String key : listed.keySet()) {
            s3cmdOk("del", "s3://" + bucket + "/" + key);
        }
        assertEquals("", s3cmdOk("ls", "--recursive", "s3://" + bucket).stdout().strip(), "all deleted");
        s3cmdOk("rb", "s3://" + bucket);
    }

    private static CommandLine.Result s3cmdOk(String... args) {
        List<String> cmd = new ArrayList<>(List.of(s3cmd.toString(), "-c", config.toString()));
        cmd.addAll(List.of(args));
        return CommandLine.of(cmd)
                .unsetEnv(k -> k.startsWith("AWS_"))
                .timeout(Duration.ofMinutes(2))
                .logTo(Logs.dir("S3cmdIT"), "s3cmd-" + (args[0].equals("-d") ? args[1] : args[0]))
                .run()
                .assertOk();
    }
}
