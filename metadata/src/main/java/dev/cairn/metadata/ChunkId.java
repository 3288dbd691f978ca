package dev.cairn.metadata;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** A chunk's identity: 16 random bytes, shown as 32 lowercase hex digits. */
public final class ChunkId implements Comparable<ChunkId> {
    public static final int LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private ChunkId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ChunkId random() {
        byte[] b = new byte[LENGTH];
        RANDOM.nextBytes(b);
        return new ChunkId(b);
    }

    public static ChunkId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("chunk id must be " + LENGTH + " bytes, got " + bytes.length);
        }
        return new ChunkId(bytes.clone());
    }

    public static ChunkId parse(String hex) {
        return of(HexFormat.of().parseHex(hex));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChunkId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(ChunkId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
