package dev.cairn.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits commands by applying them in this process (the single-server mode), with group commit.
 *
 * <p>Design note. Callers enqueue on a {@link CommitQueue}; its thread takes whatever has queued up
 * (up to {@value #MAX_GROUP} commands), applies it as one group - one WriteBatch, one synced write, see
 * {@link MetadataStateMachine} - and then completes every caller's future. While a group's fsync
 * runs the next one queues, so under load one fsync serves many commands, as RocksDB's own group
 * commit did for concurrent synced writers; an idle store applies each command at once. Closing
 * applies what was queued before and refuses later commits.
 *
 * <p>A {@link Guard} may refuse a command before it is queued (the metadata disk is full,
 * {@link SpaceGuard}): such checks read local facts, so they decide what is committed, never what
 * applying a command does.
 */
public final class LocalCommitter implements MetaCommitter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCommitter.class);
    static final int MAX_GROUP = 512;

    /** Applies a group of commands in order, one result each: {@link MetadataStateMachine#apply(List)}. */
    @FunctionalInterface
    public interface Applier {
        List<MetaResult> apply(List<? extends MetaCommand<?>> commands);
    }

    /** Local checks around commits; they never change what applying a command does. */
    public interface Guard {
        /** A guard that admits everything. */
        Guard NONE = new Guard() {
        };

        /** @throws MetadataException to refuse {@code command} before it is queued */
        default void admit(MetaCommand<?> command) {
        }

        /** A group was applied and written. */
        default void written(List<? extends MetaCommand<?>> group) {
        }

        /** What the callers of a group that failed with {@code e} get ({@code e} unless the guard knows better). */
        default RuntimeException failed(RuntimeException e) {
            return e;
        }
    }

    private final Applier machine;
    private final Guard guard;
    private final CommitQueue queue;
    private final LongAdder commands = new LongAdder();
    private final LongAdder groups = new LongAdder();

    public LocalCommitter(Applier machine, String threadName) {
        this(machine, Guard.NONE, threadName);
    }

    public LocalCommitter(Applier machine, Guard guard, String threadName) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.guard = Objects.requireNonNull(guard, "guard");
        this.queue = new CommitQueue(MAX_GROUP, threadName, this::applyGroup);
    }

    @Override
    public <R extends MetaResult> CompletableFuture<R> commit(MetaCommand<R> command) {
        Objects.requireNonNull(command, "command");
        try {
            guard.admit(command);
        } catch (MetadataException e) {
            return CompletableFuture.failedFuture(e);
        }
        return queue.submit(command);
    }

    /** Commands applied so far. */
    public long commandsApplied() {
        return commands.sum();
    }

    /** Groups (batched writes) applied so far: fewer than commands when group commit worked. */
    public long groupsApplied() {
        return groups.sum();
    }

    private void applyGroup(List<CommitQueue.Pending> group) {
        List<MetaCommand<?>> cmds = new ArrayList<>(group.size());
        group.forEach(e -> cmds.add(e.command()));
        List<MetaResult> results;
        try {
            results = machine.apply(cmds);
        } catch (RuntimeException e) {
            RuntimeException reported = guard.failed(e);
            if (reported == e) {
                LOG.warn("metadata group of {} command(s) failed: {}", cmds.size(), e.toString());
            }
            group.forEach(entry -> entry.done().completeExceptionally(reported));
            return;
        }
        guard.written(cmds);
        commands.add(cmds.size());
        groups.increment();
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done().complete(results.get(i));
        }
    }

    /** Applies what was queued, then stops the thread; later commits fail with StorageFailure. */
    @Override
    public void close() {
        queue.close();
    }
}
