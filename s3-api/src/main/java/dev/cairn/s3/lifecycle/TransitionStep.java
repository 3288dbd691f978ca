package dev.cairn.s3.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.ChunkRef;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.MetadataStore;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.Protection;
import dev.cairn.placement.storage.ChunkReprotector;
import dev.cairn.placement.storage.ChunkReprotector.ReprotectException;

/**
 * Carries out one lifecycle transition: re-protects the chunks of one version under the target
 * storage class's protection, then swaps them in with one {@link MetaCommand.Transition}.
 *
 * <p>Design note (crash safety). Until the command commits, the version's record names only its
 * old chunks, which nothing touches; the new chunks are pending marks of this process's writer
 * epoch, as a PUT's are. A kill -9 before the commit leaves the old protection complete and the
 * marks of an epoch the restart retires, whose pieces the collector deletes. The commit swaps
 * every chunk at once (one batch) and queues the old chunks as garbage, due after the grace
 * period and kept while a GET streams them ({@code ReadLeases}), so after it the new protection is
 * complete and the old one goes. A version that changed meanwhile (overwritten, deleted,
 * transitioned by another pass) makes the command fail its compare-and-set: the new pieces are
 * deleted at once and their marks dropped. A chunk that already has the target protection is kept
 * as it is. The step writes a new chunk only when every piece of it can be stored (a chunk is never
 * moved into less protection than its class asks); otherwise the transition is deferred with the
 * reason, and tried again by a later pass.
 */
public final class TransitionStep {
    private static final Logger LOG = LoggerFactory.getLogger(TransitionStep.class);

    /** Bytes moved, taken from a shared budget (the movers' byte throttle); blocking. */
    @FunctionalInterface
    public interface ByteBudget {
        void take(long bytes) throws InterruptedException;
    }

    /** What became of a transition. */
    enum Outcome { DONE, CHANGED, DEFERRED }

    /**
     * @param outcome     done, changed meanwhile (nothing to do), deferred (why in {@code reason})
     * @param storedBytes the stored bytes re-protected (done only)
     * @param object      the version as it is now (done only)
     */
    record Result(Outcome outcome, long storedBytes, String reason, ObjectRecord object) {
        static Result deferred(String reason) {
            return new Result(Outcome.DEFERRED, 0, reason, null);
        }

        static Result changed(String reason) {
            return new Result(Outcome.CHANGED, 0, reason, null);
        }
    }

    private final MetadataStore metadata;
    private final ChunkReprotector reprotector;
    private final Predicate<String> served;
    private final ByteBudget budget;

    /**
     * @param served the storage classes with a protection of their own ({@code --storage-classes})
     * @param budget where the bytes read are taken from (the movers' throttle)
     */
    TransitionStep(MetadataStore metadata, ChunkReprotector reprotector, Predicate<String> served, ByteBudget budget) {
        this.metadata = metadata;
        this.reprotector = reprotector;
        this.served = served;
        this.budget = budget;
    }

    Result run(String bucket, String key, ObjectRecord v, String storageClass) throws InterruptedException {
        if (!served.test(storageClass)) {
            return Result.deferred("storage class " + storageClass + " has no protection of its own on this server "
                    + "(--storage-classes)");
        }
        Protection target = reprotector.protection(storageClass);
        List<ChunkRef> refs = v.chunks();
        List<Optional<ChunkRecord>> records = metadata.getChunks(refs.stream().map(ChunkRef::id).toList());
        List<ChunkRecord> old = new ArrayList<>(records.size());
        for (Optional<ChunkRecord> r : records) {
            if (r.isEmpty()) {
                return Result.changed("a chunk of the version is gone");
            }
            old.add(r.get());
        }
        if (old.stream().anyMatch(c -> !c.protection().equals(target))) {
            String blocked = reprotector.cannotWriteInFull(storageClass);
            if (blocked != null) {
                return Result.deferred(blocked);
            }
        }
        List<ChunkRecord> written = new ArrayList<>();
        List<ChunkRef> updated = new ArrayList<>(refs.size());
        long bytes = 0;
        boolean committed = false;
        try {
            for (int i = 0; i < old.size(); i++) {
                ChunkRecord c = old.get(i);
                if (c.protection().equals(target)) {
                    updated.add(refs.get(i));
                    continue;
                }
                budget.take(c.size());
                ChunkRecord n = reprotector.reprotect(c, storageClass);
                written.add(n);
                updated.add(new ChunkRef(n.id(), refs.get(i).size()));
                bytes += c.size();
            }
            ObjectRecord now = metadata.commitAndWait(new MetaCommand.Transition(bucket, key, v.versionId(),
                    v.versionSeq(), v.modifiedMillis(), storageClass, refs, updated, written,
                    metadata.garbageDueMillis())).object();
            committed = true;
            LOG.debug("lifecycle moved version {} of {}/{} to {} ({}; {} chunks re-protected, {} bytes)",
                    v.versionId(), bucket, key, storageClass, target.describe(), written.size(), bytes);
            return new Result(Outcome.DONE, bytes, null, now);
        } catch (ReprotectException e) {
            return Result.deferred(e.getMessage());
        } catch (MetadataException.PreconditionFailed | MetadataException.NoSuchKey
                 | MetadataException.NoSuchBucket e) {
            return Result.changed(e.getMessage());
        } finally {
            if (!committed) {
                reprotector.discard(written);
            }
        }
    }
}
