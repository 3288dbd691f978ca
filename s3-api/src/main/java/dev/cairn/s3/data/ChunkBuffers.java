package dev.cairn.s3.data;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The buffers upload chunks are filled in, reused from chunk to chunk and upload to upload. A
 * chunk is copied once from the network buffers into direct memory, hashed there and written to
 * its piece file from there: the JDK makes no temporary direct copy for the file write, and no
 * chunk-sized array is allocated (and zeroed) per chunk.
 *
 * <p>Sizes below {@link #MIN} are heap buffers of the exact size (small bodies, not pooled); from
 * {@link #MIN} up a buffer is direct, its capacity the next power of two (or the chunk size when
 * that is smaller), so few sizes recur. Idle buffers are kept up to a byte limit in all and the
 * rest are left to the garbage collector. What uploads hold is bounded by the {@link IngestBudget},
 * not here: buffers are only created for uploads the budget let read, so the idle ones never
 * outnumber what uploads held at their peak. Thread-safe.
 */
final class ChunkBuffers {
    /** The smallest pooled (direct) buffer. */
    static final int MIN = 64 * 1024;
    private static final ChunkBuffers SHARED = new ChunkBuffers(IngestBudget.shared().limit());

    private final long maxIdleBytes;
    private final AtomicLong idleBytes = new AtomicLong();
    private final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<ByteBuffer>> idle = new ConcurrentHashMap<>();

    ChunkBuffers(long maxIdleBytes) {
        this.maxIdleBytes = maxIdleBytes;
    }

    /** The buffers of this process. */
    static ChunkBuffers shared() {
        return SHARED;
    }

    /** The capacity of the buffer {@link #take} gives for {@code size} bytes of a chunk of at most {@code chunkSize}. */
    static int capacityFor(int size, int chunkSize) {
        if (size < MIN) {
            return size;
        }
        int pow2 = Integer.highestOneBit(size) == size ? size : Integer.highestOneBit(size) << 1;
        return pow2 <= 0 ? size : Math.max(size, Math.min(pow2, chunkSize));
    }

    /** A buffer of {@link #capacityFor} capacity, its contents undefined (position 0, limit = capacity). */
    ByteBuffer take(int size, int chunkSize) {
        int capacity = capacityFor(size, chunkSize);
        if (capacity < MIN) {
            return ByteBuffer.allocate(capacity);
        }
        ConcurrentLinkedQueue<ByteBuffer> q = idle.get(capacity);
        ByteBuffer b = q == null ? null : q.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(capacity);
        }
        idleBytes.addAndGet(-capacity);
        return b.clear();
    }

    /** Gives a buffer back once nothing reads or writes it any more (heap buffers are simply dropped). */
    void give(ByteBuffer b) {
        if (b == null || !b.isDirect() || b.capacity() < MIN) {
            return;
        }
        int capacity = b.capacity();
        if (idleBytes.addAndGet(capacity) > maxIdleBytes) {
            idleBytes.addAndGet(-capacity);
            return; // freed when collected
        }
        idle.computeIfAbsent(capacity, c -> new ConcurrentLinkedQueue<>()).add(b);
    }

    /** Bytes of idle buffers kept for reuse. */
    long idleBytes() {
        return idleBytes.get();
    }
}
