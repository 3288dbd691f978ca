package dev.cairn.s3.data;

import java.nio.ByteBuffer;

/**
 * The transforms a chunk goes through between the digests and the chunk sink (compression, then
 * encryption), and their inverse on the way back. A codec is bound to one object (or one part of
 * a multipart upload): {@code index} is the chunk's position within it, which an encrypting codec
 * binds into the ciphertext so chunks cannot be swapped or replayed.
 */
public interface ChunkCodec {
    /** Stores chunks as they come: no transform. */
    ChunkCodec PLAIN = new ChunkCodec() {
        @Override
        public ByteBuffer encode(ByteBuffer plain, int part, int index) {
            return plain;
        }

        @Override
        public ByteBuffer decode(ByteBuffer stored, long logicalSize, int part, int index) {
            return stored;
        }

        @Override
        public boolean transforms() {
            return false;
        }

        @Override
        public boolean wholeChunk(long storedSize, long logicalSize) {
            return false;
        }
    };

    /**
     * The bytes to store for chunk {@code index} of part {@code part} (0 for a single PUT).
     * Runs on a worker thread; may return {@code plain} itself, but not a view of it: once it
     * returns other bytes, the caller reuses {@code plain}'s memory.
     */
    ByteBuffer encode(ByteBuffer plain, int part, int index);

    /**
     * The original bytes of a stored chunk; fails (with {@link ChunkIntegrityException}) when the
     * stored bytes were not produced by {@link #encode} with this codec's key and position. The
     * caller hands {@code stored} over: a codec may decode in it and return a view of it, so its
     * contents are undefined afterwards (also when decoding fails).
     */
    ByteBuffer decode(ByteBuffer stored, long logicalSize, int part, int index);

    /** Whether {@link #encode} may change the bytes (when not, the sink skips it). */
    boolean transforms();

    /**
     * Whether a stored chunk of these sizes must be read whole and decoded; when not, a range of
     * it is read directly (its stored bytes are the original ones).
     */
    boolean wholeChunk(long storedSize, long logicalSize);

    /** A stored chunk that cannot be turned back into its original bytes: tampered, or the wrong key. */
    final class ChunkIntegrityException extends RuntimeException {
        public ChunkIntegrityException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
