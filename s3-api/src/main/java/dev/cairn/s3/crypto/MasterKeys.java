package dev.cairn.s3.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The master keys that wrap SSE-S3 data keys and the keyring's keys. They come from a file
 * ({@code --master-key-file}) or from {@code CAIRN_MASTER_KEY}, never from the data directory:
 * one base64 256-bit key per line (or comma-separated); the last is the active key, new data keys
 * are wrapped with it; the ones before it still unwrap until {@code cairn admin key rotate} has
 * re-wrapped everything under the active key. A key's id is derived from the key itself.
 */
public final class MasterKeys {
    private final Map<String, byte[]> keys;
    private final String activeId;

    private MasterKeys(Map<String, byte[]> keys, String activeId) {
        this.keys = keys;
        this.activeId = activeId;
    }

    /** No master key: SSE-S3 and SSE-KMS are refused. */
    public static MasterKeys none() {
        return new MasterKeys(Map.of(), null);
    }

    /** Reads the keys from {@code file} when given, else from {@code envValue}; none when both are null. */
    public static MasterKeys load(Path file, String envValue) {
        String text;
        if (file != null) {
            try {
                text = Files.readString(file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the master key file " + file + ": " + e.getMessage(), e);
            }
        } else if (envValue != null && !envValue.isBlank()) {
            text = envValue;
        } else {
            return none();
        }
        return parse(text);
    }

    static MasterKeys parse(String text) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("[,\\n\\r]+")) {
            String v = line.trim();
            if (v.isEmpty() || v.startsWith("#")) {
                continue;
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a master key is not valid base64");
            }
            if (key.length != Aead.KEY_BYTES) {
                throw new IllegalArgumentException("a master key must be 32 bytes (256 bits), base64: got "
                        + key.length + " bytes");
            }
            last = idOf(key);
            keys.put(last, key);
        }
        if (last == null) {
            throw new IllegalArgumentException("the master key source holds no key");
        }
        return new MasterKeys(Map.copyOf(keys), last);
    }

    public boolean present() {
        return activeId != null;
    }

    /** The id of the key new data keys are wrapped with. */
    public String activeId() {
        return activeId;
    }

    public byte[] active() {
        return keys.get(activeId);
    }

    public Optional<byte[]> byId(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    public List<String> ids() {
        return new ArrayList<>(keys.keySet());
    }

    /** "mk-" and the first 8 bytes of SHA-256 over a label and the key, in hex. */
    static String idOf(byte[] key) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("cairn master key id".getBytes(StandardCharsets.US_ASCII));
            d.update(key);
            return "mk-" + HexFormat.of().formatHex(d.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
