package dev.cairn.metadata.ratis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cairn.metadata.BucketRecord;
import dev.cairn.metadata.StoreRows;

/**
 * Adding and removing metadata peers at run time, with four peers in this JVM: a server started to
 * join waits without campaigning, is added while writes go on, catches up by snapshot and log to
 * a byte-identical replica and serves; the leader is removed (leadership moves first) and writes
 * go on; removals that would leave fewer than three peers, or name no peer, are refused.
 */
class MetadataMembershipTest {
    @TempDir
    Path root;
    private final Map<String, ReplicatedMetadata> peers = new TreeMap<>();
    private final Map<String, Integer> ports = new TreeMap<>();

    @AfterEach
    void closeAll() {
        peers.values().forEach(ReplicatedMetadata::close);
    }

    private static BucketRecord bucket(String name) {
        return new BucketRecord(name, "owner", 1_750_000_000_000L, "us-east-1");
    }

    private MetadataPeers spec(List<String> ids) {
        StringBuilder sb = new StringBuilder();
        for (String id : ids) {
            sb.append(sb.length() == 0 ? "" : ",").append(id).append("=127.0.0.1:").append(ports.get(id));
        }
        return MetadataPeers.parse(sb.toString());
    }

    private ReplicatedMetadata start(String id, MetadataPeers spec, boolean join) throws IOException {
        ReplicatedMetadata m = ReplicatedMetadata.start(ReplicatedMetadata.Settings.of(spec, id, root.resolve(id),
                Clock.systemUTC(), Duration.ofMinutes(5), 0).withSnapshotEvery(40, 16 << 10).joining(join));
        peers.put(id, m);
        return m;
    }

    private String leader() {
        ReplicatedMetadataTest.waitFor("a leader", () -> peers.values().stream().anyMatch(ReplicatedMetadata::isLeader));
        return peers.values().stream().filter(ReplicatedMetadata::isLeader).findFirst().orElseThrow().selfId();
    }

