package dev.cairn.s3.crypto;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Function;

/**
 * The server-side encryption a request asks for, parsed and checked from its headers:
 * {@code x-amz-server-side-encryption} (AES256 or aws:kms, with
 * {@code -aws-kms-key-id}, {@code -context} and {@code -bucket-key-enabled} for aws:kms), or the
 * SSE-C triple {@code x-amz-server-side-encryption-customer-algorithm/-key/-key-MD5} (with the
 * {@code x-amz-copy-source-} prefix for a copy's source). The errors are S3's.
 *
 * @param mode        null when the request asks for no encryption
 * @param kmsKeyId    the keyring key id for aws:kms, or null for the default
 * @param customerKey the SSE-C key (32 bytes), only in memory
 * @param customerKeyMd5 the key's MD5 as sent (base64), answered back
 */
public record SseRequest(ObjectSealing.Mode mode, String kmsKeyId, byte[] customerKey, String customerKeyMd5) {
    public static final SseRequest NONE = new SseRequest(null, null, null, null);
    public static final String SSE = "x-amz-server-side-encryption";
    public static final String KMS_KEY_ID = "x-amz-server-side-encryption-aws-kms-key-id";
    public static final String KMS_CONTEXT = "x-amz-server-side-encryption-context";
    public static final String BUCKET_KEY = "x-amz-server-side-encryption-bucket-key-enabled";
    public static final String C_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm";
    public static final String C_KEY = "x-amz-server-side-encryption-customer-key";
    public static final String C_KEY_MD5 = "x-amz-server-side-encryption-customer-key-md5";
    public static final String COPY_PREFIX = "x-amz-copy-source-";

    public boolean isCustomer() {
        return mode == ObjectSealing.Mode.SSE_C;
    }

    /** The encryption a write asks for (PUT, POST, CopyObject's target, CreateMultipartUpload). */
    public static SseRequest ofWrite(Function<String, String> header) {
        SseRequest customer = customer(header, "");
        String sse = header.apply(SSE);
        if (sse != null && customer != null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Server Side Encryption with Customer provided key "
                    + "is incompatible with the encryption method specified").with("ArgumentName", SSE)
                    .with("ArgumentValue", sse);
        }
        if (customer != null) {
            return customer;
        }
        String keyId = header.apply(KMS_KEY_ID);
        String context = header.apply(KMS_CONTEXT);
        String bucketKey = header.apply(BUCKET_KEY);
        if (context != null) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "An SSE-KMS encryption context (" + KMS_CONTEXT
                    + ") is not implemented by Cairn").with("Header", KMS_CONTEXT);
        }
        if (bucketKey != null && !"false".equalsIgnoreCase(bucketKey.trim())) {
            throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED, "S3 Bucket Keys (" + BUCKET_KEY
                    + ") are not implemented by Cairn").with("Header", BUCKET_KEY);
        }
        if (sse == null) {
            if (keyId != null || context != null) {
                throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Server Side Encryption with AWS KMS managed key "
                        + "requires HTTP header x-amz-server-side-encryption : aws:kms")
                        .with("ArgumentName", SSE);
            }
            return NONE;
        }
        switch (sse.trim()) {
            case "AES256" -> {
                if (keyId != null || context != null) {
                    throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Server Side Encryption with AWS KMS managed "
                            + "key requires HTTP header x-amz-server-side-encryption : aws:kms")
                            .with("ArgumentName", KMS_KEY_ID);
                }
                return new SseRequest(ObjectSealing.Mode.SSE_S3, null, null, null);
            }
            case "aws:kms" -> {
                return new SseRequest(ObjectSealing.Mode.SSE_KMS, keyId == null ? null : keyIdOf(keyId.trim()),
                        null, null);
            }
            case "aws:kms:dsse" -> throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED,
                    "Dual-layer server-side encryption (aws:kms:dsse) is not implemented by Cairn")
                    .with("Header", SSE);
            default -> throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT,
                    "The encryption method specified is not supported").with("ArgumentName", SSE)
                    .with("ArgumentValue", sse);
        }
    }

    /** The SSE-C key a read or a copy's source presents ({@code prefix} "" or "x-amz-copy-source-"), or null. */
    public static SseRequest customer(Function<String, String> header, String prefix) {
        String algName = named(prefix, C_ALGORITHM);
        String keyName = named(prefix, C_KEY);
        String md5Name = named(prefix, C_KEY_MD5);
        String alg = header.apply(algName);
        String key = header.apply(keyName);
        String md5 = header.apply(md5Name);
        if (alg == null && key == null && md5 == null) {
            return null;
        }
        if (alg == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Requests specifying Server Side Encryption with "
                    + "Customer provided keys must provide a valid encryption algorithm.")
                    .with("ArgumentName", algName);
        }
        if (!"AES256".equals(alg.trim())) {
            throw new S3Exception(S3ErrorCode.INVALID_ENCRYPTION_ALGORITHM, "The encryption request you specified is "
                    + "not valid. The valid value is AES256.").with("ArgumentName", algName)
                    .with("ArgumentValue", alg);
        }
        if (key == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Requests specifying Server Side Encryption with "
                    + "Customer provided keys must provide an appropriate secret key.")
                    .with("ArgumentName", algName);
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(key.trim());
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        if (raw.length != Aead.KEY_BYTES) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The secret key was invalid for the specified "
                    + "algorithm.").with("ArgumentName", keyName);
        }
        if (md5 == null) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "Requests specifying Server Side Encryption with "
                    + "Customer provided keys must provide the client calculated MD5 of the secret key.")
                    .with("ArgumentName", md5Name);
        }
        byte[] sentMd5;
        try {
            sentMd5 = Base64.getDecoder().decode(md5.trim());
        } catch (IllegalArgumentException e) {
            sentMd5 = new byte[0];
        }
        if (!MessageDigest.isEqual(sentMd5, md5Of(raw))) {
            throw new S3Exception(S3ErrorCode.INVALID_ARGUMENT, "The calculated MD5 hash of the key did not match the "
                    + "hash that was provided.").with("ArgumentName", md5Name);
        }
        return new SseRequest(ObjectSealing.Mode.SSE_C, null, raw, md5.trim());
    }

    /** {@code x-amz-server-side-encryption-customer-...} or {@code x-amz-copy-source-server-side-encryption-customer-...}. */
    private static String named(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + name.substring("x-amz-".length());
    }

    /** A key id, or the id at the end of a key ARN ("arn:aws:kms:region:account:key/ID"). */
    static String keyIdOf(String value) {
        int slash = value.lastIndexOf("key/");
        return value.startsWith("arn:") && slash >= 0 ? value.substring(slash + 4) : value;
    }

    static byte[] md5Of(byte[] raw) {
        try {
            return MessageDigest.getInstance("MD5").digest(raw);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
