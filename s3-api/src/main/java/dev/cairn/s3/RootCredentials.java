package dev.cairn.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
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
        SecureRandom random = new SecureRandom();
        RootCredentials created = new RootCredentials("CAIRN" + random(random, ACCESS_ALPHABET, 15),
                random(random, SECRET_ALPHABET, 40), true);
        StringBuilder text = new StringBuilder("# Cairn root credentials, generated on first start\n");
        text.append("access_key=").append(created.accessKey).append('\n');
        text.append("secret_key=").append(created.secretKey).append('\n');
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return read(file);
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.SYNC);
        return created;
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

    private static String random(SecureRandom r, String alphabet, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "RootCredentials[" + accessKey + "]";
    }
}
