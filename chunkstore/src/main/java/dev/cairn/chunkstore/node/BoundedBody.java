package dev.cairn.chunkstore.node;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;

/**
 * A message body copied chunk by chunk into one array that never grows past {@code max} bytes:
 * how the node takes a piece upload and the client a piece download without a generic,
 * unbounded body handler. Not thread-safe: fed from one event loop.
 */
final class BoundedBody {
    private static final int INITIAL_BYTES = 64 << 10;

    private final int max;
    private byte[] data;
    private int length;

    /** @param expected the announced length, or a negative number when unknown */
    BoundedBody(long expected, int max) {
        this.max = max;
        this.data = new byte[(int) (expected >= 0 ? Math.min(expected, max) : Math.min(INITIAL_BYTES, max))];
    }

    /** Appends a chunk; false (and the body dropped) when it would take the body past the bound. */
    boolean append(Buffer chunk) {
        int n = chunk.length();
        if (data == null || (long) length + n > max) {
            data = null;
            return false;
        }
        if (length + n > data.length) {
            byte[] bigger = new byte[(int) Math.min(max, Math.max((long) data.length * 2, (long) length + n))];
            System.arraycopy(data, 0, bigger, 0, length);
            data = bigger;
        }
        chunk.getBytes(0, n, data, length);
        length += n;
        return true;
    }

    int length() {
        return length;
    }

    /** The bytes received (no copy). */
    ByteBuffer view() {
        return ByteBuffer.wrap(data, 0, length).slice();
    }
}
