package dev.cairn.s3.crypto;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Cairn's own key-management keyring: the key-encryption keys that wrap data keys. SSE-KMS names
 * them ({@code cairn admin key create}); SSE-S3 uses the internal key {@link #SSE_S3}, created on
 * first use. Each key is 256 random bits kept in {@code data-dir/keyring}, wrapped by the active
 * master key (so no key is in plaintext next to the data); a line per key: id, master key id,
 * base64 of the wrapped key. Writes replace the file atomically after an fsync. Rotating the
 * master key re-wraps these keys ({@link #rewrap}); the data keys they wrap stay as they are.
 */
public final class KeyRing {
    private final Path file;
    private final MasterKeys master;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** The internal key that wraps SSE-S3 data keys. */
    public static final String SSE_S3 = "cairn-sse-s3";

    private record Entry(String masterId, byte[] wrapped) {
    }

    public KeyRing(Path file, MasterKeys master) {
        this.file = file;
        this.master = master;
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    String[] f = line.trim().split(" ");
                    if (f.length == 3) {
                        entries.put(f[0], new Entry(f[1], Base64.getDecoder().decode(f[2])));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the keyring " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Creates a key and returns its id. */
    public synchronized String create() {
        return add(UUID.randomUUID().toString());
    }

    /** The internal SSE-S3 key, created when missing. */
    public synchronized byte[] sseS3Key() {
        if (!entries.containsKey(SSE_S3)) {
            add(SSE_S3);
        }
        return key(SSE_S3).orElseThrow();
    }

    private String add(String id) {
        requireMaster();
        entries.put(id, new Entry(master.activeId(), Aead.seal(master.active(), Aead.randomBytes(Aead.KEY_BYTES),
                aad(id))));
        save();
        return id;
    }

    /** The keys SSE-KMS may name, oldest first (the internal SSE-S3 key is not one of them). */
    public synchronized List<String> kmsIds() {
        return entries.keySet().stream().filter(id -> !id.equals(SSE_S3)).toList();
    }

    /** The id of the master key that wraps key {@code id}. */
    public synchronized String wrappedBy(String id) {
        Entry e = entries.get(id);
        return e == null ? null : e.masterId();
    }

    public synchronized List<String> ids() {
        return new ArrayList<>(entries.keySet());
    }

    public synchronized boolean contains(String id) {
        return entries.containsKey(id);
    }

    /** The key with this id, unwrapped; empty when the keyring has no such key. */
    public synchronized Optional<byte[]> key(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            return Optional.empty();
        }
        byte[] mk = master.byId(e.masterId()).orElseThrow(() -> new IllegalStateException("keyring key " + id
                + " is wrapped by master key " + e.masterId() + ", which this server was not given"));
        try {
            return Optional.of(Aead.open(mk, e.wrapped(), aad(id)));
        } catch (AEADBadTagException ex) {
            throw new IllegalStateException("keyring key " + id + " does not unwrap: the keyring file was altered", ex);
        }
    }

    /** Re-wraps every key under the active master key; returns how many changed. */
    public synchronized int rewrap() {
        requireMaster();
        int changed = 0;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!e.getValue().masterId().equals(master.activeId())) {
                byte[] key = key(e.getKey()).orElseThrow();
                e.setValue(new Entry(master.activeId(), Aead.seal(master.active(), key, aad(e.getKey()))));
                changed++;
            }
        }
        if (changed > 0) {
            save();
        }
        return changed;
    }

    private void requireMaster() {
        if (!master.present()) {
            throw new IllegalStateException("the keyring needs a master key (--master-key-file or CAIRN_MASTER_KEY)");
        }
    }

    private static byte[] aad(String id) {
        return ("cairn keyring key " + id).getBytes(StandardCharsets.UTF_8);
    }

    private void save() {
        StringBuilder text = new StringBuilder();
        entries.forEach((id, e) -> text.append(id).append(' ').append(e.masterId()).append(' ')
                .append(Base64.getEncoder().encodeToString(e.wrapped())).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the keyring " + file + ": " + e.getMessage(), e);
        }
    }
}
