package dev.cairn.metadata;

/**
 * How a chunk is protected: {@code REPLICA} with {@code dataPieces = 1, parityPieces = copies - 1},
 * or Reed-Solomon {@code ERASURE} with k data and m parity pieces.
 */
public record Protection(Kind kind, int dataPieces, int parityPieces) {
    public enum Kind { REPLICA, ERASURE }

    public Protection {
        if (dataPieces < 1 || parityPieces < 0 || dataPieces + parityPieces > 255) {
            throw new IllegalArgumentException("bad protection " + kind + " " + dataPieces + "+" + parityPieces);
        }
        if (kind == Kind.REPLICA && dataPieces != 1) {
            throw new IllegalArgumentException("replication has exactly one data piece");
        }
    }

    public static Protection replicas(int copies) {
        return new Protection(Kind.REPLICA, 1, copies - 1);
    }

    public static Protection erasure(int k, int m) {
        return new Protection(Kind.ERASURE, k, m);
    }

    public int totalPieces() {
        return dataPieces + parityPieces;
    }

    /** Short human form: "3 copies", "RS 4+2". */
    public String describe() {
        return kind == Kind.REPLICA ? (totalPieces() + (totalPieces() == 1 ? " copy" : " copies"))
                : "RS " + dataPieces + "+" + parityPieces;
    }
}
