package dev.cairn.chunkstore;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.zip.CRC32C;

/** Shared helpers for the piece store tests. */
final class PieceTestData {
    private PieceTestData() {
    }

    static PieceId randomId(Random random) {
        byte[] chunk = new byte[PieceId.CHUNK_ID_LENGTH];
        random.nextBytes(chunk);
        return new PieceId(chunk, random.nextInt(255));
    }

    static byte[] randomBytes(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    static int crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return (int) crc.getValue();
    }

    static byte[] toArray(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.duplicate().get(b);
        return b;
    }
}
