package dev.cairn.tools.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The content of a test object, generated on the fly and never stored: {@code size} bytes made
 * of 1 MiB blocks, block {@code b} drawn from a random generator seeded by {@code (seed, b)}, so
 * any range can be streamed without producing what comes before it (multipart parts, ranged
 * GETs) and a gigabyte of test data costs no disk.
 */
public record SeededBytes(long seed, long size) {
    static final int BLOCK = 1 << 20;

    /** A fresh stream of bytes {@code [offset, offset + length)}. */
    public InputStream stream(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside 0.." + size);
        }
        return new Stream(offset, offset + length);
    }

    public InputStream stream() {
        return stream(0, size);
    }

    /** Bytes {@code [offset, offset + length)} in an array (for small ranges). */
    public byte[] bytes(long offset, int length) {
        try (InputStream in = stream(offset, length)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lowercase hex SHA-256 of the whole content. */
    public String sha256() {
        return sha256(stream());
    }

    /** Lowercase hex SHA-256 of everything {@code in} yields (closes it). */
    public static String sha256(InputStream in) {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private void fill(long block, byte[] into) {
        new SplittableRandom(seed * 0x9E3779B97F4A7C15L + block).nextBytes(into);
    }

    private final class Stream extends InputStream {
        private final byte[] buf = new byte[BLOCK];
        private long pos;
        private final long end;
        private long bufBlock = -1;

        Stream(long pos, long end) {
            this.pos = pos;
            this.end = end;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            long block = pos / BLOCK;
            if (block != bufBlock) {
                fill(block, buf);
                bufBlock = block;
            }
            int inBlock = (int) (pos % BLOCK);
            int n = (int) Math.min(Math.min(len, BLOCK - inBlock), end - pos);
            System.arraycopy(buf, inBlock, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long k = Math.max(0, Math.min(n, end - pos));
            pos += k;
            return k;
        }
    }
}
