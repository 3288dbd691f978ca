package dev.cairn.s3;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/** Runs blocking work (RocksDB, disk) on a worker pool and hands the result back to an event-loop context. */
public final class BlockingCalls {
    private BlockingCalls() {
    }

    /** The future completes on {@code context}, failed with the work's own exception (not a wrapper). */
    public static <T> Future<T> run(Executor pool, Context context, Callable<T> work) {
        CompletableFuture<T> cf = CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, pool);
        return Future.fromCompletionStage(cf, context).recover(e -> Future.failedFuture(
                e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
    }
}
