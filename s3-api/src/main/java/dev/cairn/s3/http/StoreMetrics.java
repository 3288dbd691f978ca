package dev.cairn.s3.http;

import dev.cairn.metadata.BucketUsage;
import dev.cairn.metadata.EngineProperty;
import dev.cairn.metadata.MetadataStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gauges over what the metadata store holds: objects, logical bytes and stored bytes (after
 * compression and encryption) of the largest buckets ({@code cairn_bucket_objects{bucket}},
 * {@code cairn_bucket_bytes{bucket}}, {@code cairn_bucket_stored_bytes{bucket}}; at most
 * {@code maxBuckets} by name, the rest summed under {@code bucket="_other"}, a name no S3 bucket
 * can have) and RocksDB's own numbers ({@code cairn_rocksdb_*}, per column family where RocksDB
 * keeps them per column family). The values are read by {@link #refresh()}, which does blocking
 * RocksDB calls and so runs on a worker thread; a scrape only reads the last refresh.
 */
public final class StoreMetrics {
    /** The bucket tag under which the buckets beyond the cap are summed. */
    public static final String OTHER_BUCKETS = "_other";

    /** How a RocksDB property is published: meter name, base unit, description. */
    private record Published(String name, String unit, String description) {
    }

    private static final Map<String, Published> ENGINE = Map.of(
            "estimate-live-data-size", new Published("cairn.rocksdb.live.data", "bytes",
                    "Estimated live data in RocksDB, by column family"),
            "total-sst-files-size", new Published("cairn.rocksdb.sst.files.size", "bytes",
                    "Size of all RocksDB SST files (all versions), by column family"),
            "cur-size-all-mem-tables", new Published("cairn.rocksdb.memtables.size", "bytes",
                    "Size of RocksDB's active and unflushed immutable memtables, by column family"),
            "estimate-pending-compaction-bytes", new Published("cairn.rocksdb.pending.compaction", "bytes",
                    "Bytes RocksDB estimates compaction must rewrite to settle, by column family"),
            "estimate-num-keys", new Published("cairn.rocksdb.estimated.keys", "keys",
                    "Estimated number of keys in RocksDB, by column family"),
            "num-running-compactions", new Published("cairn.rocksdb.running.compactions", "compactions",
                    "RocksDB compactions running now"),
            "num-running-flushes", new Published("cairn.rocksdb.running.flushes", "flushes",
                    "RocksDB memtable flushes running now"));

    private final MeterRegistry registry;
    private final MetadataStore metadata;
    private final int maxBuckets;
    private final MultiGauge bucketObjects;
    private final MultiGauge bucketBytes;
    private final MultiGauge bucketStored;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final Map<String, Double> engine = new ConcurrentHashMap<>();

    public StoreMetrics(MeterRegistry registry, MetadataStore metadata, int maxBuckets) {
        this.registry = registry;
        this.metadata = metadata;
        this.maxBuckets = maxBuckets;
        this.bucketObjects = MultiGauge.builder("cairn.bucket.objects")
                .description("Objects stored in a bucket (the largest buckets by bytes; the rest under bucket=\"_other\")")
                .baseUnit("objects")
                .register(registry);
        this.bucketBytes = MultiGauge.builder("cairn.bucket.bytes")
                .description("Bytes of object data stored in a bucket (the largest buckets; the rest under bucket=\"_other\")")
                .baseUnit("bytes")
                .register(registry);
        this.bucketStored = MultiGauge.builder("cairn.bucket.stored")
                .description("Bytes a bucket's object data takes after compression and encryption, before erasure "
                        + "coding or copies (the same buckets as cairn_bucket_bytes, its logical bytes)")
                .baseUnit("bytes")
                .register(registry);
    }

    /** Reads the bucket totals and the engine properties (blocking: call on a worker thread). */
    public void refresh() {
        refreshBuckets(metadata.bucketUsage());
        for (EngineProperty p : metadata.engineProperties()) {
            Published pub = ENGINE.get(p.name());
            if (pub == null) {
                continue;
            }
            String key = p.name() + "/" + p.columnFamily();
            engine.put(key, (double) p.value());
            if (registered.add(key)) {
                Gauge.Builder<Map<String, Double>> g = Gauge.builder(pub.name(), engine,
                                m -> m.getOrDefault(key, Double.NaN))
                        .description(pub.description())
                        .baseUnit(pub.unit());
                if (!p.columnFamily().isEmpty()) {
                    g.tag("cf", p.columnFamily());
                }
                g.register(registry);
            }
        }
    }

    private void refreshBuckets(List<BucketUsage> usage) {
        List<BucketUsage> sorted = new ArrayList<>(usage);
        sorted.sort(Comparator.comparingLong(BucketUsage::bytes).reversed().thenComparing(BucketUsage::bucket));
        List<MultiGauge.Row<?>> objects = new ArrayList<>();
        List<MultiGauge.Row<?>> bytes = new ArrayList<>();
        List<MultiGauge.Row<?>> stored = new ArrayList<>();
        long otherObjects = 0;
        long otherBytes = 0;
        long otherStored = 0;
        for (int i = 0; i < sorted.size(); i++) {
            BucketUsage u = sorted.get(i);
            if (i < maxBuckets) {
                objects.add(MultiGauge.Row.of(Tags.of("bucket", u.bucket()), u.objects()));
                bytes.add(MultiGauge.Row.of(Tags.of("bucket", u.bucket()), u.bytes()));
                stored.add(MultiGauge.Row.of(Tags.of("bucket", u.bucket()), u.storedBytes()));
            } else {
                otherObjects += u.objects();
                otherBytes += u.bytes();
                otherStored += u.storedBytes();
            }
        }
        objects.add(MultiGauge.Row.of(Tags.of("bucket", OTHER_BUCKETS), otherObjects));
        bytes.add(MultiGauge.Row.of(Tags.of("bucket", OTHER_BUCKETS), otherBytes));
        stored.add(MultiGauge.Row.of(Tags.of("bucket", OTHER_BUCKETS), otherStored));
        bucketObjects.register(objects, true);
        bucketBytes.register(bytes, true);
        bucketStored.register(stored, true);
    }
}
