package dev.cairn.metadata.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.MetaCommand;
import dev.cairn.metadata.MetaResult;
import dev.cairn.metadata.MetadataException;
import dev.cairn.metadata.RocksMetadataStore;
import dev.cairn.metadata.StoreRows;

/**
 * Three metadata peers in this JVM, each with its own RocksDB, Raft log and gRPC port: commands
 * committed through any of them are applied identically by all; the group survives losing its
 * leader; a peer whose data is wiped catches up by snapshot; reads after a write on another peer
 * see it.
 */
class ReplicatedMetadataTest {
    @TempDir
    Path root;
    private final Map<String, ReplicatedMetadata> peers = new TreeMap<>();
    private MetadataPeers spec;
    private long snapshotEvery = 10_000;
    private long segmentBytes = 8L << 20;

    @AfterEach
    void closeAll() {
        peers.values().forEach(ReplicatedMetadata::close);
    }

    private void startGroup() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String id : List.of("a", "b", "c")) {
            try (ServerSocket s = new ServerSocket(0)) {
                sb.append(sb.length() == 0 ? "" : ",").append(id).append("=127.0.0.1:").append(s.getLocalPort());
            }
        }
        spec = MetadataPeers.parse(sb.toString());
        for (String id : List.of("a", "b", "c")) {
            start(id);
        }
        waitFor("every peer opened its epoch", () -> peers.values().stream().allMatch(ReplicatedMetadata::ready));
    }

    private ReplicatedMetadata start(String id) throws IOException {
        ReplicatedMetadata.Settings s = ReplicatedMetadata.Settings.of(spec, id, root.resolve(id), Clock.systemUTC(),
                Duration.ofMinutes(5), 0).withSnapshotEvery(snapshotEvery, segmentBytes);
        ReplicatedMetadata m = ReplicatedMetadata.start(s);
        peers.put(id, m);
        return m;
    }

    private String leader() {
        waitFor("a leader", () -> peers.values().stream().anyMatch(ReplicatedMetadata::isLeader));
        return peers.values().stream().filter(ReplicatedMetadata::isLeader).findFirst().orElseThrow().selfId();
    }

    static void waitFor(String what, BooleanSupplier fact) {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!fact.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static BucketRecord bucket(String name) {
        return new BucketRecord(name, "owner", 1_750_000_000_000L, "us-east-1");
    }

    /** Waits until every running peer has applied what the group committed, then compares all rows. */
    private void assertReplicasIdentical() throws Exception {
        for (ReplicatedMetadata m : peers.values()) {
            m.store().getBucket("barrier"); // read barrier: applied up to the commit index seen
        }
        List<String> first = null;
        String firstId = null;
        for (Map.Entry<String, ReplicatedMetadata> e : peers.entrySet()) {
            List<String> rows = e.getValue().local(r -> {
                try {
                    return StoreRows.dump(r);
                } catch (Exception x) {
                    throw new AssertionError(x);
                }
            });
            if (first == null) {
                first = rows;
                firstId = e.getKey();
            } else {
                assertEquals(first.size(), rows.size(), "rows of " + firstId + " and " + e.getKey());
                for (int i = 0; i < first.size(); i++) {
                    assertEquals(first.get(i), rows.get(i), "row " + i + " of " + firstId + " and " + e.getKey());
                }
            }
        }
    }

    @Test
    void commandsThroughAnyPeerGiveByteIdenticalReplicas() throws Exception {
        startGroup();
        List<MetaCommand<?>> script = StoreRows.script(42);
        List<ReplicatedMetadata> gateways = new ArrayList<>(peers.values());
        List<CompletableFuture<?>> sent = new ArrayList<>();
        // the script is ordered: each command goes through a different gateway, but waits for the one before
        for (int i = 0; i < script.size(); i++) {
            sent.add(gateways.get(i % 3).store().commit(script.get(i)).exceptionally(e -> null));
            sent.get(i).join();
        }
        assertReplicasIdentical();
        // and concurrent commits through all three, grouped into entries by each committer
        List<CompletableFuture<?>> concurrent = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            concurrent.add(gateways.get(i % 3).store().commit(new MetaCommand.CreateBucket(bucket("c-" + i))));
        }
        CompletableFuture.allOf(concurrent.toArray(CompletableFuture[]::new)).join();
        assertReplicasIdentical();
        for (ReplicatedMetadata m : gateways) {
            assertTrue(m.store().getBucket("c-149").isPresent());
        }
        long entries = gateways.stream().mapToLong(m -> m.stats().entries()).sum();
        long commands = gateways.stream().mapToLong(m -> m.stats().commands()).sum();
        assertTrue(entries < commands, "commands shared log entries: " + entries + " entries for " + commands);
        // a rejection travels back as the domain exception
        MetadataException e = assertThrows(MetadataException.class,
                () -> gateways.get(1).store().createBucket(bucket("c-1")));
        assertTrue(e instanceof MetadataException.BucketAlreadyExists, e.toString());
    }

    @Test
    void aReadOnAnotherPeerRightAfterAWriteSeesIt() throws Exception {
        startGroup();
        List<ReplicatedMetadata> gateways = new ArrayList<>(peers.values());
        for (int i = 0; i < 80; i++) {
            ReplicatedMetadata writer = gateways.get(i % 3);
            ReplicatedMetadata reader = gateways.get((i + 1) % 3);
            writer.store().createBucket(bucket("lin-" + i));
            assertTrue(reader.store().getBucket("lin-" + i).isPresent(), "bucket lin-" + i + " on " + reader.selfId());
        }
    }

    @Test
    void losingTheLeaderLosesNothingAndAWipedPeerCatchesUpBySnapshot() throws Exception {
        snapshotEvery = 40;
        segmentBytes = 16 << 10;
        startGroup();
        for (int i = 0; i < 100; i++) {
            peers.get("a").store().createBucket(bucket("before-" + i));
        }
        String old = leader();
        peers.remove(old).close();
        List<String> alive = new ArrayList<>(peers.keySet());
        // writes go on through either survivor once they elect a leader
        for (int i = 0; i < 200; i++) {
            peers.get(alive.get(i % 2)).store().createBucket(bucket("after-" + i));
        }
        String now = leader();
        assertFalse(now.equals(old));
        ReplicatedMetadata.Status s = peers.get(now).status();
        assertTrue(s.snapshotIndex() > 0, "the leader took a snapshot: " + s);
        assertTrue(s.logStartIndex() > 1, "the log before the snapshot was purged: " + s);

        // the old leader comes back with nothing: no database, no log
        deleteTree(root.resolve(old));
        ReplicatedMetadata back = start(old);
        waitFor(old + " catches up", () -> back.local(r -> r.getBucket("after-199").isPresent()));
        assertTrue(back.status().snapshotIndex() > 0, "caught up by installing a snapshot: " + back.status());
        waitFor(old + " opens a new epoch", back::ready);
        assertReplicasIdentical();
        for (ReplicatedMetadata m : peers.values()) {
            assertTrue(m.store().getBucket("before-0").isPresent());
            assertTrue(m.store().getBucket("after-0").isPresent());
        }
        assertEquals(300, back.store().listBuckets().size());
    }

    @Test
    void aCheckpointOpensAsAStore() throws Exception {
        startGroup();
        peers.get("b").store().createBucket(bucket("kept"));
        Path out = root.resolve("backup");
        peers.get("c").snapshot(out);
        try (RocksMetadataStore restored = RocksMetadataStore.open(out, Clock.systemUTC(), Duration.ofMinutes(5))) {
            assertTrue(restored.getBucket("kept").isPresent());
        }
        assertTrue(Files.exists(out));
    }

    @Test
    void peerListsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> MetadataPeers.parse("a=h:1,b=h:2"));
        assertThrows(IllegalArgumentException.class, () -> MetadataPeers.parse("a=h:1,a=h:2,c=h:3"));
        assertThrows(IllegalArgumentException.class, () -> MetadataPeers.parse("a=h,b=h:2,c=h:3"));
        assertThrows(IllegalArgumentException.class, () -> MetadataPeers.parse("a=h:1,b=h:2,c=h:99999"));
        assertThrows(IllegalArgumentException.class, () -> MetadataPeers.parse("a=h:1,b=h:2,c=h:3").self("d"));
        assertEquals("h2:9400", MetadataPeers.parse("a=h1:9400, b=h2:9400 ,c=h3:9400").self("b").address());
    }

    private static void deleteTree(Path p) throws IOException {
        ReplicatedStore.deleteTree(p);
    }

    @SuppressWarnings("unused")
    private static MetaResult ignore(MetaResult r) {
        return r;
    }
}
