package dev.cairn.metadata;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads what {@link ByteWriter} wrote. Reading past the end or a malformed varint throws
 * {@link IllegalStateException}; the record codecs turn that into a StorageFailure.
 */
final class ByteReader {
    private final byte[] buf;
    private int pos;

    ByteReader(byte[] buf) {
        this.buf = buf;
    }

    private void need(long n) {
        if (n < 0 || pos + n > buf.length) {
            throw new IllegalStateException("truncated value: need " + n + " bytes at " + pos + " of " + buf.length);
        }
    }

    int u8() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    int fixedInt() {
        need(4);
        int v = KeyCodec.getInt(buf, pos);
        pos += 4;
        return v;
    }

    long varLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = u8();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalStateException("varint too long at " + pos);
    }

    int varInt() {
        long v = varLong();
        if ((v >>> 32) != 0) {
            throw new IllegalStateException("varint out of int range: " + v);
        }
        return (int) v;
    }

    /** A non-negative count, checked against the bytes left so corrupt data cannot allocate huge arrays. */
    int count() {
        int n = varInt();
        if (n < 0 || n > buf.length - pos) {
            throw new IllegalStateException("bad count " + n + " at " + pos);
        }
        return n;
    }

    byte[] raw(int n) {
        need(n);
        byte[] r = new byte[n];
        System.arraycopy(buf, pos, r, 0, n);
        pos += n;
        return r;
    }

    byte[] bytes() {
        long n = varLong();
        if (n == 0) {
            return null;
        }
        need(n - 1);
        return raw((int) (n - 1));
    }

    String string() {
        byte[] b = bytes();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** @throws IllegalStateException when bytes are left over */
    void requireEnd() {
        if (pos != buf.length) {
            throw new IllegalStateException((buf.length - pos) + " unexpected trailing bytes at " + pos);
        }
    }

    Map<String, String> map() {
        int n = count();
        Map<String, String> m = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            String k = string();
            String v = string();
            if (k == null || v == null) {
                throw new IllegalStateException("null map entry");
            }
            m.put(k, v);
        }
        return m;
    }
}
