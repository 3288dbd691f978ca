package dev.cairn.s3.handler;

import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.crypto.BucketEncryption;
import dev.cairn.s3.crypto.ObjectSealing;
import dev.cairn.s3.http.S3Exchange;
import dev.cairn.s3.request.BucketRequest;
import dev.cairn.s3.xml.EncryptionDocuments;
import io.vertx.core.Future;

/**
 * PutBucketEncryption, GetBucketEncryption, DeleteBucketEncryption: the bucket's default
 * encryption, which new objects written without encryption headers get. Stored as the bucket's
 * "encryption" document; an SSE-KMS default must name a key of the keyring (or the keyring must
 * have one) when it is set, and needs the server's master key, as SSE-S3 does.
 */
final class EncryptionHandler {
    private static final int MAX_DOCUMENT_BYTES = 16 * 1024;
    private final S3Services s;

    EncryptionHandler(S3Services services) {
        this.s = services;
    }

    Future<Void> put(S3Exchange ex, BucketRequest.PutBucketEncryption op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> SmallBodies.read(s, ex, MAX_DOCUMENT_BYTES))
                .compose(body -> s.blocking(ex, () -> {
                    BucketEncryption e = EncryptionDocuments.parse(body);
                    s.protection().keys().requireKeyring("Default encryption");
                    if (e.mode() == ObjectSealing.Mode.SSE_KMS) {
                        s.protection().keys().kmsKeyId(e.kmsKeyId()); // KMS.NotFoundException when unknown
                    }
                    s.metadata().putBucketConfig(op.bucket().value(), BucketEncryption.CONFIG_KIND,
                            EncryptionDocuments.write(e));
                    return null;
                }))
                .compose(v -> ex.sendEmpty(200));
    }

    Future<Void> get(S3Exchange ex, BucketRequest.GetBucketEncryption op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> s.blocking(ex, () -> s.metadata().getBucketConfig(op.bucket().value(),
                        BucketEncryption.CONFIG_KIND)))
                .compose(doc -> ex.sendXml(200, doc.orElseThrow(() -> new S3Exception(
                        S3ErrorCode.NO_SUCH_ENCRYPTION_CONFIGURATION).with("BucketName", op.bucket().value()))));
    }

    Future<Void> delete(S3Exchange ex, BucketRequest.DeleteBucketEncryption op) {
        return s.requireBucket(ex, op.bucket())
                .compose(b -> s.blocking(ex, () -> {
                    s.metadata().putBucketConfig(op.bucket().value(), BucketEncryption.CONFIG_KIND, null);
                    return null;
                }))
                .compose(v -> ex.sendEmpty(204));
    }
}
