package dev.cairn.metadata;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The write side of metadata: commits a {@link MetaCommand} and completes with its result once
 * it is applied (and durable when the command is {@link MetaCommand#durable()}). A command refused
 * by a precondition completes exceptionally with the matching {@link MetadataException}; a failed
 * apply with {@link MetadataException.StorageFailure}. Implementations: {@link LocalCommitter}
 * (applies in this process); later a replicated one.
 *
 * <p>Futures may complete on the committer's own thread: chain further work with the
 * {@code *Async} methods of CompletableFuture, never block in a dependent stage.
 */
public interface MetaCommitter {

    <R extends MetaResult> CompletableFuture<R> commit(MetaCommand<R> command);

    /** Commits and waits (call from a worker thread, never an event loop). */
    default <R extends MetaResult> R commitAndWait(MetaCommand<R> command) {
        return await(commit(command));
    }

    /** Waits for a commit: its result, or the domain exception / StorageFailure it failed with. */
    static <R> R await(CompletableFuture<R> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new MetadataException.StorageFailure("metadata commit failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The command's typed result, or the exception a {@link MetaResult.Rejected} or
     * {@link MetaResult.Failed} stands for.
     */
    @SuppressWarnings("unchecked")
    static <R extends MetaResult> R unwrap(MetaCommand<R> command, MetaResult result) {
        if (result instanceof MetaResult.Rejected r) {
            throw r.toException();
        }
        if (result instanceof MetaResult.Failed f) {
            throw new MetadataException.StorageFailure(f.message(), null);
        }
        return (R) result;
    }
}
