package dev.cairn.metadata;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keyring as metadata holds it: the key-encryption keys (SSE-KMS key ids and the internal
 * SSE-S3 key), each only in wrapped form, and the id of the master key that wraps them all
 * ({@code masterId}, the keyring's key-check value: a master key's id is a digest of the key, so a
 * server can tell without unwrapping anything whether it holds the master key the keyring needs).
 * The master key itself is never in metadata. {@code masterId} is null for an empty keyring.
 */
public record Keyring(String masterId, List<Key> keys) {
    /** An empty keyring. */
    public static final Keyring EMPTY = new Keyring(null, List.of());

    public Keyring {
        keys = List.copyOf(keys);
    }

    /**
     * One key of the keyring: its id, the id of the master key that wraps it, and the wrapped key
     * (the S3 layer's AES-GCM sealing; opaque here).
     */
    public record Key(String id, String masterId, byte[] wrapped) {
        public Key {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(masterId, "masterId");
            wrapped = Objects.requireNonNull(wrapped, "wrapped").clone();
            if (id.isEmpty() || masterId.isEmpty()) {
                throw new IllegalArgumentException("a keyring key needs an id and a master key id");
            }
        }

        @Override
        public byte[] wrapped() {
            return wrapped.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.id.equals(id) && k.masterId.equals(masterId)
                    && Arrays.equals(k.wrapped, wrapped);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, masterId) * 31 + Arrays.hashCode(wrapped);
        }

        @Override
        public String toString() {
            return "Key[" + id + ", wrapped by " + masterId + "]";
        }
    }

    public Optional<Key> key(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    public List<String> ids() {
        return keys.stream().map(Key::id).toList();
    }
}
