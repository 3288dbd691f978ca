package dev.cairn.metadata;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A change of the identity table, applied all or nothing in one synced batch: rows to write,
 * rows to delete, and what rows must hold first (a compare-and-set: {@code document} null means
 * the row must be absent). Everything is decided by the caller before it is applied - ids,
 * secrets, times - so applying it is deterministic (a replicated log can carry it as it is).
 */
public record IdentityChange(List<IdentityRow> puts, List<IdentityKey> deletes, List<Expected> expected) {

    /** A row must hold exactly {@code document}, or be absent when {@code document} is null. */
    public record Expected(IdentityKey key, byte[] document) {
        public Expected {
            Objects.requireNonNull(key, "key");
            document = document == null ? null : document.clone();
        }

        public static Expected absent(IdentityKey key) {
            return new Expected(key, null);
        }

        boolean holds(byte[] current) {
            return document == null ? current == null : current != null && Arrays.equals(document, current);
        }
    }

    public IdentityChange {
        puts = List.copyOf(puts);
        deletes = List.copyOf(deletes);
        expected = List.copyOf(expected);
    }
}
