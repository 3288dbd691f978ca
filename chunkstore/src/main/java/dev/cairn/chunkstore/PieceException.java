package dev.cairn.chunkstore;

import java.io.IOException;

/** Domain errors of piece storage, local or remote. */
public class PieceException extends IOException {
    public PieceException(String message) {
        super(message);
    }

    public PieceException(String message, Throwable cause) {
        super(message, cause);
    }

    public static final class NotFound extends PieceException {
        public NotFound(PieceId id) {
            super("piece not found: " + id);
        }
    }

    public static final class Corrupt extends PieceException {
        public Corrupt(PieceId id, String detail) {
            super("piece corrupt: " + id + " (" + detail + ")");
        }
    }

    public static final class CapacityExceeded extends PieceException {
        public CapacityExceeded(String node, long need, long free) {
            super("node " + node + " is full: need " + need + " bytes, " + free + " free");
        }
    }

    /** A delete signed before the piece was (re)written: replayed or out of date; the piece stays. */
    public static final class Stale extends PieceException {
        public Stale(PieceId id, long pieceVersion, long signedMillis) {
            super("piece " + id + " was written at " + pieceVersion + ", after the delete was signed at "
                    + signedMillis);
        }
    }

    /** The node could not be reached or answered with an error. */
    public static final class Unavailable extends PieceException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
