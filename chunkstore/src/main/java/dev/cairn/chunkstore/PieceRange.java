package dev.cairn.chunkstore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Bytes {@code [offset, offset + length)} of one piece, every block of which was verified when
 * the range was opened ({@link PieceStore#openRange}), kept as the open piece file so that the
 * kernel can send them to a socket ({@code sendfile}) without the bytes passing through the JVM.
 * {@link #transferTo} writes the data bytes and skips the block checksums stored between them.
 *
 * <p>The bytes sent are the bytes verified: the range holds the very file it verified open, and
 * a piece file is never modified in place (a put writes a new file and renames it over the old
 * one, a delete unlinks it), so a piece replaced or deleted after the range opened is still sent
 * from the old file, as verified. Close the range once it was sent (or will not be).
 */
public final class PieceRange implements AutoCloseable {
    private final PieceId id;
    private final FileChannel channel;
    private final PieceFileFormat.Header header;
    private final long offset;
    private final int length;

    PieceRange(PieceId id, FileChannel channel, PieceFileFormat.Header header, long offset, int length) {
        this.id = id;
        this.channel = channel;
        this.header = header;
        this.offset = offset;
        this.length = length;
    }

    public PieceId id() {
        return id;
    }

    /** The piece bytes the range holds (fewer than asked at the piece's end). */
    public int length() {
        return length;
    }

    /**
     * Writes range bytes from {@code position} (0..length) to {@code target}, block by block
     * (one {@link FileChannel#transferTo} each, which is {@code sendfile} for a socket), until
     * the range ends or the target takes no more.
     *
     * @return the bytes written, 0 when the target is full
     * @throws IOException when the file no longer holds the range (it was changed in place)
     */
    public long transferTo(long position, WritableByteChannel target) throws IOException {
        int bs = header.blockSize();
        long end = offset + length;
        long done = 0;
        long at = offset + position;
        while (at < end) {
            long block = at / bs;
            long blockStart = block * bs;
            long want = Math.min(end, blockStart + header.blockLength(block)) - at;
            long filePosition = header.blockPosition(block) + (at - blockStart);
            long n = channel.transferTo(filePosition, want, target);
            if (n == 0 && done == 0 && channel.size() < filePosition + want) {
                throw new IOException("piece " + id + " is shorter than when it was verified");
            }
            done += n;
            at += n;
            if (n < want) {
                break; // the socket is full: the caller comes back when it can take more
            }
        }
        return done;
    }

    /** Closes the piece file; idempotent. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // a read-only file: nothing was written that a failed close could lose
        }
    }

    @Override
    public String toString() {
        return "PieceRange[" + id + ", " + offset + "+" + length + "]";
    }
}
