package dev.cairn.s3.lifecycle;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.MetaCommand.Expire;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.ObjectVersion;
import dev.cairn.metadata.UploadCommand;
import dev.cairn.metadata.UploadListing;
import dev.cairn.metadata.UploadQuery;
import dev.cairn.metadata.UploadRecord;
import dev.cairn.metadata.VersionListing;
import dev.cairn.metadata.VersionQuery;
import dev.cairn.s3.lifecycle.LifecycleTally.Count;
import dev.cairn.s3.request.VersionId;
import dev.cairn.s3.xml.LifecycleDocuments;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The background lifecycle worker (thread {@code cairn-lifecycle}): every pass reads each bucket's
 * lifecycle configuration, pages through the versions of the buckets that have one (a key's
 * versions at a time, {@link LifecycleEvaluator}) and their incomplete uploads, and commits what is
 * due: an {@link Expire} per version (the same deletes an S3 client makes, checked again in apply
 * against the version it read), a {@link TransitionStep} per version a Transition or
 * NoncurrentVersionTransition moves (re-protected chunks, then one compare-and-set command; a
 * version expiring in the same pass is not moved) and an {@link UploadCommand.AbortUpload} per
 * upload.
 *
 * <p>Design note (restart). A pass keeps no cursor: it is idempotent and simply starts again from
 * the first bucket after a restart or a change of metadata leader. Every decision is a function of
 * stored facts (the configuration, the versions' times, the clock) and every action is conditional
 * on the version it read, so going over a bucket twice does nothing twice: what was expired is no
 * longer listed, and a command made stale by a crash is refused in apply. What a restart costs is a
 * re-read of metadata, which is what a pass is anyway; a persisted cursor would add a replicated
 * write per page to save that read, and could not skip anything a new pass must look at again
 * (time has moved on, so earlier keys may have become due).
 *
 * <p>Runs only where {@code leads} says so (the metadata leader; always on a single server), checks
 * it again before each action, and paces itself: at most {@code actionsPerSecond}, and none while
 * the worker pool has a backlog (up to 2 s at a time, as the movers wait).
 */
public final class LifecycleWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LifecycleWorker.class);
    private static final int PAGE = 1000;
    private static final long BACKLOG_WAIT_MILLIS = 2000;

    /** What the worker is doing. */
    public enum State { IDLE, SCANNING, STANDBY, STOPPED }

    private final MetadataStore metadata;
    private final LifecycleSettings settings;
    private final Clock clock;
    private final BooleanSupplier backlogged;
    private final LifecycleTally totals;
    private final Thread thread;
    private final Object wake = new Object();
    private volatile BooleanSupplier leads = () -> true;
    private volatile boolean runRequested = true;
    private volatile boolean closed;
    private volatile State state = State.IDLE;
    private volatile String currentBucket;
    private volatile LifecycleTally lastPass;
    private volatile long lastPassStartedMillis;
    private volatile long lastPassFinishedMillis;
    private volatile long passes;
    private volatile String lastError;
    private volatile String lastDeferral;
    private String lastDeferralReason;
    private volatile TransitionStep transitions;
    private long nextActionNanos;

    public LifecycleWorker(MetadataStore metadata, LifecycleSettings settings, Clock clock, BooleanSupplier backlogged,
                           MeterRegistry registry) {
        this.metadata = metadata;
        this.settings = settings;
        this.clock = clock;
        this.backlogged = backlogged;
        this.totals = LifecycleTally.totals(registry);
        this.thread = new Thread(this::loop, "cairn-lifecycle");
        this.thread.setDaemon(true);
    }

    /** Runs passes only while {@code leads} holds (the metadata leader). */
    public void leadership(BooleanSupplier leads) {
        this.leads = leads;
    }

    /**
     * Carries out transitions with {@code reprotector} to the storage classes {@code served} names,
     * taking the bytes read from {@code budget}; without this (a server with no data layer, unit
     * tests) due transitions are deferred.
     */
    public void transitions(dev.cairn.placement.storage.ChunkReprotector reprotector,
                            java.util.function.Predicate<String> served, TransitionStep.ByteBudget budget) {
        this.transitions = new TransitionStep(metadata, reprotector, served, budget);
    }

    public void start() {
        thread.start();
    }

    /** Starts a pass now (or as soon as the one under way ends). */
    public void runNow() {
        runRequested = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    public LifecycleSettings settings() {
        return settings;
    }

    /** A snapshot for the admin API. */
    public LifecycleStatus status() {
        return new LifecycleStatus(state, currentBucket, passes, lastPassStartedMillis, lastPassFinishedMillis,
                lastPass, totals, lastError, lastDeferral);
    }

    private void loop() {
        while (!closed) {
            try {
                waitForNextPass();
                if (closed) {
                    break;
                }
                if (!leads.getAsBoolean()) {
                    state = State.STANDBY;
                    continue;
                }
                pass();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                lastError = e.toString();
                totals.add(Count.ERRORS);
                LOG.warn("lifecycle pass failed: {}", e.toString());
                state = State.IDLE;
            }
        }
        state = State.STOPPED;
    }

    private void waitForNextPass() throws InterruptedException {
        long until = System.nanoTime() + settings.passInterval().toNanos();
        synchronized (wake) {
            while (!closed && !runRequested) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(wake, left);
            }
        }
        runRequested = false;
    }

    /** One pass over every bucket with a lifecycle configuration; stops early when leadership is lost. */
    private void pass() throws InterruptedException {
        LifecycleTally tally = totals.newPass();
        state = State.SCANNING;
        long started = clock.millis();
        try {
            for (BucketRecord b : metadata.listBuckets()) {
                if (closed || !leads.getAsBoolean()) {
                    state = State.STANDBY;
                    return;
                }
                currentBucket = b.name();
                try {
                    bucket(b.name(), tally);
                } catch (MetadataException.NoSuchBucket gone) {
                    // deleted while we looked at it
                } catch (MetadataException e) {
                    tally.add(Count.ERRORS);
                    lastError = "bucket " + b.name() + ": " + e.getMessage();
                    LOG.warn("lifecycle of bucket {} failed: {}", b.name(), e.toString());
                }
            }
            state = State.IDLE;
        } finally {
            currentBucket = null;
            lastPass = tally;
            lastPassStartedMillis = started;
            lastPassFinishedMillis = clock.millis();
            passes++;
            if (tally.acted()) {
                LOG.info("lifecycle pass: {}", tally.toMap());
            }
        }
    }

    private void bucket(String bucket, LifecycleTally tally) throws InterruptedException {
        Optional<byte[]> doc = metadata.getBucketConfig(bucket, LifecycleConfiguration.CONFIG_KIND);
        if (doc.isEmpty()) {
            return;
        }
        List<LifecycleRule> rules = LifecycleDocuments.parse(doc.get(), () -> {
            throw new IllegalStateException("a stored lifecycle rule has no ID");
        }).enabled();
        if (rules.isEmpty()) {
            return;
        }
        tally.add(Count.BUCKETS);
        if (rules.stream().anyMatch(LifecycleRule::actsOnVersions)) {
            versions(bucket, rules, tally);
        }
        if (rules.stream().anyMatch(r -> r.abortDays() != null)) {
            uploads(bucket, rules, tally);
        }
    }

    /** Pages through the bucket's versions, evaluating each key once all its versions are read. */
    private void versions(String bucket, List<LifecycleRule> rules, LifecycleTally tally) throws InterruptedException {
        String keyMarker = null;
        String versionMarker = null;
        String key = null;
        List<ObjectRecord> group = new ArrayList<>();
        while (true) {
            VersionListing page = metadata.listVersions(bucket, new VersionQuery("", null, keyMarker, versionMarker, PAGE));
            for (VersionListing.Entry e : page.versions()) {
                tally.add(Count.VERSIONS_SCANNED);
                if (!e.key().equals(key)) {
                    if (key != null) {
                        key(bucket, key, group, rules, tally);
                    }
                    key = e.key();
                    group = new ArrayList<>();
                }
                group.add(e.object());
            }
            if (!page.truncated() || closed) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            versionMarker = page.nextVersionIdMarker();
        }
        if (key != null && !closed) {
            key(bucket, key, group, rules, tally);
        }
    }

    private void key(String bucket, String key, List<ObjectRecord> versions, List<LifecycleRule> rules,
                     LifecycleTally tally) throws InterruptedException {
        // a version expired here is not moved too; one that object lock kept may still be (nothing is dropped)
        java.util.Set<ObjectRecord> expired = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (LifecycleEvaluator.Action a : LifecycleEvaluator.evaluate(rules, key, versions, clock.millis(),
                settings.days())) {
            if (!expire(bucket, key, a, tally, expired)) {
                return;
            }
        }
        for (LifecycleEvaluator.Move m : LifecycleEvaluator.transitions(rules, key, versions, clock.millis(),
                settings.days())) {
            if (!expired.contains(m.version()) && !transition(bucket, key, m, tally)) {
                return;
            }
        }
    }

    /** One expiration (added to {@code expired} when done); false when the worker should stop acting. */
    private boolean expire(String bucket, String key, LifecycleEvaluator.Action a, LifecycleTally tally,
                           java.util.Set<ObjectRecord> expired) throws InterruptedException {
        ObjectRecord v = a.version();
        long now = clock.millis();
        if (a.target() != Expire.Target.CURRENT && locked(v, now)) {
            tally.add(Count.SKIPPED_LOCKED);
            return true;
        }
        if (!pace()) {
            return false;
        }
        now = clock.millis();
        Expire command = new Expire(bucket, key, a.target(), v.versionId(), v.versionSeq(), v.modifiedMillis(),
                ObjectRecord.deleteMarker(now, v.owner(), VersionId.fresh(now)), now, metadata.garbageDueMillis());
        try {
            metadata.commitAndWait(command);
            expired.add(v);
            tally.add(switch (a.target()) {
                case CURRENT -> Count.OBJECTS_EXPIRED;
                case NONCURRENT -> Count.NONCURRENT_EXPIRED;
                case LONE_DELETE_MARKER -> Count.DELETE_MARKERS_REMOVED;
            });
            LOG.debug("lifecycle rule {} expired {} version {} of {}/{}", a.ruleId(), a.target(), v.versionId(),
                    bucket, key);
        } catch (MetadataException.PreconditionFailed changed) {
            tally.add(Count.SKIPPED_CHANGED);
        } catch (MetadataException.ObjectLocked locked) {
            tally.add(Count.SKIPPED_LOCKED);
        }
        return true;
    }

    /** One transition (locked versions too: no data is dropped); false when the worker should stop acting. */
    private boolean transition(String bucket, String key, LifecycleEvaluator.Move m, LifecycleTally tally)
            throws InterruptedException {
        TransitionStep step = transitions;
        if (step == null) {
            defer(tally, bucket, key, m, "this server has no data layer to move chunks with");
            return true;
        }
        if (!pace()) {
            return false;
        }
        TransitionStep.Result r = step.run(bucket, key, m.version(), m.storageClass());
        switch (r.outcome()) {
            case DONE -> {
                tally.add(m.target() == Expire.Target.CURRENT ? Count.OBJECTS_TRANSITIONED : Count.NONCURRENT_TRANSITIONED);
                tally.add(Count.TRANSITIONED_BYTES, r.storedBytes());
            }
            case CHANGED -> tally.add(Count.SKIPPED_CHANGED);
            case DEFERRED -> defer(tally, bucket, key, m, r.reason());
        }
        return true;
    }

    /** Counts a deferred transition; a reason is logged once while it repeats (the status always has the last). */
    private void defer(LifecycleTally tally, String bucket, String key, LifecycleEvaluator.Move m, String reason) {
        tally.add(Count.TRANSITIONS_DEFERRED);
        String previous = lastDeferralReason;
        lastDeferralReason = reason;
        lastDeferral = "version " + m.version().versionId() + " of " + bucket + "/" + key + " to " + m.storageClass()
                + ": " + reason;
        if (!reason.equals(previous)) {
            LOG.info("lifecycle rule {} deferred moving {}", m.ruleId(), lastDeferral);
        }
    }

    private void uploads(String bucket, List<LifecycleRule> rules, LifecycleTally tally) throws InterruptedException {
        String keyMarker = null;
        String uploadMarker = null;
        while (!closed) {
            UploadListing page = metadata.listUploads(bucket, new UploadQuery("", null, keyMarker, uploadMarker, PAGE));
            for (UploadRecord u : page.uploads()) {
                tally.add(Count.UPLOADS_SCANNED);
                if (!abortDue(rules, u, clock.millis()) || !pace()) {
                    continue;
                }
                try {
                    metadata.commitAndWait(new UploadCommand.AbortUpload(bucket, u.key(), u.uploadId(),
                            metadata.garbageDueMillis()));
                    tally.add(Count.UPLOADS_ABORTED);
                } catch (MetadataException.NoSuchUpload done) {
                    tally.add(Count.SKIPPED_CHANGED); // completed or aborted meanwhile
                }
            }
            if (!page.truncated()) {
                return;
            }
            keyMarker = page.nextKeyMarker();
            uploadMarker = page.nextUploadIdMarker();
        }
    }

    private boolean abortDue(List<LifecycleRule> rules, UploadRecord u, long now) {
        for (LifecycleRule r : rules) {
            if (r.abortDays() != null && r.filter().matchesKey(u.key())
                    && now >= settings.days().due(u.initiatedMillis(), r.abortDays())) {
                return true;
            }
        }
        return false;
    }

    /** A legal hold or a retention in force: lifecycle never removes such a version (nor could it). */
    static boolean locked(ObjectRecord v, long nowMillis) {
        ObjectVersion ov = v.version();
        return ov != null && (ov.legalHold() || ov.retainedAt(nowMillis));
    }

    /**
     * Waits for the next action's turn: the rate limit, then no backlog on the worker pool (up to
     * 2 s). False when the worker should stop acting (closed, or no longer the leader).
     */
    private boolean pace() throws InterruptedException {
        long now = System.nanoTime();
        if (nextActionNanos > now) {
            TimeUnit.NANOSECONDS.sleep(nextActionNanos - now);
        }
        nextActionNanos = Math.max(now, nextActionNanos) + TimeUnit.SECONDS.toNanos(1) / settings.actionsPerSecond();
        long waitUntil = System.currentTimeMillis() + BACKLOG_WAIT_MILLIS;
        while (backlogged.getAsBoolean() && System.currentTimeMillis() < waitUntil && !closed) {
            Thread.sleep(20);
        }
        return !closed && leads.getAsBoolean();
    }

    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
