package dev.cairn.chunkstore.node;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A node's id, kept in {@code dataDir/node-id} (one line). The first start writes it (the
 * {@code --node-id} given, or {@code "node-" + 12 random hex digits}) durably: temp file, fsync,
 * rename, directory fsync. Later starts reuse it; a {@code --node-id} that differs from the stored
 * one is refused, since the cluster map knows the data by the stored id.
 */
public final class NodeIdentity {
    public static final String FILE_NAME = "node-id";

    /** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeIdentity() {
    }

    public static boolean isValid(String nodeId) {
        return nodeId != null && VALID.matcher(nodeId).matches();
    }

    /** A fresh id: "node-" and 12 random lowercase hex digits. */
    public static String generate() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "node-" + HexFormat.of().formatHex(b);
    }

    /**
     * The node id of {@code dataDir}, created on first use.
     *
     * @param requested the id asked for on the command line, or null to keep or generate one
     * @throws IllegalArgumentException when {@code requested} is not a valid id
     * @throws IOException              when the stored id differs from {@code requested}, the file is
     *                                  unreadable or holds an invalid id
     */
    public static String loadOrCreate(Path dataDir, String requested) throws IOException {
        if (requested != null && !isValid(requested)) {
            throw new IllegalArgumentException("invalid node id '" + requested
                    + "': use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)");
        }
        Path file = dataDir.resolve(FILE_NAME);
        String stored = read(file);
        if (stored != null) {
            if (requested != null && !requested.equals(stored)) {
                throw new IOException("data dir " + dataDir + " belongs to node '" + stored
                        + "', not '" + requested + "': drop --node-id or use another data dir");
            }
            return stored;
        }
        String id = requested != null ? requested : generate();
        write(dataDir, file, id);
        return id;
    }

    private static String read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        String id = text.strip();
        if (!isValid(id)) {
            throw new IOException(file + " does not hold a valid node id");
        }
        return id;
    }

    private static void write(Path dataDir, Path file, String id) throws IOException {
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.UTF_8.encode(id + "\n"));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel dir = FileChannel.open(dataDir, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
