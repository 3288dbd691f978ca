package dev.cairn.chunkstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk format of one piece file, version 1. All integers are big-endian.
 *
 * <pre>
 * offset  size  field
 *      0     4  magic "CRNP" (0x43 0x52 0x4E 0x50)
 *      4     1  format version (1)
 *      5     3  reserved, written as zero
 *      8     4  block size B (int32; version 1 writes 65536)
 *     12     8  piece length L (int64, bytes of piece data)
 *     20     4  CRC32C of all L bytes of piece data
 *     24     4  reserved, written as zero
 *     28     4  CRC32C of header bytes 0..27
 *     32        block 0: min(B, L) bytes of data, then the CRC32C of that data (4 bytes)
 *   32+(B+4)    block 1 ... and so on; block i starts at 32 + i * (B + 4)
 * </pre>
 *
 * There are ceil(L / B) blocks (none when L = 0); only the last may be shorter than B.
 * The file is exactly {@code 32 + L + 4 * ceil(L / B)} bytes; any other size is corruption.
 * Block checksums do not cover the block's position: a moved or duplicated block passes its own
 * check, and only the whole-piece CRC (checked by {@link FilePieceStore#verify}) catches it.
 *
 * <p>A reader checks magic, version, header CRC and file size before touching data, and then
 * exactly the blocks that overlap the requested range. Stored formats are append-only: a new
 * version gets a new number and this decoder stays.
 */
final class PieceFileFormat {
    static final int MAGIC = 0x43524E50; // "CRNP"
    static final byte VERSION_1 = 1;
    static final int HEADER_SIZE = 32;
    static final int HEADER_CRC_OFFSET = 28;
    static final int BLOCK_SIZE = 64 * 1024;
    static final int CRC_SIZE = 4;

    static final int MAX_BLOCK_SIZE = 16 << 20;
    static final long MAX_PIECE_LENGTH = 1L << 40;

    /** Blocks read (and verified) per positional read; keeps the window in L2 cache. */
    private static final int WINDOW_BYTES = 4 * (BLOCK_SIZE + CRC_SIZE);

    /** Per-thread direct read window: reads land here without a JDK bounce buffer. */
    private static final ThreadLocal<ByteBuffer> WINDOW =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(WINDOW_BYTES));

    private PieceFileFormat() {
    }

    /** The decoded, validated header of a piece file. */
    record Header(int version, int blockSize, long length, int crc32c) {

        long blockCount() {
            return PieceFileFormat.blockCount(length, blockSize);
        }

        long fileSize() {
            return PieceFileFormat.fileSize(length, blockSize);
        }

        /** File offset of the first data byte of a block. */
        long blockPosition(long block) {
            return HEADER_SIZE + block * ((long) blockSize + CRC_SIZE);
        }

        /** Data bytes of a block (the last one may be short). */
        int blockLength(long block) {
            return (int) Math.min(blockSize, length - block * blockSize);
        }
    }

    /** Receives verified block data; the buffer is a view of a reused window, do not keep it. */
    @FunctionalInterface
    interface BlockSink {
        void accept(long block, ByteBuffer data) throws IOException;
    }

    static long blockCount(long length, int blockSize) {
        return (length + blockSize - 1) / blockSize;
    }

    static long fileSize(long length, int blockSize) {
        return HEADER_SIZE + length + CRC_SIZE * blockCount(length, blockSize);
    }

    static ByteBuffer encodeHeader(long length, int crc32c) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE);
        h.putInt(0, MAGIC);
        h.put(4, VERSION_1);
        h.putInt(8, BLOCK_SIZE);
        h.putLong(12, length);
        h.putInt(20, crc32c);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, HEADER_CRC_OFFSET);
        h.putInt(HEADER_CRC_OFFSET, (int) crc.getValue());
        return h;
    }

    /** Reads and validates the header, including that the file has exactly the size it implies. */
    static Header readHeader(FileChannel ch, PieceId id) throws IOException {
        long size = ch.size();
        if (size < HEADER_SIZE) {
            throw new PieceException.Corrupt(id, "short file: " + size + " bytes");
        }
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE);
        readFully(ch, h, 0, id);
        if (h.getInt(0) != MAGIC) {
            String magic = new String(h.array(), 0, 4, StandardCharsets.ISO_8859_1);
            throw new PieceException.Corrupt(id, "bad magic '" + magic + "'");
        }
        int version = h.get(4) & 0xFF;
        if (version != VERSION_1) {
            throw new PieceException.Corrupt(id, "unsupported format version " + version);
        }
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, HEADER_CRC_OFFSET);
        if ((int) crc.getValue() != h.getInt(HEADER_CRC_OFFSET)) {
            throw new PieceException.Corrupt(id, "header checksum mismatch");
        }
        int blockSize = h.getInt(8);
        long length = h.getLong(12);
        if (blockSize <= 0 || blockSize > MAX_BLOCK_SIZE || length < 0 || length > MAX_PIECE_LENGTH) {
            throw new PieceException.Corrupt(id, "bad header: block size " + blockSize + ", length " + length);
        }
        Header header = new Header(version, blockSize, length, h.getInt(20));
        if (size != header.fileSize()) {
            throw new PieceException.Corrupt(id, "file is " + size + " bytes, header implies " + header.fileSize());
        }
        return header;
    }

    /**
     * Reads blocks {@code first..last} (inclusive) with positional reads, verifies each block's
     * CRC32C and hands its data to {@code sink} in order.
     *
     * @throws PieceException.Corrupt on the first block whose checksum does not match
     */
    static void readBlocks(FileChannel ch, PieceId id, Header h, long first, long last, BlockSink sink)
            throws IOException {
        int stride = h.blockSize() + CRC_SIZE;
        ByteBuffer window = WINDOW.get();
        if (window.capacity() < stride) {
            window = ByteBuffer.allocateDirect(stride); // only for foreign block sizes
        }
        int perWindow = window.capacity() / stride;
        CRC32C crc = new CRC32C();
        for (long b = first; b <= last; ) {
            int n = (int) Math.min(perWindow, last - b + 1);
            long dataBytes = 0;
            for (int i = 0; i < n; i++) {
                dataBytes += h.blockLength(b + i);
            }
            int bytes = (int) (dataBytes + (long) CRC_SIZE * n);
            window.clear().limit(bytes);
            readFully(ch, window, h.blockPosition(b), id);
            for (int i = 0; i < n; i++) {
                int start = i * stride;
                int len = h.blockLength(b + i);
                window.limit(bytes);
                int stored = window.getInt(start + len);
                window.limit(start + len).position(start);
                crc.reset();
                crc.update(window);
                if ((int) crc.getValue() != stored) {
                    throw new PieceException.Corrupt(id, "block " + (b + i) + " checksum mismatch");
                }
                window.position(start);
                sink.accept(b + i, window);
            }
            b += n;
        }
    }

    /** Whole blocks per scattering read (two iovecs each, well below IOV_MAX). */
    private static final int SCATTER_BLOCKS = 64;
    /** Per-thread direct buffer for the block checksums of one scattering read. */
    private static final ThreadLocal<ByteBuffer> CRCS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SCATTER_BLOCKS * CRC_SIZE));

    /**
     * Reads piece bytes {@code [offset, offset + dst.remaining())} (which the caller has clamped
     * to the piece) into {@code dst}, verifying every block they touch. Whole blocks go straight
     * into {@code dst} with one scattering read per run of blocks (data into {@code dst}, the
     * checksums beside it), and each is checked in place, so a direct {@code dst} sees one copy
     * (the kernel's) and one CRC pass; a block cut by the range goes through the window.
     * {@code dst}'s position advances by the bytes read.
     *
     * @throws PieceException.Corrupt on the first block whose checksum does not match
     */
    static void readInto(FileChannel ch, PieceId id, Header h, long offset, ByteBuffer dst) throws IOException {
        long end = offset + dst.remaining();
        int bs = h.blockSize();
        long pos = offset;
        CRC32C crc = new CRC32C();
        while (pos < end) {
            long block = pos / bs;
            long blockStart = block * bs;
            int blockLen = h.blockLength(block);
            if (pos != blockStart || blockStart + blockLen > end) {
                long to = Math.min(end, blockStart + blockLen);
                long from = pos;
                readBlocks(ch, id, h, block, block, (b, data) ->
                        dst.put(data.slice(data.position() + (int) (from - blockStart), (int) (to - from))));
                pos = to;
                continue;
            }
            int n = 0; // whole blocks from here that lie inside the range
            while (n < SCATTER_BLOCKS && block + n < h.blockCount()
                    && (block + n) * bs + h.blockLength(block + n) <= end) {
                n++;
            }
            ByteBuffer crcs = CRCS.get().clear().limit(n * CRC_SIZE);
            ByteBuffer[] parts = new ByteBuffer[2 * n];
            int at = dst.position();
            for (int i = 0; i < n; i++) {
                int len = h.blockLength(block + i);
                parts[2 * i] = dst.slice(at, len);
                parts[2 * i + 1] = crcs.slice(i * CRC_SIZE, CRC_SIZE);
                at += len;
            }
            ch.position(h.blockPosition(block));
            int first = 0;
            while (first < parts.length) {
                if (ch.read(parts, first, parts.length - first) < 0) {
                    throw new PieceException.Corrupt(id, "truncated in block " + block);
                }
                while (first < parts.length && !parts[first].hasRemaining()) {
                    first++;
                }
            }
            for (int i = 0; i < n; i++) {
                ByteBuffer data = parts[2 * i].flip();
                crc.reset();
                crc.update(data);
                if ((int) crc.getValue() != crcs.getInt(i * CRC_SIZE)) {
                    throw new PieceException.Corrupt(id, "block " + (block + i) + " checksum mismatch");
                }
            }
            dst.position(at);
            pos = (block + n) * bs;
        }
    }

    /** Fills {@code dst} from {@code position}; end of file first means the piece is truncated. */
    static void readFully(FileChannel ch, ByteBuffer dst, long position, PieceId id) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new PieceException.Corrupt(id, "truncated at offset " + pos);
            }
            pos += n;
        }
    }

    /** Per-thread direct scratch for a put's header and block CRCs (grows to the largest piece's). */
    private static final ThreadLocal<ByteBuffer> META = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(
            HEADER_SIZE + 64 * CRC_SIZE));

    /**
     * Header, then each block's data slice and its CRC, ready for one gathering write. One pass:
     * each block is summed for its own CRC and the whole piece's while it is in the CPU's cache.
     * Header and block CRCs go into this thread's direct scratch, so a direct {@code src} is
     * written with no copy in the JVM (the scratch is reused by the next put on this thread).
     */
    static Encoded encode(ByteBuffer src) {
        int length = src.remaining();
        int blocks = (int) blockCount(length, BLOCK_SIZE);
        int metaSize = HEADER_SIZE + blocks * CRC_SIZE;
        ByteBuffer meta = META.get();
        if (meta.capacity() < metaSize) {
            meta = ByteBuffer.allocateDirect(Math.max(metaSize, 2 * meta.capacity()));
            META.set(meta);
        }
        ByteBuffer[] parts = new ByteBuffer[1 + 2 * blocks];
        CRC32C whole = new CRC32C();
        CRC32C crc = new CRC32C();
        for (int i = 0; i < blocks; i++) {
            int start = i * BLOCK_SIZE;
            int len = Math.min(BLOCK_SIZE, length - start);
            ByteBuffer block = src.slice(src.position() + start, len);
            crc.reset();
            crc.update(block.duplicate());
            whole.update(block.duplicate());
            int at = HEADER_SIZE + i * CRC_SIZE;
            meta.putInt(at, (int) crc.getValue());
            parts[1 + 2 * i] = block;
            parts[2 + 2 * i] = meta.slice(at, CRC_SIZE);
        }
        meta.put(0, encodeHeader(length, (int) whole.getValue()), 0, HEADER_SIZE);
        parts[0] = meta.slice(0, HEADER_SIZE);
        return new Encoded(parts, (int) whole.getValue());
    }

    /** The buffers of a piece file, and the CRC32C of the whole piece. */
    record Encoded(ByteBuffer[] parts, int crc32c) {
    }

    static void writeFully(FileChannel ch, ByteBuffer[] parts) throws IOException {
        int first = 0;
        while (first < parts.length) {
            ch.write(parts, first, parts.length - first);
            while (first < parts.length && !parts[first].hasRemaining()) {
                first++;
            }
        }
    }
}
