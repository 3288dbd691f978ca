package dev.cairn.s3.data;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkBuffersTest {
    private static final int CHUNK = 4 << 20;

    @Test
    void capacitiesArePowersOfTwoUpToTheChunkSizeAndSmallSizesExact() {
        assertEquals(0, ChunkBuffers.capacityFor(0, CHUNK));
        assertEquals(4096, ChunkBuffers.capacityFor(4096, CHUNK));
        assertEquals(ChunkBuffers.MIN - 1, ChunkBuffers.capacityFor(ChunkBuffers.MIN - 1, CHUNK));
        assertEquals(ChunkBuffers.MIN, ChunkBuffers.capacityFor(ChunkBuffers.MIN, CHUNK));
        assertEquals(128 * 1024, ChunkBuffers.capacityFor(ChunkBuffers.MIN + 1, CHUNK));
        assertEquals(CHUNK, ChunkBuffers.capacityFor(CHUNK - 1, CHUNK));
        assertEquals(CHUNK, ChunkBuffers.capacityFor(CHUNK, CHUNK));
        // a chunk size that is not a power of two is its own largest size
        int odd = 5 << 20;
        assertEquals(odd, ChunkBuffers.capacityFor(odd - 10, odd));
        assertEquals(4 << 20, ChunkBuffers.capacityFor(3 << 20, odd));
    }

    @Test
    void directBuffersAreReusedAndSmallOnesAreHeap() {
        ChunkBuffers buffers = new ChunkBuffers(64L << 20);
        ByteBuffer small = buffers.take(1000, CHUNK);
        assertFalse(small.isDirect());
        assertEquals(1000, small.capacity());
        buffers.give(small);
        assertEquals(0, buffers.idleBytes(), "heap buffers are not kept");

        ByteBuffer big = buffers.take(CHUNK, CHUNK);
        assertTrue(big.isDirect());
        big.position(10).limit(20);
        buffers.give(big);
        assertEquals(CHUNK, buffers.idleBytes());
        ByteBuffer again = buffers.take(CHUNK - 5, CHUNK);
        assertSame(big, again, "the idle buffer of that size is reused");
        assertEquals(0, again.position());
        assertEquals(CHUNK, again.limit());
        assertEquals(0, buffers.idleBytes());
        assertNotSame(again, buffers.take(CHUNK, CHUNK), "a buffer in use is never handed out twice");
    }

    @Test
    void idleBuffersBeyondTheLimitAreDropped() {
        ChunkBuffers buffers = new ChunkBuffers(2L * ChunkBuffers.MIN);
        ByteBuffer a = buffers.take(ChunkBuffers.MIN, CHUNK);
        ByteBuffer b = buffers.take(ChunkBuffers.MIN, CHUNK);
        ByteBuffer c = buffers.take(ChunkBuffers.MIN, CHUNK);
        buffers.give(a);
        buffers.give(b);
        buffers.give(c);
        assertEquals(2L * ChunkBuffers.MIN, buffers.idleBytes());
    }
}
