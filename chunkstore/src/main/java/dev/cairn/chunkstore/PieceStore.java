package dev.cairn.chunkstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Local, blocking persistence of pieces on one disk or folder. Call from worker threads only.
 * A put is durable when it returns (temp file, fsync, rename, directory fsync); every read
 * verifies the checksums of the blocks it touches.
 */
public interface PieceStore extends AutoCloseable {

    /**
     * Stores a piece durably, replacing any piece of the same id.
     *
     * @throws PieceException.CapacityExceeded when storing it would cross the store's capacity
     */
    PieceInfo put(PieceId id, ByteBuffer data) throws IOException;

    /**
     * As {@link #put(PieceId, ByteBuffer)}, recording {@code versionMillis} (the signed time of the
     * request that wrote it) as the piece's version, which {@link #delete(PieceId, long)} checks.
     */
    default PieceInfo put(PieceId id, ByteBuffer data, long versionMillis) throws IOException {
        return put(id, data);
    }

    /**
     * Reads {@code length} bytes at {@code offset} of a piece (clamped to its end).
     *
     * @throws PieceException.NotFound when the piece does not exist
     * @throws PieceException.Corrupt  when a block in the range fails its checksum
     */
    ByteBuffer read(PieceId id, long offset, int length) throws IOException;

    /**
     * Reads piece bytes from {@code offset} into {@code dst} (at most {@code dst.remaining()},
     * fewer at the piece's end), verified as {@link #read} verifies them, advancing its position.
     * A store may fill {@code dst} straight from the file (a direct buffer then costs no copy in
     * the JVM); on an exception its contents are undefined.
     *
     * @return the bytes read
     * @throws PieceException.NotFound when the piece does not exist
     * @throws PieceException.Corrupt  when a block in the range fails its checksum
     */
    default int readInto(PieceId id, long offset, ByteBuffer dst) throws IOException {
        ByteBuffer data = read(id, offset, dst.remaining());
        int n = data.remaining();
        dst.put(data);
        return n;
    }

    /**
     * Verifies every block of piece bytes {@code [offset, offset + length)} (clamped to the
     * piece's end) and returns them as an open {@link PieceRange} to send without copying them;
     * only stores that {@link #servesRanges()} can.
     *
     * @throws PieceException.NotFound when the piece does not exist
     * @throws PieceException.Corrupt  when a block in the range fails its checksum
     */
    default PieceRange openRange(PieceId id, long offset, int length) throws IOException {
        throw new UnsupportedOperationException(this + " keeps no piece files to send");
    }

    /** Whether {@link #openRange} works: the store keeps each piece in a file. */
    default boolean servesRanges() {
        return false;
    }

    /** @throws PieceException.NotFound when the piece does not exist */
    PieceInfo head(PieceId id) throws IOException;

    /** Deletes a piece; false when it did not exist. */
    boolean delete(PieceId id) throws IOException;

    /**
     * Deletes a piece unless it was written after {@code signedMillis} (the signed time of the
     * delete request): a delete replayed after the piece was written again must not remove it.
     *
     * @throws PieceException.Stale when the piece's version is newer than {@code signedMillis}
     */
    default boolean delete(PieceId id, long signedMillis) throws IOException {
        return delete(id);
    }

    /** Calls {@code sink} for every piece stored (order unspecified). */
    void forEach(Consumer<PieceInfo> sink) throws IOException;

    /** Re-reads a whole piece and verifies every block; false when any block is corrupt. */
    boolean verify(PieceId id) throws IOException;

    long capacityBytes();

    long usedBytes();

    long pieceCount();

    @Override
    void close();
}
