package dev.cairn.tools.it;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Moving {@link SeededBytes} objects through S3 with the AWS SDK: bodies streamed from the
 * generator (never held in memory or on disk), downloads digested as they arrive.
 */
final class SeededObjects {
    /** The part size of {@link #putMultipart}, as aws-cli's default. */
    static final long PART = 8 * TestFiles.MiB;

    private SeededObjects() {
    }

    /** What {@link #forEach} does with one object; returns a value to collect (a digest, say). */
    interface ObjectTask {
        String run(String key, SeededBytes content) throws Exception;
    }

    static RequestBody body(SeededBytes content) {
        return body(content, 0, content.size());
    }

    /** A body of bytes {@code [offset, offset + length)}, which the SDK may re-read (signing, retries). */
    static RequestBody body(SeededBytes content, long offset, long length) {
        return RequestBody.fromContentProvider(() -> content.stream(offset, length), length,
                "application/octet-stream");
    }

    static void put(S3Client client, String bucket, String key, SeededBytes content) {
        client.putObject(b -> b.bucket(bucket).key(key), body(content));
    }

    /** CreateMultipartUpload, {@link #PART}-sized UploadParts, CompleteMultipartUpload (ETag checked). */
    static void putMultipart(S3Client client, String bucket, String key, SeededBytes content) {
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (long offset = 0; offset < content.size(); offset += PART) {
            int number = parts.size() + 1;
            long length = Math.min(PART, content.size() - offset);
            String etag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .contentLength(length), body(content, offset, length)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        String etag = client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))).eTag();
        if (!etag.endsWith("-" + parts.size() + "\"")) {
            throw new AssertionError(key + ": multipart ETag " + etag + " does not end in -" + parts.size());
        }
    }

    /** GETs the object and returns the SHA-256 of its body. */
    static String getSha256(S3Client client, String bucket, String key) {
        try (ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(bucket).key(key))) {
            return SeededBytes.sha256(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key in the bucket (ListObjectsV2, all pages). */
    static Set<String> listKeys(S3Client client, String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Runs {@code task} for every object, {@code concurrency} at a time, and returns the results by
     * key; when any fail, throws one AssertionError naming all of them.
     */
    static Map<String, String> forEach(Map<String, SeededBytes> objects, int concurrency, ObjectTask task)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            Map<String, Future<String>> futures = new LinkedHashMap<>();
            objects.forEach((k, c) -> futures.put(k, pool.submit(() -> task.run(k, c))));
            Map<String, String> results = new HashMap<>();
            List<String> failures = new ArrayList<>();
            List<Throwable> causes = new ArrayList<>();
            for (Map.Entry<String, Future<String>> f : futures.entrySet()) {
                try {
                    results.put(f.getKey(), f.getValue().get());
                } catch (ExecutionException e) {
                    failures.add(f.getKey() + ": " + e.getCause());
                    causes.add(e.getCause());
                }
            }
            if (!failures.isEmpty()) {
                AssertionError all = new AssertionError(failures.size() + " of " + objects.size() + " failed: "
                        + failures.stream().limit(20).toList());
                causes.stream().limit(5).forEach(all::addSuppressed);
                throw all;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
