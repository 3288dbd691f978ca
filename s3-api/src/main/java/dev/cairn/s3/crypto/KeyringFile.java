package dev.cairn.s3.crypto;

import dev.cairn.metadata.Keyring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The keyring file an earlier single server kept in {@code data-dir/keyring} (a line per key: id,
 * master key id, base64 of the wrapped key), moved into metadata once at start
 * ({@link KeyRing#importFile}); the file is then renamed {@code keyring.imported}, so a restart
 * does not import it again.
 */
final class KeyringFile {
    private static final Logger LOG = LoggerFactory.getLogger(KeyringFile.class);

    private KeyringFile() {
    }

    static List<Keyring.Key> read(Path file) {
        List<Keyring.Key> keys = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split(" ");
                if (f.length == 3) {
                    keys.add(new Keyring.Key(f[0], f[1], Base64.getDecoder().decode(f[2])));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the keyring file " + file + ": " + e.getMessage(), e);
        }
        return keys;
    }

    /**
     * Imports {@code file} into the keyring when it exists and metadata holds no keyring yet.
     * With {@code replicated} metadata it is only reported: a replicated server never used it.
     */
    static void migrate(Path file, KeyRing ring, boolean replicated) {
        if (!Files.exists(file)) {
            return;
        }
        if (replicated) {
            LOG.warn("keyring file {} is not used: with replicated metadata the keyring lives in metadata", file);
            return;
        }
        List<Keyring.Key> keys = read(file);
        int imported = keys.isEmpty() ? 0 : ring.importFile(keys);
        List<String> missing = keys.stream().map(Keyring.Key::id).filter(id -> !ring.ids().contains(id)).toList();
        if (!missing.isEmpty()) {
            LOG.warn("keyring file {} not imported: metadata already holds a keyring without its key(s) {}", file,
                    missing);
            return;
        }
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + ".imported"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot rename the imported keyring file " + file + ": " + e.getMessage(), e);
        }
        LOG.info("keyring file {} moved into metadata: {} key(s) imported (kept as {}.imported)", file, imported,
                file.getFileName());
    }
}
