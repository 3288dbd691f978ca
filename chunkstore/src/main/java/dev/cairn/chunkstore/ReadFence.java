package dev.cairn.chunkstore;

import java.nio.ByteBuffer;

/**
 * The right of a piece read to write into its caller's buffer, which can be taken back at any
 * time. A read that streams a piece into a buffer copies each part that arrives through the
 * fence; once {@link #shut} has returned, no copy is under way and none will start, so the buffer
 * may be reused. The reader shuts it when the read ends (whatever the outcome); the caller shuts
 * it when it gives a read up - an erasure-coded read that rebuilt the range from other pieces
 * while one piece was still arriving. Thread-safe: copies and the shut are serialized, so a shut
 * waits for a copy in progress (a memory copy of one network read, never I/O).
 */
public final class ReadFence {
    private boolean shut;

    /**
     * Copies {@code src}'s remaining bytes into {@code dst} at index {@code at} (neither buffer's
     * position moves), unless the fence is shut: false then, and nothing copied.
     */
    public synchronized boolean copy(ByteBuffer src, ByteBuffer dst, int at) {
        if (shut) {
            return false;
        }
        dst.put(at, src, src.position(), src.remaining());
        return true;
    }

    /** No copy through this fence after this returns. */
    public synchronized void shut() {
        shut = true;
    }

    public synchronized boolean isShut() {
        return shut;
    }

    /** How a read ends that found its fence shut: its caller gave it up; nothing to report or repair. */
    public static final class GivenUp extends RuntimeException {
        public GivenUp() {
            super("read given up by its caller", null, false, false);
        }
    }
}
