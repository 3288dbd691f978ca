package dev.cairn.s3.checksum;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The S3 additional checksum algorithms. Values travel as base64 of the big-endian digest
 * ({@code x-amz-checksum-crc32: Wwzelw==}); {@link #encode} and {@link #decode} convert.
 */
public enum ChecksumAlgorithm {
    CRC32("CRC32", 4, 0xedb88320L, 32),
    CRC32C("CRC32C", 4, 0x82f63b78L, 32),
    SHA1("SHA1", 20, 0, 0),
    SHA256("SHA256", 32, 0, 0),
    CRC64NVME("CRC64NVME", 8, Crc64Nvme.POLY, 64);

    private final String wireName;
    private final String headerName;
    private final int digestLength;
    private final long reflectedPoly;
    private final int crcWidth;

    ChecksumAlgorithm(String wireName, int digestLength, long reflectedPoly, int crcWidth) {
        this.wireName = wireName;
        this.headerName = "x-amz-checksum-" + wireName.toLowerCase(Locale.ROOT);
        this.digestLength = digestLength;
        this.reflectedPoly = reflectedPoly;
        this.crcWidth = crcWidth;
    }

    /** The name as S3 writes it in XML and in {@code x-amz-checksum-algorithm}: "CRC32", "CRC64NVME". */
    public String wireName() {
        return wireName;
    }

    /** The lower-case header carrying a value of this algorithm, e.g. {@code x-amz-checksum-crc32}. */
    public String headerName() {
        return headerName;
    }

    /** Case-insensitive lookup by algorithm name ("crc32", "CRC32C", "sha256", "crc64nvme"). */
    public static Optional<ChecksumAlgorithm> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (ChecksumAlgorithm alg : values()) {
            if (alg.wireName.equalsIgnoreCase(name.trim())) {
                return Optional.of(alg);
            }
        }
        return Optional.empty();
    }

    /** Lookup by lower-case header name ({@code x-amz-checksum-crc32c}). */
    public static Optional<ChecksumAlgorithm> fromHeaderName(String lowerCaseHeader) {
        for (ChecksumAlgorithm alg : values()) {
            if (alg.headerName.equals(lowerCaseHeader)) {
                return Optional.of(alg);
            }
        }
        return Optional.empty();
    }

    public Hasher newHasher() {
        return switch (this) {
            case CRC32 -> new ChecksumHasher(new CRC32(), 4);
            case CRC32C -> new ChecksumHasher(new CRC32C(), 4);
            case SHA1 -> new DigestHasher("SHA-1");
            case SHA256 -> new DigestHasher("SHA-256");
            case CRC64NVME -> new Crc64Nvme();
        };
    }

    /** Digest length in bytes: 4, 4, 20, 32, 8. */
    public int digestLength() {
        return digestLength;
    }

    /** Whether this is a CRC, which makes FULL_OBJECT multipart checksums possible. */
    public boolean isCrc() {
        return crcWidth != 0;
    }

    long reflectedPoly() {
        return reflectedPoly;
    }

    int crcWidth() {
        return crcWidth;
    }

    /** The digest of {@code data} in one call. */
    public byte[] digest(byte[] data) {
        Hasher h = newHasher();
        h.update(data);
        return h.digest();
    }

    /** Base64 of a digest, as on the wire. */
    public static String encode(byte[] digest) {
        return Base64.getEncoder().encodeToString(digest);
    }

    /**
     * Parses a wire value of this algorithm. A value that is not base64 or has the wrong length
     * answers 400 InvalidRequest "Value for x-amz-checksum-crc32 header is invalid." as S3 does.
     */
    public byte[] decode(String base64) {
        byte[] out = null;
        if (base64 != null) {
            try {
                out = Base64.getDecoder().decode(base64.trim());
            } catch (IllegalArgumentException e) {
                out = null;
            }
        }
        if (out == null || out.length != digestLength) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Value for " + headerName + " header is invalid.");
        }
        return out;
    }

    /** Whether {@code base64} is a well-formed value of this algorithm (base64 of a digest of the right length). */
    public boolean isValidValue(String base64) {
        try {
            decode(base64);
            return true;
        } catch (S3Exception e) {
            return false;
        }
    }

    /** Wraps a {@link Checksum} from java.util.zip (CRC32, CRC32C). */
    private static final class ChecksumHasher implements Hasher {
        private final Checksum checksum;
        private final int length;

        ChecksumHasher(Checksum checksum, int length) {
            this.checksum = checksum;
            this.length = length;
        }

        @Override
        public void update(ByteBuffer data) {
            checksum.update(data.duplicate());
        }

        @Override
        public void update(byte[] data) {
            checksum.update(data, 0, data.length);
        }

        @Override
        public byte[] digest() {
            long v = checksum.getValue();
            byte[] out = new byte[length];
            for (int i = length - 1; i >= 0; i--) {
                out[i] = (byte) v;
                v >>>= 8;
            }
            return out;
        }
    }

    /** Wraps a {@link MessageDigest} (SHA-1, SHA-256). */
    private static final class DigestHasher implements Hasher {
        private final MessageDigest md;

        DigestHasher(String algorithm) {
            try {
                md = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " missing from the JDK", e);
            }
        }

        @Override
        public void update(ByteBuffer data) {
            md.update(data.duplicate());
        }

        @Override
        public void update(byte[] data) {
            md.update(data);
        }

        @Override
        public byte[] digest() {
            return md.digest();
        }
    }
}
