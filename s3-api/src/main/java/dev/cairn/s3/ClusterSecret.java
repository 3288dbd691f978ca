package dev.cairn.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The secret shared by the server and its chunkstore nodes (CAIRN_CLUSTER_SECRET). When not given
 * it is generated on first start and kept in {@code <data-dir>/cluster-secret} (mode 0600); nodes
 * must then be started with the same value.
 */
public final class ClusterSecret {
    public static final String FILE = "cluster-secret";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private ClusterSecret() {
    }

    public static String resolve(Path dataDir, String given) throws IOException {
        if (given != null && !given.isEmpty()) {
            return given;
        }
        Path file = dataDir.resolve(FILE);
        String fresh = PrivateFiles.random(ALPHABET, 48);
        if (PrivateFiles.createNew(file, fresh + "\n")) {
            return fresh;
        }
        String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (stored.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        return stored;
    }
}
