package dev.cairn.s3.lifecycle;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What lifecycle passes did: one tally per pass (the admin API's last pass), which forwards every
 * count to the running totals, whose outcomes are also the {@code cairn_lifecycle_*_total}
 * counters.
 */
public final class LifecycleTally {

    /** What can happen to a version or upload a rule matched, or what a pass reads. */
    public enum Count {
        BUCKETS("buckets", null, null),
        VERSIONS_SCANNED("versionsScanned", null, null),
        UPLOADS_SCANNED("uploadsScanned", null, null),
        OBJECTS_EXPIRED("objectsExpired", "cairn.lifecycle.objects.expired",
                "Current versions expired by lifecycle rules (removed, or covered by a delete marker when versioned)"),
        DELETE_MARKERS_REMOVED("deleteMarkersRemoved", "cairn.lifecycle.delete.markers.removed",
                "Delete markers without other versions removed by lifecycle rules"),
        NONCURRENT_EXPIRED("noncurrentVersionsExpired", "cairn.lifecycle.noncurrent.versions.expired",
                "Noncurrent versions removed by lifecycle rules"),
        UPLOADS_ABORTED("uploadsAborted", "cairn.lifecycle.uploads.aborted",
                "Incomplete multipart uploads aborted by lifecycle rules"),
        SKIPPED_LOCKED("skippedLocked", "cairn.lifecycle.locked.skipped",
                "Times a lifecycle rule matched a version that object lock kept (legal hold or retention in force); "
                        + "a version kept through several passes counts once per pass"),
        SKIPPED_CHANGED("skippedChanged", null, null),
        OBJECTS_TRANSITIONED("objectsTransitioned", "cairn.lifecycle.objects.transitioned",
                "Current versions moved to another storage class (their chunks re-protected) by lifecycle rules"),
        NONCURRENT_TRANSITIONED("noncurrentVersionsTransitioned", "cairn.lifecycle.noncurrent.versions.transitioned",
                "Noncurrent versions moved to another storage class (their chunks re-protected) by lifecycle rules"),
        TRANSITIONED_BYTES("transitionedBytes", "cairn.lifecycle.transitioned.bytes",
                "Stored chunk bytes re-protected under another storage class by lifecycle transitions"),
        TRANSITIONS_DEFERRED("transitionsDeferred", "cairn.lifecycle.transitions.deferred",
                "Transitions due that could not be carried out (class not served, too few writable nodes, a chunk "
                        + "unreadable); a later pass tries again"),
        ERRORS("errors", "cairn.lifecycle.errors", "Lifecycle actions or bucket scans that failed");

        final String json;
        final String meter;
        final String description;

        Count(String json, String meter, String description) {
            this.json = json;
            this.meter = meter;
            this.description = description;
        }
    }

    private final Map<Count, AtomicLong> counts = new EnumMap<>(Count.class);
    private final Map<Count, Counter> meters = new EnumMap<>(Count.class);
    private final LifecycleTally totals;

    private LifecycleTally(LifecycleTally totals) {
        this.totals = totals;
        for (Count c : Count.values()) {
            counts.put(c, new AtomicLong());
        }
    }

    /** The running totals, with their counters registered. */
    static LifecycleTally totals(MeterRegistry registry) {
        LifecycleTally t = new LifecycleTally(null);
        for (Count c : Count.values()) {
            if (c.meter != null) {
                t.meters.put(c, Counter.builder(c.meter).description(c.description).register(registry));
            }
        }
        return t;
    }

    /** A new pass's tally, adding to these totals. */
    LifecycleTally newPass() {
        return new LifecycleTally(this);
    }

    void add(Count c) {
        add(c, 1);
    }

    void add(Count c, long n) {
        counts.get(c).addAndGet(n);
        Counter m = meters.get(c);
        if (m != null) {
            m.increment(n);
        }
        if (totals != null) {
            totals.add(c, n);
        }
    }

    public long get(Count c) {
        return counts.get(c).get();
    }

    /** Whether anything was expired, aborted, transitioned or deferred. */
    boolean acted() {
        return get(Count.OBJECTS_EXPIRED) + get(Count.DELETE_MARKERS_REMOVED) + get(Count.NONCURRENT_EXPIRED)
                + get(Count.UPLOADS_ABORTED) + get(Count.OBJECTS_TRANSITIONED) + get(Count.NONCURRENT_TRANSITIONED)
                + get(Count.TRANSITIONS_DEFERRED) > 0;
    }

    /** The counts as the admin API shows them. */
    public Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Count c : Count.values()) {
            m.put(c.json, get(c));
        }
        return m;
    }
}
