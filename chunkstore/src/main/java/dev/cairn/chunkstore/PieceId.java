package dev.cairn.chunkstore;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A piece's identity on a node: the 16-byte id of its chunk and its index within the chunk
 * (0..254). Its text form, "{32 hex digits}.{index}", is also its file name and URL path segment:
 * it never contains anything a client chose.
 */
public final class PieceId {
    public static final int CHUNK_ID_LENGTH = 16;

    private final byte[] chunkId;
    private final int index;

    public PieceId(byte[] chunkId, int index) {
        if (chunkId.length != CHUNK_ID_LENGTH) {
            throw new IllegalArgumentException("chunk id must be 16 bytes");
        }
        if (index < 0 || index > 254) {
            throw new IllegalArgumentException("piece index out of range: " + index);
        }
        this.chunkId = chunkId.clone();
        this.index = index;
    }

    /** Parses the text form; throws IllegalArgumentException on anything else. */
    public static PieceId parse(String text) {
        int dot = text.indexOf('.');
        if (dot != 32 || text.length() > 36) {
            throw new IllegalArgumentException("bad piece id: " + text);
        }
        String hex = text.substring(0, 32);
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw new IllegalArgumentException("bad piece id: " + text);
            }
        }
        String idx = text.substring(33);
        if (idx.isEmpty() || !idx.chars().allMatch(c -> c >= '0' && c <= '9') || (idx.length() > 1 && idx.charAt(0) == '0')) {
            throw new IllegalArgumentException("bad piece id: " + text);
        }
        return new PieceId(HexFormat.of().parseHex(hex), Integer.parseInt(idx));
    }

    public byte[] chunkId() {
        return chunkId.clone();
    }

    public String chunkHex() {
        return HexFormat.of().formatHex(chunkId);
    }

    public int index() {
        return index;
    }

    @Override
    public String toString() {
        return chunkHex() + "." + index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PieceId other && index == other.index && Arrays.equals(chunkId, other.chunkId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(chunkId) * 31 + index;
    }
}
