package dev.cairn.s3.data;

import dev.cairn.s3.auth.PayloadMode;
import dev.cairn.s3.auth.SigningContext;
import dev.cairn.s3.checksum.ChecksumAlgorithm;

/**
 * What an upload body must turn out to be, and how it is stored, taken from its headers before
 * any byte is read.
 *
 * @param payloadMode      how the body is framed and signed
 * @param payloadSha256Hex the signed SHA-256 of a plain body (SIGNED mode only)
 * @param signing          the signature chain's seed (signed streaming modes only)
 * @param contentMd5       the decoded Content-MD5, or null
 * @param checksum         the S3 checksum algorithm to compute, or null
 * @param checksumValue    the expected base64 checksum from a header, or null when it comes in a
 *                         trailer (or is only computed)
 * @param checksumInTrailer whether the expected checksum arrives as a trailer
 * @param declaredLength   the decoded body length announced by the client, or -1
 * @param maxLength        the largest body accepted (EntityTooLarge beyond)
 * @param storageClass     the storage class the data is written with (chooses its protection)
 * @param codec            the chunk transforms (compression, encryption) the data is stored with
 * @param part             the part number the chunks belong to (0 for a whole object)
 */
public record BodyExpectations(
        PayloadMode payloadMode,
        String payloadSha256Hex,
        SigningContext signing,
        byte[] contentMd5,
        ChecksumAlgorithm checksum,
        String checksumValue,
        boolean checksumInTrailer,
        long declaredLength,
        long maxLength,
        String storageClass,
        ChunkCodec codec,
        int part) {

    /** Expectations for data stored as it comes, as a whole object. */
    public BodyExpectations(PayloadMode payloadMode, String payloadSha256Hex, SigningContext signing,
                            byte[] contentMd5, ChecksumAlgorithm checksum, String checksumValue,
                            boolean checksumInTrailer, long declaredLength, long maxLength, String storageClass) {
        this(payloadMode, payloadSha256Hex, signing, contentMd5, checksum, checksumValue, checksumInTrailer,
                declaredLength, maxLength, storageClass, ChunkCodec.PLAIN, 0);
    }

    /** The same expectations for data written with another storage class. */
    public BodyExpectations withStorageClass(String sc) {
        return new BodyExpectations(payloadMode, payloadSha256Hex, signing, contentMd5, checksum, checksumValue,
                checksumInTrailer, declaredLength, maxLength, sc, codec, part);
    }

    /** The same expectations for data stored through {@code c} as chunks of part {@code partNumber}. */
    public BodyExpectations withCodec(ChunkCodec c, int partNumber) {
        return new BodyExpectations(payloadMode, payloadSha256Hex, signing, contentMd5, checksum, checksumValue,
                checksumInTrailer, declaredLength, maxLength, storageClass, c, partNumber);
    }
}
