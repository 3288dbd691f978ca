package dev.cairn.s3.checksum;

import java.util.List;

/**
 * Checksums of multipart objects. S3 knows two kinds: COMPOSITE (a checksum of the part
 * checksums, suffixed with the part count; any algorithm) and FULL_OBJECT (the CRC of the
 * whole object, derived here from the part CRCs without reading the data; CRCs only).
 */
public final class MultipartChecksums {
    private MultipartChecksums() {
    }

    /** COMPOSITE: the algorithm over the concatenation of the part digests, as base64 + "-" + partCount. */
    public static String composite(ChecksumAlgorithm alg, List<byte[]> partDigests) {
        if (partDigests.isEmpty()) {
            throw new IllegalArgumentException("no parts");
        }
        Hasher h = alg.newHasher();
        for (byte[] d : partDigests) {
            checkLength(alg, d);
            h.update(d);
        }
        return ChecksumAlgorithm.encode(h.digest()) + "-" + partDigests.size();
    }

    /**
     * FULL_OBJECT: CRC of the whole object from the part CRCs and sizes (CRC combine, as zlib's
     * crc32_combine; for CRC32, CRC32C and CRC64NVME). Returns base64. No parts gives the CRC
     * of empty data.
     */
    public static String fullObject(ChecksumAlgorithm alg, List<byte[]> partDigests, List<Long> partSizes) {
        return ChecksumAlgorithm.encode(fullObjectDigest(alg, partDigests, partSizes));
    }

    /** As {@link #fullObject} but the raw big-endian digest. */
    public static byte[] fullObjectDigest(ChecksumAlgorithm alg, List<byte[]> partDigests, List<Long> partSizes) {
        if (!alg.isCrc()) {
            throw new IllegalArgumentException(alg + " has no full-object multipart checksum");
        }
        if (partDigests.size() != partSizes.size()) {
            throw new IllegalArgumentException("digests and sizes differ in count");
        }
        long crc = 0; // CRC of empty data, for all three
        for (int i = 0; i < partDigests.size(); i++) {
            byte[] d = partDigests.get(i);
            checkLength(alg, d);
            crc = CrcCombine.combine(crc, toLong(d), partSizes.get(i), alg.reflectedPoly(), alg.crcWidth());
        }
        byte[] out = new byte[alg.digestLength()];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = (byte) crc;
            crc >>>= 8;
        }
        return out;
    }

    private static long toLong(byte[] bigEndian) {
        long v = 0;
        for (byte b : bigEndian) {
            v = (v << 8) | (b & 0xff);
        }
        return v;
    }

    private static void checkLength(ChecksumAlgorithm alg, byte[] digest) {
        if (digest.length != alg.digestLength()) {
            throw new IllegalArgumentException(alg + " digest must be " + alg.digestLength() + " bytes, not " + digest.length);
        }
    }
}
