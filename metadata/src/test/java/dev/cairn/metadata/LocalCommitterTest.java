package dev.cairn.metadata;

import static dev.cairn.metadata.Fixtures.bucket;
import static dev.cairn.metadata.Fixtures.chunkedObject;
import static dev.cairn.metadata.Fixtures.chunks;
import static dev.cairn.metadata.Fixtures.inlineObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCommitterTest {
    private static final long DUE = 1;

    @TempDir
    Path dir;
    MutableClock clock = new MutableClock(1_700_000_000_000L);
    RocksMetadataStore store;

    @BeforeEach
    void open() {
        store = RocksMetadataStore.open(dir, clock, Duration.ofMinutes(1));
        store.createBucket(bucket("b"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static MetaCommand.PutObject put(String key, String etag, WriteCondition condition) {
        return new MetaCommand.PutObject("b", key, inlineObject(etag, new byte[] {1}), List.of(), condition, DUE);
    }

    @Test
    void concurrentCommitsShareWrites() throws Exception {
        int threads = 32;
        int perThread = 50;
        long commandsBefore = store.committer().commandsApplied();
        long groupsBefore = store.committer().groupsApplied();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    store.commitAndWait(put("k-" + thread + "-" + i, "e", WriteCondition.MUST_NOT_EXIST));
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        long commands = store.committer().commandsApplied() - commandsBefore;
        long groups = store.committer().groupsApplied() - groupsBefore;
        assertEquals(threads * perThread, commands);
        assertTrue(groups < commands, groups + " groups for " + commands + " commands");
        assertEquals(threads * perThread, store.stats().objects());
        assertEquals(threads * perThread, store.listObjects("b", new ListQuery("", "", null, 10_000)).contents().size());
    }

    /** One thread's random commands over a few shared keys, so conditions race and some are refused. */
    private static MetaCommand<?> randomCommand(java.util.Random r, long epoch) {
        String key = "k" + r.nextInt(6);
        return switch (r.nextInt(6)) {
            case 0 -> put(key, "e" + r.nextInt(3), WriteCondition.MUST_NOT_EXIST);
            case 1 -> put(key, "e" + r.nextInt(3), WriteCondition.etagMatches("e" + r.nextInt(3)));
            case 2 -> new MetaCommand.DeleteObject("b", key, WriteCondition.NONE, DUE + r.nextInt(5));
            case 3 -> new MetaCommand.SetObjectTags("b", key, java.util.Map.of("n", Integer.toString(r.nextInt(9))));
            case 4 -> {
                ChunkRecord c = chunks(1).get(0);
                yield new GarbageCommand.MarkPending(epoch, List.of(c));
            }
            default -> {
                List<ChunkRecord> c = chunks(1);
                yield new MetaCommand.PutObject("b", key, chunkedObject("c", c), c, WriteCondition.NONE, DUE + r.nextInt(5));
            }
        };
    }

    @Test
    void whatTheCommitterAppliedUnderConcurrencyIsALogThatReplaysToTheSameBytes(@TempDir Path replayDir) throws Exception {
        List<MetaCommand<?>> log = java.util.Collections.synchronizedList(new ArrayList<>());
        List<MetaResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        LocalCommitter recording = new LocalCommitter(group -> {
            List<MetaResult> out = store.stateMachine().apply(group);
            log.addAll(group);
            results.addAll(out);
            return out;
        }, "recording-apply");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            java.util.Random r = new java.util.Random(t);
            futures.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 150; i++) {
                    try {
                        MetaCommitter.await(recording.commit(randomCommand(r, store.writerEpoch())));
                    } catch (MetadataException e) {
                        // refused: part of the log too
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        recording.close();
        assertTrue(results.stream().anyMatch(x -> x instanceof MetaResult.Rejected), "conditions raced");
        assertTrue(recording.groupsApplied() < recording.commandsApplied(), "commands were applied in groups");

        // a fresh store with the same start, fed the log one command at a time
        try (RocksMetadataStore replay = RocksMetadataStore.open(replayDir, new MutableClock(1_700_000_000_000L),
                Duration.ofMinutes(1))) {
            replay.createBucket(bucket("b"));
            for (int i = 0; i < log.size(); i++) {
                assertEquals(java.util.HexFormat.of().formatHex(ResultCodec.encode(results.get(i))),
                        java.util.HexFormat.of().formatHex(ResultCodec.encode(replay.stateMachine().apply(log.get(i)))),
                        "command " + i);
            }
            MetadataStateMachineTest.assertSameRows(MetadataStateMachineTest.dump(store),
                    MetadataStateMachineTest.dump(replay), "after the replay");
        }
    }

    @Test
    void aRefusedCommandInAGroupLeavesNothingAndTheOthersApply() {
        List<ChunkRecord> c = chunks(2);
        List<MetaResult> results = store.stateMachine().apply(List.of(
                put("one", "e1", WriteCondition.MUST_NOT_EXIST),
                new MetaCommand.PutObject("b", "one", chunkedObject("e2", c), c, WriteCondition.MUST_NOT_EXIST, DUE),
                new MetaCommand.CreateBucket(bucket("b")),
                put("two", "e3", WriteCondition.etagMatches("nope")),
                put("three", "e4", WriteCondition.NONE)));

        assertEquals(Optional.empty(), ((MetaResult.Replaced) results.get(0)).previous());
        assertEquals(MetaResult.Rejected.Reason.PRECONDITION_FAILED, ((MetaResult.Rejected) results.get(1)).reason(),
                "the first put of the group is seen by the second");
        assertEquals(MetaResult.Rejected.Reason.BUCKET_EXISTS, ((MetaResult.Rejected) results.get(2)).reason());
        assertEquals(MetaResult.Rejected.Reason.NO_SUCH_KEY, ((MetaResult.Rejected) results.get(3)).reason(),
                "If-Match on a missing object");
        assertEquals(Optional.empty(), ((MetaResult.Replaced) results.get(4)).previous());
        assertEquals("e1", store.getObject("b", "one").orElseThrow().etag());
        assertTrue(store.getChunks(List.of(c.get(0).id())).get(0).isEmpty(), "the refused put wrote no chunk record");
        assertTrue(store.getObject("b", "two").isEmpty());
        assertEquals(new StoreStats(1, 2, 2), store.stats(), "counters follow only what was written");
    }

    @Test
    void aCommandThatCannotReadItsStateFailsAloneWithAStorageFailure() throws Exception {
        store.putObject("b", "bad", inlineObject("e", new byte[0]), List.of(), WriteCondition.NONE);
        RocksHandles h = store.handles();
        h.db.put(h.objects, KeyCodec.objectKey("b", "bad"), new byte[] {(byte) 99, 1, 2});

        CompletableFuture<MetaResult.ObjectResult> tags = store.commit(
                new MetaCommand.SetObjectTags("b", "bad", java.util.Map.of("a", "b")));
        CompletableFuture<MetaResult.Replaced> fine = store.commit(put("fine", "e", WriteCondition.NONE));
        var e = assertThrows(MetadataException.StorageFailure.class, () -> MetaCommitter.await(tags));
        assertTrue(e.getMessage().contains("SET_OBJECT_TAGS"), e.getMessage());
        assertEquals(Optional.empty(), MetaCommitter.await(fine).previous());
        assertTrue(store.getObject("b", "fine").isPresent());
    }

    @Test
    void rejectionsReachTheirCallerAsDomainExceptions() {
        CompletableFuture<MetaResult.Done> dup = store.commit(new MetaCommand.CreateBucket(bucket("b")));
        var e = assertThrows(CompletionException.class, dup::join);
        var exists = assertInstanceOf(MetadataException.BucketAlreadyExists.class, e.getCause());
        assertEquals(bucket("b"), exists.existing());
        assertThrows(MetadataException.NoSuchKey.class,
                () -> store.commitAndWait(new MetaCommand.SetObjectTags("b", "absent", java.util.Map.of())));
    }

    @Test
    void closeAppliesWhatWasQueuedAndRefusesLaterCommits() {
        List<CompletableFuture<MetaResult.Replaced>> queued = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            queued.add(store.commit(put("q-" + i, "e", WriteCondition.NONE)));
        }
        store.close();
        for (CompletableFuture<MetaResult.Replaced> f : queued) {
            assertTrue(f.isDone());
            assertEquals(Optional.empty(), f.join().previous());
        }
        assertThrows(MetadataException.StorageFailure.class,
                () -> store.commitAndWait(put("late", "e", WriteCondition.NONE)));
        store = RocksMetadataStore.open(dir, clock, Duration.ofMinutes(1));
        assertEquals(200, store.stats().objects());
    }
}
