package dev.cairn.s3.crypto;

import dev.cairn.s3.data.ChunkCodec;
import dev.cairn.s3.data.CompressingCodec;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chunk codecs: round trips, and every kind of tampering caught by GCM. */
class SealedChunkCodecTest {
    private static final byte[] KEY = bytes(32, 1);
    private static final byte[] OBJECT = bytes(16, 2);

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] text(int n) {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(3);
        while (sb.length() < n) {
            sb.append("line ").append(r.nextInt(1000)).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return sb.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] array(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void roundTripsCompressibleAndRandomChunks() {
        SealedChunkCodec codec = new SealedChunkCodec(KEY, OBJECT, true);
        for (byte[] plain : new byte[][]{text(1 << 20), bytes(1 << 20, 4), new byte[1], text(100)}) {
            ByteBuffer stored = codec.encode(ByteBuffer.wrap(plain), 0, 3);
            assertTrue(codec.wholeChunk(stored.remaining(), plain.length));
            assertEquals(java.util.Arrays.toString(plain).hashCode(),
                    java.util.Arrays.toString(array(codec.decode(stored, plain.length, 0, 3))).hashCode());
        }
        ByteBuffer textStored = codec.encode(ByteBuffer.wrap(text(1 << 20)), 0, 0);
        assertTrue(textStored.remaining() < (1 << 20) / 2, "text compresses before encryption: " + textStored.remaining());
        ByteBuffer randomStored = codec.encode(ByteBuffer.wrap(bytes(1 << 20, 5)), 0, 0);
        assertEquals((1 << 20) + 1 + 12 + 16, randomStored.remaining(), "random data is stored as it is, sealed");
    }

    @Test
    void aFlippedBitAnotherPositionAnotherObjectOrKeyFailToOpen() {
        SealedChunkCodec codec = new SealedChunkCodec(KEY, OBJECT, false);
        byte[] plain = bytes(10_000, 6);
        byte[] stored = array(codec.encode(ByteBuffer.wrap(plain), 2, 7));
        for (int bit : new int[]{0, 8 * 1, 8 * 13 + 3, 8 * 5000, 8 * stored.length - 1}) {
            byte[] flipped = stored.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(ChunkCodec.ChunkIntegrityException.class,
                    () -> codec.decode(ByteBuffer.wrap(flipped), plain.length, 2, 7), "bit " + bit);
        }
        assertThrows(ChunkCodec.ChunkIntegrityException.class, () -> codec.decode(ByteBuffer.wrap(stored),
                plain.length, 2, 8), "moved to another index");
        assertThrows(ChunkCodec.ChunkIntegrityException.class, () -> codec.decode(ByteBuffer.wrap(stored),
                plain.length, 3, 7), "moved to another part");
        assertThrows(ChunkCodec.ChunkIntegrityException.class, () -> new SealedChunkCodec(KEY, bytes(16, 9), false)
                .decode(ByteBuffer.wrap(stored), plain.length, 2, 7), "moved to another object");
        assertThrows(ChunkCodec.ChunkIntegrityException.class, () -> new SealedChunkCodec(bytes(32, 9), OBJECT, false)
                .decode(ByteBuffer.wrap(stored), plain.length, 2, 7), "another key");
        assertThrows(ChunkCodec.ChunkIntegrityException.class, () -> codec.decode(
                ByteBuffer.wrap(stored, 0, stored.length - 1), plain.length, 2, 7), "truncated");
    }

    @Test
    void compressionAloneKeepsOnlyWhatShrinks() {
        byte[] text = text(1 << 20);
        ByteBuffer stored = CompressingCodec.INSTANCE.encode(ByteBuffer.wrap(text), 0, 0);
        assertTrue(stored.remaining() < text.length / 2);
        assertTrue(CompressingCodec.INSTANCE.wholeChunk(stored.remaining(), text.length));
        assertEquals(ByteBuffer.wrap(text), CompressingCodec.INSTANCE.decode(stored, text.length, 0, 0));
        byte[] random = bytes(1 << 20, 7);
        ByteBuffer raw = CompressingCodec.INSTANCE.encode(ByteBuffer.wrap(random), 0, 0);
        assertEquals(random.length, raw.remaining(), "incompressible chunks are stored as they are");
        assertTrue(!CompressingCodec.INSTANCE.wholeChunk(raw.remaining(), random.length));
        // a chunk whose first 64 KiB are random is not compressed even if the rest would be
        byte[] mixed = text(1 << 20);
        System.arraycopy(bytes(64 * 1024, 8), 0, mixed, 0, 64 * 1024);
        assertEquals(mixed.length, CompressingCodec.INSTANCE.encode(ByteBuffer.wrap(mixed), 0, 0).remaining());
    }
}
