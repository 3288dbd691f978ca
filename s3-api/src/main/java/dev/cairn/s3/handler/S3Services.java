package dev.cairn.s3.handler;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.s3.BlockingCalls;
import dev.cairn.s3.S3ErrorCode;
import dev.cairn.s3.S3Exception;
import dev.cairn.s3.ServerConfig;
import dev.cairn.placement.storage.ChunkWriter;
import dev.cairn.s3.data.ObjectCopier;
import dev.cairn.s3.data.ObjectStreamer;
import dev.cairn.s3.http.S3Exchange;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/** What every handler needs: metadata, the worker pool, the data path, configuration and the clock. */
public record S3Services(
        MetadataStore metadata,
        ExecutorService pool,
        ChunkWriter writer,
        ObjectStreamer streamer,
        ObjectCopier copier,
        ServerConfig config,
        Clock clock,
        Owner owner) {

    /** The owner every bucket and object reports (Cairn has one account, root). */
    public record Owner(String id, String displayName) {
    }

    /** Runs blocking work (RocksDB, disk) on the worker pool; the future completes on the request's context. */
    public <T> Future<T> blocking(S3Exchange ex, Callable<T> work) {
        return BlockingCalls.run(pool, ex.context(), work);
    }

    /** Looks up the request's bucket, failing with NoSuchBucket. */
    public Future<BucketRecord> requireBucket(S3Exchange ex) {
        return blocking(ex, () -> metadata.getBucket(ex.bucket())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).with("BucketName", ex.bucket())));
    }

    /** Looks up the request's object, failing with NoSuchBucket or NoSuchKey. */
    public Future<ObjectRecord> requireObject(S3Exchange ex) {
        return requireBucket(ex).compose(b -> blocking(ex, () -> metadata.getObject(ex.bucket(), ex.key())
                .orElseThrow(() -> new S3Exception(S3ErrorCode.NO_SUCH_KEY).with("Key", ex.key()))));
    }
}
