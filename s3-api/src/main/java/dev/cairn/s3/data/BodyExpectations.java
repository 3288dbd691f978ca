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
        String storageClass) {

    /** The same expectations for data written with another storage class. */
    public BodyExpectations withStorageClass(String sc) {
        return new BodyExpectations(payloadMode, payloadSha256Hex, signing, contentMd5, checksum, checksumValue,
                checksumInTrailer, declaredLength, maxLength, sc);
    }
}
