package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.crypto.BucketEncryption;
import dev.cairn.s3.crypto.DataProtection;
import dev.cairn.s3.crypto.ObjectSealing;
import dev.cairn.s3.crypto.SseRequest;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.xml.EncryptionDocuments;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;

/**
 * Server-side encryption as the handlers use it: the encryption a write asks for, the SSE-C key
 * a read or copy source presents (refused over plain HTTP unless the server allows it), the
 * bucket's default encryption and compression setting, and the headers that answer which
 * encryption protects an object.
 */
final class Encryptions {
    /** Bucket config kind of the compression setting: the document "off" turns it off for the bucket. */
    static final String COMPRESSION_KIND = "compression"; // also written by the admin API (CompressionAdmin)

    private Encryptions() {
    }

    /** The encryption a write's headers ask for (checked; SSE-C only over TLS). */
    static SseRequest requestedWrite(S3Services s, S3Exchange ex, MultiMap headers) {
        SseRequest r = SseRequest.ofWrite(headers::get);
        if (r.isCustomer()) {
            requireSecure(s, ex);
        }
        return r;
    }

    /** The SSE-C key a request presents for its object ({@code ""}) or copy source ({@code "x-amz-copy-source-"}), or null. */
    static SseRequest presented(S3Services s, S3Exchange ex, String prefix) {
        SseRequest r = SseRequest.customer(ex.request().headers()::get, prefix);
        if (r != null) {
            requireSecure(s, ex);
        }
        return r;
    }

    private static void requireSecure(S3Services s, S3Exchange ex) {
        if (!ex.request().isSSL() && !s.protection().allowInsecureSseC()) {
            throw new S3Exception(S3ErrorCode.INVALID_REQUEST, "Requests specifying Server Side Encryption with "
                    + "Customer provided keys must be made over a secure connection.");
        }
    }

    /** How a new object of {@code bucket} is stored (blocking: reads the bucket's settings). */
    static DataProtection.Write forWrite(S3Services s, String bucket, SseRequest requested) {
        return s.protection().forWrite(requested, bucketDefault(s, bucket), bucketCompression(s, bucket));
    }

    /** The bucket's default encryption, or null (blocking). */
    static BucketEncryption bucketDefault(S3Services s, String bucket) {
        return s.metadata().getBucketConfig(bucket, BucketEncryption.CONFIG_KIND).map(EncryptionDocuments::parse)
                .orElse(null);
    }

    /** Whether the bucket lets new chunks be compressed (blocking). */
    static boolean bucketCompression(S3Services s, String bucket) {
        return s.metadata().getBucketConfig(bucket, COMPRESSION_KIND)
                .map(v -> !"off".equals(new String(v, java.nio.charset.StandardCharsets.US_ASCII).trim()))
                .orElse(true);
    }

    /** The headers that say which encryption protects an object (none for an unencrypted one). */
    static void answer(HttpServerResponse r, ObjectSealing sealing, SseRequest presented) {
        if (sealing == null) {
            return;
        }
        switch (sealing.mode()) {
            case SSE_S3 -> r.putHeader(SseRequest.SSE, "AES256");
            case SSE_KMS -> {
                r.putHeader(SseRequest.SSE, "aws:kms");
                r.putHeader(SseRequest.KMS_KEY_ID, sealing.keyId());
            }
            case SSE_C -> {
                r.putHeader(SseRequest.C_ALGORITHM, "AES256");
                if (presented != null) {
                    r.putHeader("x-amz-server-side-encryption-customer-key-MD5", presented.customerKeyMd5());
                }
            }
        }
    }

    static void answer(HttpServerResponse r, DataProtection.Write w) {
        answer(r, w.sealing(), w.request());
    }

    static ObjectSealing sealingOf(byte[] stored) {
        return ObjectSealing.decode(stored);
    }
}
