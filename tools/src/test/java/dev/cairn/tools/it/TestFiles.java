package dev.cairn.tools.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Seeded random files and the digests the tests compare them by. */
public final class TestFiles {
    public static final long KiB = 1024;
    public static final long MiB = 1024 * KiB;

    private TestFiles() {
    }

    /** Writes {@code size} pseudo-random bytes drawn from {@code seed} (same seed, same bytes). */
    public static Path random(Path file, long size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] buf = new byte[(int) Math.min(size, MiB)];
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                long left = size;
                while (left > 0) {
                    int n = (int) Math.min(left, buf.length);
                    for (int i = 0; i < n; i += 8) {
                        long v = rnd.nextLong();
                        for (int j = 0; j < 8 && i + j < n; j++) {
                            buf[i + j] = (byte) (v >>> (8 * j));
                        }
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether this JVM can name files outside ASCII (false in the POSIX locale, where
     * {@code sun.jnu.encoding} is ASCII); failsafe runs the ITs with {@code LC_ALL=C.UTF-8}.
     */
    public static boolean unicodeFileNames() {
        String enc = System.getProperty("sun.jnu.encoding", "");
        return enc.equalsIgnoreCase("UTF-8") || enc.equalsIgnoreCase("UTF8");
    }

    /** {@code name} when the JVM can create it, else its non-ASCII characters replaced by '_'. */
    public static String portableName(String name) {
        return unicodeFileNames() ? name : name.replaceAll("[^\\x20-\\x7e]", "_");
    }

    public static String sha256(Path file) {
        return HexFormat.of().formatHex(digest(file, "SHA-256", 0, Long.MAX_VALUE));
    }

    public static String md5(Path file) {
        return HexFormat.of().formatHex(digest(file, "MD5", 0, Long.MAX_VALUE));
    }

    /**
     * The ETag S3 gives an object uploaded in parts of {@code partSize} bytes: the MD5 of the
     * concatenated binary part MD5s, then {@code -<parts>}; a file of at most one part has its
     * plain MD5 only when uploaded with a single PUT, so callers decide which applies.
     */
    public static String multipartEtag(Path file, long partSize) {
        try {
            long size = Files.size(file);
            MessageDigest all = MessageDigest.getInstance("MD5");
            int parts = 0;
            for (long off = 0; off < size || parts == 0; off += partSize) {
                all.update(digest(file, "MD5", off, Math.min(partSize, size - off)));
                parts++;
            }
            return HexFormat.of().formatHex(all.digest()) + "-" + parts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Relative path (with '/') to SHA-256 of every regular file under {@code root}, sorted. */
    public static Map<String, String> treeDigests(Path root) {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(f ->
                    digests.put(root.relativize(f).toString().replace('\\', '/'), sha256(f)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digests;
    }

    /** Total size in bytes of the regular files under {@code root} (files may vanish meanwhile). */
    public static long treeSize(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.mapToLong(f -> {
                try {
                    return Files.isRegularFile(f) ? Files.size(f) : 0;
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static byte[] digest(Path file, String algorithm, long offset, long length) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            in.skipNBytes(offset);
            byte[] buf = new byte[(int) MiB];
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                left -= n;
            }
            return md.digest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
