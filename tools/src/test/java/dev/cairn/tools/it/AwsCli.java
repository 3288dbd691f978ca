package dev.cairn.tools.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code aws} command against a {@link ServerProcess} with default client settings:
 * credentials and region from the environment, no config or credentials file of the user's, and
 * the endpoint read from the server at each call (it changes when the server restarts).
 */
final class AwsCli {
    private final ServerProcess server;
    private final Path aws;
    private final Path home;
    private final Path logDir;
    private final String accessKey;
    private final String secretKey;
    private final Path caBundle;

    AwsCli(ServerProcess server, Path aws, Path home, Path logDir) {
        this(server, aws, home, logDir, null);
    }

    /** {@code caBundle}: the CA of an HTTPS server's certificate, passed as {@code --ca-bundle}; null for none. */
    AwsCli(ServerProcess server, Path aws, Path home, Path logDir, Path caBundle) {
        this(server, aws, home, logDir, server.accessKey(), server.secretKey(), caBundle);
    }

    private AwsCli(ServerProcess server, Path aws, Path home, Path logDir, String accessKey, String secretKey,
                   Path caBundle) {
        this.server = server;
        this.aws = aws;
        this.home = home;
        this.logDir = logDir;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.caBundle = caBundle;
    }

    /** The same aws command signing with another access key (a user's). */
    AwsCli as(String otherAccessKey, String otherSecretKey) {
        return new AwsCli(server, aws, home, logDir, otherAccessKey, otherSecretKey, caBundle);
    }

    /** {@code aws iam ...} against the server's admin port, where the IAM API is served. */
    CommandLine iam(String... args) {
        List<String> all = new ArrayList<>(List.of("iam"));
        all.addAll(List.of(args));
        return command(server.adminUri().toString(), all);
    }

    CommandLine command(String... args) {
        return command(server.endpoint(), List.of(args));
    }

    private CommandLine command(String endpoint, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(aws.toString());
        cmd.add("--endpoint-url");
        cmd.add(endpoint);
        if (caBundle != null) {
            cmd.add("--ca-bundle");
            cmd.add(caBundle.toString());
        }
        cmd.addAll(args);
        String label = "aws-" + String.join("-", args.subList(0, Math.min(2, args.size())));
        return CommandLine.of(cmd)
                .unsetEnv(k -> k.startsWith("AWS_"))
                .env("AWS_ACCESS_KEY_ID", accessKey)
                .env("AWS_SECRET_ACCESS_KEY", secretKey)
                .env("AWS_DEFAULT_REGION", server.region())
                .env("AWS_CONFIG_FILE", home.resolve("aws-config-absent").toString())
                .env("AWS_SHARED_CREDENTIALS_FILE", home.resolve("aws-credentials-absent").toString())
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .timeout(Duration.ofMinutes(4))
                .logTo(logDir, label);
    }

    CommandLine.Result run(String... args) {
        return command(args).run();
    }

    CommandLine.Result ok(String... args) {
        return command(args).run().assertOk();
    }

    /** ETag (quotes included, as S3 sends it) of a single PUT, from the PutObject response. */
    String putObject(String bucket, String key, Path body) {
        return ok("s3api", "put-object", "--bucket", bucket, "--key", key, "--body", body.toString(),
                "--query", "ETag", "--output", "text").stdout().strip();
    }

    /** {@code [ContentLength, ETag]} of an object, or null when HEAD answers 404. */
    Head head(String bucket, String key) {
        CommandLine.Result r = run("s3api", "head-object", "--bucket", bucket, "--key", key,
                "--query", "[ContentLength,ETag]", "--output", "text");
        if (r.exitCode() != 0 && r.stderr().contains("(404)")) {
            return null;
        }
        String[] f = r.assertOk().stdout().strip().split("\t");
        if (f.length != 2) {
            throw new AssertionError(r.describe("unexpected head-object output"));
        }
        return new Head(Long.parseLong(f[0]), f[1]);
    }

    /** Key to [Size, ETag] from ListObjectsV2 (paginated by the CLI). */
    Map<String, Head> list(String bucket) {
        String out = ok("s3api", "list-objects-v2", "--bucket", bucket,
                "--query", "Contents[].[Key,Size,ETag]", "--output", "text").stdout();
        Map<String, Head> objects = new LinkedHashMap<>();
        for (String line : out.strip().lines().toList()) {
            if (line.isBlank() || line.equals("None")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 3) {
                throw new AssertionError("unexpected list-objects-v2 line: " + line);
            }
            objects.put(f[0], new Head(Long.parseLong(f[1]), f[2]));
        }
        return objects;
    }

    /** Downloads every object of {@code bucket} into {@code dir} with one {@code s3 cp --recursive}. */
    void downloadAll(String bucket, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ok("s3", "cp", "--recursive", "--no-progress", "--only-show-errors", "s3://" + bucket, dir.toString());
    }

    record Head(long contentLength, String etag) {
    }
}
