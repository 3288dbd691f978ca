package dev.cairn.tools.it;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client load for the whole of a test phase: one writer PUTs objects (one to three chunks of
 * seeded bytes) and one reader GETs objects written so far and checks their SHA-256, through an
 * SDK client without retries, so every failed request reaches the test. {@link #stop()} ends it
 * and asserts that nothing failed and that both did work.
 */
final class ClientLoad implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientLoad.class);

    private final S3Client s3;
    private final String bucket;
    private final Map<String, SeededBytes> written = new ConcurrentHashMap<>();
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong gets = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    private final long maxBytes;
    private final long pauseMillis;

    private ClientLoad(S3Client s3, String bucket, long maxBytes, long pauseMillis) {
        this.s3 = s3;
        this.bucket = bucket;
        this.maxBytes = maxBytes;
        this.pauseMillis = pauseMillis;
    }

    /** Creates {@code bucket} and starts the writer and the reader (objects of 256 KiB to 8.25 MiB). */
    static ClientLoad start(ClusterFixture cluster, String bucket) {
        return start(cluster, bucket, 8 * TestFiles.MiB, 0);
    }

    /**
     * As {@link #start(ClusterFixture, String)}, with objects of 256 KiB plus up to {@code maxBytes},
     * and a pause of {@code pauseMillis} after each request.
     */
    static ClientLoad start(ClusterFixture cluster, String bucket, long maxBytes, long pauseMillis) {
        S3Client s3 = cluster.s3WithoutRetries();
        s3.createBucket(b -> b.bucket(bucket));
        ClientLoad load = new ClientLoad(s3, bucket, maxBytes, pauseMillis);
        load.threads.add(new Thread(load::write, "load-writer"));
        load.threads.add(new Thread(load::read, "load-reader"));
        load.threads.forEach(Thread::start);
        return load;
    }

    private void write() {
        Random r = new Random(42);
        for (int i = 0; !stopped; i++) {
            String key = "load/" + i;
            SeededBytes content = new SeededBytes(10_000 + i, 256 * 1024 + r.nextInt((int) maxBytes));
            try {
                SeededObjects.put(s3, bucket, key, content);
                written.put(key, content);
                keys.add(key);
                puts.incrementAndGet();
                ServerProcess.sleep(pauseMillis);
            } catch (RuntimeException e) {
                fail("PUT " + key, e);
            }
        }
    }

    private void read() {
        Random r = new Random(7);
        while (!stopped) {
            if (keys.isEmpty()) {
                ServerProcess.sleep(50);
                continue;
            }
            String key = keys.get(r.nextInt(keys.size()));
            try {
                String sha = SeededObjects.getSha256(s3, bucket, key);
                if (!sha.equals(written.get(key).sha256())) {
                    failures.add("GET " + key + ": wrong bytes");
                }
                gets.incrementAndGet();
                ServerProcess.sleep(pauseMillis);
            } catch (RuntimeException e) {
                fail("GET " + key, e);
            }
        }
    }

    private void fail(String what, RuntimeException e) {
        if (!stopped) {
            failures.add(what + ": " + e);
            LOG.error("client load: {} failed", what, e);
        }
    }

    /** Stops the load and asserts no request failed and both the writer and the reader did work. */
    void stop() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        s3.close();
        LOG.info("client load: {} PUTs, {} GETs, {} failures", puts.get(), gets.get(), failures.size());
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " client requests failed: " + failures);
        }
        if (puts.get() == 0 || gets.get() == 0) {
            throw new AssertionError("the load did no work: " + puts.get() + " PUTs, " + gets.get() + " GETs");
        }
    }

    /** Every object the load wrote, for a final read-back. */
    Map<String, SeededBytes> written() {
        return Map.copyOf(written);
    }

    @Override
    public void close() {
        stopped = true;
    }
}
