package dev.cairn.metadata.ratis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cairn.metadata.CommitQueue;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetaCommitter;
import dev.cairn.metadata.MetaResult;
import dev.cairn.metadata.MetadataException;

/**
 * Commits commands through Raft: each becomes part of a log entry that the leader replicates to
 * a majority and every peer applies ({@link MetadataMachine}); the future completes with the
 * leader's result once the entry is committed and applied there.
 *
 * <p>Design note. Like {@link dev.cairn.metadata.LocalCommitter} it groups on a {@link CommitQueue}: one thread takes
 * whatever has queued (up to {@value #MAX_GROUP} commands) and sends it as one entry, without
 * waiting for the previous entry (the Ratis client keeps them in order), so concurrent commands -
 * notably the pending-chunk marks of parallel uploads - share Raft round trips and fsyncs. A
 * follower's entries go to the leader through the Ratis client, which also retries them across
 * a leader change (the servers' retry cache answers a retried entry that did commit with its
 * first reply instead of applying it twice).
 */
final class RatisCommitter implements MetaCommitter, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RatisCommitter.class);
    static final int MAX_GROUP = 256;

    private final Function<byte[], CompletableFuture<byte[]>> send;
    private final CommitQueue queue;
    private final CommitStats stats;

    /** {@code send} replicates one entry and completes with the leader's reply. */
    RatisCommitter(Function<byte[], CompletableFuture<byte[]>> send, CommitStats stats) {
        this.send = send;
        this.stats = stats;
        this.queue = new CommitQueue(MAX_GROUP, "cairn-metadata-raft-commit", this::sendGroup);
    }

    @Override
    public <R extends MetaResult> CompletableFuture<R> commit(MetaCommand<R> command) {
        return queue.submit(command);
    }

    private void sendGroup(List<CommitQueue.Pending> group) {
        List<MetaCommand<?>> commands = new ArrayList<>(group.size());
        group.forEach(e -> commands.add(e.command()));
        long start = System.nanoTime();
        CompletableFuture<byte[]> reply;
        try {
            reply = send.apply(EntryCodec.encodeCommands(commands));
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((bytes, e) -> {
            if (e != null) {
                LOG.warn("metadata entry of {} command(s) was not committed: {}", group.size(), e.toString());
                MetadataException failure = new MetadataException.Unavailable(
                        "no metadata leader committed the write: " + e.getMessage(), e);
                group.forEach(entry -> entry.done().completeExceptionally(failure));
                return;
            }
            stats.committed(group.size(), System.nanoTime() - start);
            List<MetaResult> results;
            try {
                results = EntryCodec.decodeResults(bytes);
            } catch (RuntimeException bad) {
                group.forEach(entry -> entry.done().completeExceptionally(
                        new MetadataException.StorageFailure("unreadable metadata reply: " + bad, bad)));
                return;
            }
            if (results.size() != group.size()) {
                group.forEach(entry -> entry.done().completeExceptionally(new MetadataException.StorageFailure(
                        "metadata reply has " + results.size() + " results for " + group.size() + " commands", null)));
                return;
            }
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(results.get(i));
            }
        });
    }

    @Override
    public void close() {
        queue.close(5_000);
    }
}