    /** Every running peer applied what the group committed and holds the same rows in every column family. */
    private void assertReplicasIdentical() {
        List<String> first = null;
        String firstId = null;
        for (ReplicatedMetadata m : peers.values()) {
            m.store().getBucket("barrier"); // a read barrier: applied up to the commit index
        }
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
                continue;
            }
            assertEquals(first.size(), rows.size(), "rows of " + firstId + " and " + e.getKey());
            for (int i = 0; i < first.size(); i++) {
                assertEquals(first.get(i), rows.get(i), "row " + i + " of " + firstId + " and " + e.getKey());
            }
        }
    }

    private static ReplicatedMetadata.PeerStatus peer(List<ReplicatedMetadata.PeerStatus> list, String id) {
        return list.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no peer " + id + " in " + list));
    }

    @Test
    void aJoiningPeerCatchesUpToAnIdenticalReplicaAndTheLeaderCanBeRemoved() throws Exception {
        for (String id : List.of("a", "b", "c", "d")) {
            try (ServerSocket s = new ServerSocket(0)) {
                ports.put(id, s.getLocalPort());
            }
        }
        MetadataPeers founders = spec(List.of("a", "b", "c"));
        for (String id : List.of("a", "b", "c")) {
            start(id, founders, false);
        }
        ReplicatedMetadataTest.waitFor("the founders are ready",
                () -> peers.values().stream().allMatch(ReplicatedMetadata::ready));
        for (int i = 0; i < 120; i++) { // past a snapshot and a purged log segment
            peers.get(List.of("a", "b", "c").get(i % 3)).store().createBucket(bucket("before-" + i));
        }
        String firstLeader = leader();
        long termBefore = peers.get(firstLeader).status().term();

        // adding d before its server runs: shown as joining and not caught up while the leader
        // tries, then refused for making no progress, the group unchanged
        String asked = List.of("a", "b", "c").stream().filter(id -> !id.equals(firstLeader)).findFirst().orElseThrow();
        java.util.concurrent.CompletableFuture<Object> early = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return peers.get(asked).addPeer("d", "127.0.0.1", ports.get("d"));
            } catch (Exception e) {
                return e;
            }
        });
        ReplicatedMetadataTest.waitFor("d shows as joining", () -> {
            try {
                return peers.get(firstLeader).status(true).peers().stream()
                        .anyMatch(p -> p.id().equals("d") && p.role().equals("joining") && !p.caughtUp());
            } catch (IOException e) {
                return false;
            }
        });
        Object outcome = early.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(outcome instanceof IOException, "adding a peer that never answers fails: " + outcome);
        assertEquals(List.of("a", "b", "c"), peers.get(asked).status(true).peers().stream()
                .map(ReplicatedMetadata.PeerStatus::id).sorted().toList());

        // d starts to join: it waits, never campaigns, and the group goes on as it was
        ReplicatedMetadata d = start("d", spec(List.of("a", "b", "c", "d")), true);
        AtomicInteger installs = new AtomicInteger();
        d.onSnapshotInstalled(installs::incrementAndGet);
        Thread.sleep(3_000); // longer than an election timeout (1-2 s)
        assertFalse(d.ready());
        assertFalse(d.isLeader());
        assertTrue(d.notReadyReason().contains("waiting to be added"), d.notReadyReason());
        assertFalse(d.status().member());
        assertEquals(termBefore, peers.get(leader()).status().term(), "the joining peer disturbed no election");

        // added through a follower while writes go on through the founders
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger during = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        Thread writer = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                try {
                    peers.get(List.of("a", "b", "c").get(i % 3)).store().createBucket(bucket("during-" + i));
                    during.incrementAndGet();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
                i++;
            }
        }, "writer");
        writer.start();
        String follower = List.of("a", "b", "c").stream().filter(id -> !id.equals(firstLeader)).findFirst().orElseThrow();
        List<ReplicatedMetadata.PeerStatus> after = peers.get(follower).addPeer("d", "127.0.0.1", ports.get("d"));
        ReplicatedMetadataTest.waitFor("writes after the change", () -> during.get() > 50);
        stop.set(true);
        writer.join();
        assertEquals(List.of(), List.copyOf(failures), "writes failed while d was added");
        assertEquals(4, after.size(), after.toString());
        assertEquals("follower", peer(after, "d").role(), after.toString());

        ReplicatedMetadataTest.waitFor("d is ready", d::ready);
        assertTrue(d.status().member());
        assertTrue(d.status().snapshotIndex() > 0, "d caught up by installing a snapshot: " + d.status());
        assertTrue(installs.get() >= 1, "the gateway was told to reload what it caches");
        assertTrue(d.store().getBucket("before-0").isPresent());
        assertTrue(d.store().getBucket("during-" + (during.get() - 1)).isPresent());
        d.store().createBucket(bucket("through-d"));
        assertReplicasIdentical();
        for (ReplicatedMetadata m : peers.values()) {
            ReplicatedMetadataTest.waitFor(m.selfId() + " sees four caught-up peers", () -> {
                try {
                    List<ReplicatedMetadata.PeerStatus> view = m.status(true).peers();
                    return view.size() == 4 && view.stream().allMatch(ReplicatedMetadata.PeerStatus::caughtUp);
                } catch (IOException e) {
                    return false;
                }
            });
        }

        // the leader is removed through another peer: leadership moves first, writes go on
        String oldLeader = leader();
        String asker = peers.keySet().stream().filter(id -> !id.equals(oldLeader)).findFirst().orElseThrow();
        List<ReplicatedMetadata.PeerStatus> three = peers.get(asker).removePeer(oldLeader);
        assertEquals(3, three.size(), three.toString());
        assertTrue(three.stream().noneMatch(p -> p.id().equals(oldLeader)), three.toString());
        peers.remove(oldLeader).close();
        assertNotEquals(oldLeader, leader());
        assertEquals(List.of(), peers.get(asker).local(r -> r.openEpochsOf(oldLeader)),
                "the removed peer's writer epoch is retired: its unfinished uploads' pieces become garbage");
        assertEquals(1, peers.get(asker).local(r -> r.openEpochsOf(asker)).size(), "the others' epochs stay open");
        List<String> left = new ArrayList<>(peers.keySet());
        for (int i = 0; i < 30; i++) {
            peers.get(left.get(i % 3)).store().createBucket(bucket("after-" + i));
        }
        assertReplicasIdentical();
        assertEquals(120 + during.get() + 1 + 30, d.store().listBuckets().size());

        // three is the fewest: a removal is refused, and an unknown peer is not found
        MetadataMembership.Refused refused = assertThrows(MetadataMembership.Refused.class,
                () -> peers.get(left.get(0)).removePeer(left.get(1)));
        assertTrue(refused.getMessage().contains("at least 3"), refused.getMessage());
        assertThrows(MetadataMembership.NoSuchPeer.class, () -> peers.get(left.get(0)).removePeer("zz"));
        assertEquals(3, peers.get(left.get(0)).status(true).peers().size());
        peers.get(left.get(2)).store().createBucket(bucket("still-writable"));
    }
}
