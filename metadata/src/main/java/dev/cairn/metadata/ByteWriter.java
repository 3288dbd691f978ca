package dev.cairn.metadata;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Appends the primitive fields of a stored value: unsigned LEB128 varints for lengths, counts,
 * sizes and times (negative values round-trip but take 10 bytes), fixed 4-byte big-endian ints,
 * and nullable length-prefixed UTF-8 strings and byte arrays (length + 1, 0 meaning null).
 */
final class ByteWriter {
    private byte[] buf;
    private int len;

    ByteWriter(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    ByteWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    ByteWriter fixedInt(int v) {
        ensure(4);
        KeyCodec.putInt(buf, len, v);
        len += 4;
        return this;
    }

    ByteWriter varLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    ByteWriter varInt(int v) {
        return varLong(v & 0xFFFFFFFFL);
    }

    ByteWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    ByteWriter bytes(byte[] b) {
        if (b == null) {
            return varLong(0);
        }
        varLong(b.length + 1L);
        return raw(b);
    }

    ByteWriter string(String s) {
        return bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /** A map of non-null strings, in key order so equal maps encode to equal bytes. */
    ByteWriter map(Map<String, String> m) {
        varInt(m.size());
        for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
            string(e.getKey());
            string(e.getValue());
        }
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
