package dev.cairn.metadata;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What old versions cost a ListObjects page (issue 12, acceptance 5): the same keys in a bucket
 * written once, in an unversioned bucket written 50 times (overwrites), and in a versioned bucket
 * with 50 versions each; the median time of a ListObjects page of 1,000 keys in each, as written
 * and after a compaction (a {@code main}, not a test; see docs/PERFORMANCE.md). The versions are
 * written through the state machine in groups, as group commit writes them.
 *
 * <p>Arguments: {@code keys versionsPerKey rounds [dir]}; default 20000 50 200.
 */
public final class VersionListingBench {
    private VersionListingBench() {
    }

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int versions = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("cairn-version-bench");
        try (RocksMetadataStore store = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofMinutes(5))) {
            fill(store, "one", keys, 1, false);
            fill(store, "rewritten", keys, versions, false);
            fill(store, "many", keys, versions, true);
            report(store, keys, versions, rounds, "as written");
            store.handles().db.compactRange(store.handles().objects);
            store.handles().db.compactRange(store.handles().versions);
            report(store, keys, versions, rounds, "compacted");
        }
    }

    private static void report(RocksMetadataStore store, int keys, int versions, int rounds, String when) {
        for (int warm = 0; warm < 2; warm++) {
            pages(store, "one", keys, rounds);
            pages(store, "rewritten", keys, rounds);
            pages(store, "many", keys, rounds);
        }
        System.out.printf("%s: ListObjects, %d keys, pages of 1000: 1 version/key %.0f us/page; unversioned, "
                        + "written %d times %.0f us/page; %d versions/key %.0f us/page; ListObjectVersions %.0f us/page%n",
                when, keys, pages(store, "one", keys, rounds), versions, pages(store, "rewritten", keys, rounds),
                versions, pages(store, "many", keys, rounds), versionPages(store, "many", rounds));
    }

    private static void fill(RocksMetadataStore store, String bucket, int keys, int versions, boolean versioned) {
        store.createBucket(new BucketRecord(bucket, "owner", 1, "us-east-1"));
        if (versioned) {
            store.commitAndWait(new MetaCommand.SetBucketVersioning(bucket, BucketRecord.Versioning.ENABLED));
        }
        List<MetaCommand<?>> group = new ArrayList<>();
        for (int v = 0; v < versions; v++) {
            for (int k = 0; k < keys; k++) {
                byte[] data = ("v" + v).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ObjectRecord o = new ObjectRecord(data.length, "etag" + v, 1_700_000_000_000L + v, Map.of(), Map.of(),
                        null, "STANDARD", data, List.of(), List.of(), "owner")
                        .withVersion(ObjectVersion.proposed(String.format("%016x%016x", k, v), false));
                group.add(new MetaCommand.PutObject(bucket, String.format("dir/key-%08d", k), o, List.of(),
                        WriteCondition.NONE, 0));
                if (group.size() == 2000) {
                    store.stateMachine().apply(group);
                    group.clear();
                }
            }
        }
        store.stateMachine().apply(group);
    }

    /** Median microseconds of a 1,000-key ListObjects page at a random place in the bucket. */
    private static double pages(RocksMetadataStore store, String bucket, int keys, int rounds) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        List<Double> us = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            String after = String.format("dir/key-%08d", rnd.nextInt(Math.max(1, keys - 1000)));
            long t = System.nanoTime();
            ObjectListing page = store.listObjects(bucket, new ListQuery("dir/", after, null, 1000));
            us.add((System.nanoTime() - t) / 1000.0);
            if (page.contents().size() != 1000) {
                throw new IllegalStateException("page of " + page.contents().size());
            }
        }
        us.sort(Comparator.naturalOrder());
        return us.get(us.size() / 2);
    }

    private static double versionPages(RocksMetadataStore store, String bucket, int rounds) {
        List<Double> us = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long t = System.nanoTime();
            store.listVersions(bucket, new VersionQuery("dir/", null, String.format("dir/key-%08d", r * 7), null, 1000));
            us.add((System.nanoTime() - t) / 1000.0);
        }
        us.sort(Comparator.naturalOrder());
        return us.get(us.size() / 2);
    }
}
