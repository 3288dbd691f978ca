package dev.cairn.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The root access key and secret. Given explicitly (CAIRN_ROOT_ACCESS_KEY / CAIRN_ROOT_SECRET_KEY)
 * they are used as they are; otherwise they are generated on first start and kept in
 * {@code <data-dir>/root-credentials} with mode 0600, so later starts reuse them.
 *
 * @param generated whether this start created them (so they should be printed)
 */
public record RootCredentials(String accessKey, String secretKey, boolean generated) {
    public static final String FILE = "root-credentials";
    private static final String ACCESS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static RootCredentials resolve(Path dataDir, String accessKey, String secretKey) throws IOException {
        if (accessKey != null && !accessKey.isEmpty() && secretKey != null && !secretKey.isEmpty()) {
            return new RootCredentials(accessKey, secretKey, false);
        }
        if ((accessKey != null && !accessKey.isEmpty()) != (secretKey != null && !secretKey.isEmpty())) {
            throw new IllegalArgumentException("set both CAIRN_ROOT_ACCESS_KEY and CAIRN_ROOT_SECRET_KEY, or neither");
        }
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            return read(file);
        }
        RootCredentials created = new RootCredentials("CAIRN" + PrivateFiles.random(ACCESS_ALPHABET, 15),
                PrivateFiles.random(SECRET_ALPHABET, 40), true);
        String text = "# Cairn root credentials, generated on first start\n"
                + "access_key=" + created.accessKey + "\n"
                + "secret_key=" + created.secretKey + "\n";
        if (!PrivateFiles.createNew(file, text)) {
            return read(file);
        }
        return created;
    }

    /** The credentials a server generated and kept in {@code dataDir}, if it did (for {@code cairn admin}). */
    public static java.util.Optional<RootCredentials> stored(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        return Files.exists(file) ? java.util.Optional.of(read(file)) : java.util.Optional.empty();
    }

    private static RootCredentials read(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String ak = p.getProperty("access_key");
        String sk = p.getProperty("secret_key");
        if (ak == null || sk == null) {
            throw new IOException(file + " is damaged: it must hold access_key and secret_key");
        }
        return new RootCredentials(ak.trim(), sk.trim(), false);
    }

    @Override
    public String toString() {
        return "RootCredentials[" + accessKey + "]";
    }
}
