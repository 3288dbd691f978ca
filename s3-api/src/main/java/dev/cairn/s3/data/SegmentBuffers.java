package dev.cairn.s3.data;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers of one size, reused: a GET reads each segment straight from the piece file into
 * one and the socket writes it from there, with no allocation (nor zeroing) per segment. Up to
 * {@code keep} idle buffers are kept; beyond that a returned buffer is left to the garbage
 * collector, so the idle memory is bounded by {@code keep * size} and the busy memory by the
 * segments in flight. (Netty's pooled allocator destroyed and re-created its 4 MiB chunks for
 * 1 MiB buffers at every turn, zeroing each: 4% of a GET's CPU.)
 */
final class SegmentBuffers {
    private final int size;
    private final int keep;
    private final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final AtomicInteger allocated = new AtomicInteger();

    SegmentBuffers(int size, int keep) {
        this.size = size;
        this.keep = keep;
    }

    /** A buffer of {@code length <= size} bytes (position 0, limit length); give it back with {@link #release}. */
    ByteBuffer acquire(int length) {
        ByteBuffer b = idle.poll();
        if (b == null) {
            allocated.incrementAndGet();
            b = ByteBuffer.allocateDirect(size);
        } else {
            idleCount.decrementAndGet();
        }
        return b.clear().limit(length);
    }

    /** Returns a buffer of {@link #acquire}; the caller must not touch it afterwards. */
    void release(ByteBuffer b) {
        if (idleCount.incrementAndGet() <= keep) {
            idle.offer(b);
        } else {
            idleCount.decrementAndGet();
        }
    }

    /** Buffers allocated so far, kept or dropped since (a measure of reuse). */
    int allocated() {
        return allocated.get();
    }

    /** Buffers kept and not in use now. */
    int idle() {
        return idleCount.get();
    }
}
