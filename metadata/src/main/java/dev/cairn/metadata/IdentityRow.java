package dev.cairn.metadata;

import java.util.Arrays;
import java.util.Objects;

/** One row of the identity table: its key and its document (opaque to metadata; the IAM layer's JSON). */
public record IdentityRow(IdentityKey key, byte[] document) {
    public IdentityRow {
        Objects.requireNonNull(key, "key");
        document = Objects.requireNonNull(document, "document").clone();
    }

    @Override
    public byte[] document() {
        return document.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityRow r && r.key.equals(key) && Arrays.equals(r.document, document);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(document);
    }

    @Override
    public String toString() {
        return "IdentityRow[" + key + ", " + document.length + " bytes]";
    }
}
