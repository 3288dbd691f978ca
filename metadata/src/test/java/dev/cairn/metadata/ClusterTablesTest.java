package dev.cairn.metadata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusterTablesTest {
    @TempDir
    Path dir;

    private static NodeRecord node(String id, NodeState state) {
        return new NodeRecord(id, "http://127.0.0.1:9100", "z1", 1L << 40, 123, 7, state, 1000, 500);
    }

    @Test
    void nodesRoundTripAndTheMapVersionCountsChangesOnly() {
        try (RocksMetadataStore s = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofSeconds(1))) {
            assertEquals(0, s.clusterMapVersion());
            assertEquals(1, s.putNodes(List.of(node("b", NodeState.UP), node("a", NodeState.UP)), true));
            assertEquals(1, s.putNodes(List.of(node("a", NodeState.UP)), false), "a heartbeat is not a map change");
            assertEquals(2, s.putNodes(List.of(node("a", NodeState.DOWN)), true));
            assertEquals(List.of(node("a", NodeState.DOWN), node("b", NodeState.UP)), s.listNodes());
        }
        try (RocksMetadataStore s = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofSeconds(1))) {
            assertEquals(2, s.clusterMapVersion(), "the version survives a restart");
            assertEquals(2, s.listNodes().size());
        }
    }

    private static NodeRecord beat(NodeRecord n, long used, long pieces, long at) {
        return new NodeRecord(n.id(), n.address(), n.zone(), n.capacity(), used, pieces, n.state(), at, n.joinedMillis());
    }

    @Test
    void heartbeatsStayInMemoryAndARestartCountsSilenceFromItsStart() {
        MutableClock clock = new MutableClock(10_000);
        NodeRecord a = node("a", NodeState.UP);
        try (RocksMetadataStore s = RocksMetadataStore.open(dir, clock, Duration.ofSeconds(1))) {
            s.putNodes(List.of(a), true);
            long commands = s.committer().commandsApplied();
            s.putNodes(List.of(beat(a, 999, 42, 5000)), false);
            assertEquals(commands, s.committer().commandsApplied(), "a heartbeat is no command");
            assertEquals(List.of(beat(a, 999, 42, 5000)), s.listNodes(), "but the map shows its numbers");
        }
        clock.advance(Duration.ofMinutes(1));
        try (RocksMetadataStore s = RocksMetadataStore.open(dir, clock, Duration.ofSeconds(1))) {
            assertEquals(List.of(beat(a, 123, 7, clock.millis())), s.listNodes(),
                    "the stored record, heard last when this process started watching");
        }
    }

    @Test
    void bucketDefaultStorageClassIsStoredAndOldRecordsStillRead() {
        try (RocksMetadataStore s = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofSeconds(1))) {
            s.createBucket(new BucketRecord("b1", "o", 1, "us-east-1"));
            assertEquals(null, s.getBucket("b1").orElseThrow().defaultStorageClass());
            s.setDefaultStorageClass("b1", "REDUCED_REDUNDANCY");
            assertEquals("REDUCED_REDUNDANCY", s.getBucket("b1").orElseThrow().defaultStorageClass());
            org.junit.jupiter.api.Assertions.assertThrows(MetadataException.NoSuchBucket.class,
                    () -> s.setDefaultStorageClass("nope", "STANDARD"));
        }
        byte[] v1 = new ByteWriter(16).u8(MetadataSchema.BUCKET_V1).string("old").string("o").varLong(5)
                .string("eu-west-1").toByteArray();
        assertEquals(new BucketRecord("old", "o", 5, "eu-west-1", null), RecordCodec.decodeBucket(v1));
    }

    @Test
    void repairsAreRecordedListedAndCleared() {
        try (RocksMetadataStore s = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofSeconds(1))) {
            ChunkId c = ChunkId.random();
            RepairRecord r0 = new RepairRecord(c, 0, "write-failed", "n1", 10);
            RepairRecord r4 = new RepairRecord(c, 4, "corrupt", "n2", 11);
            s.recordRepairs(List.of(r4, r0));
            assertEquals(List.of(r0, r4), s.listRepairs(10));
            assertEquals(List.of(r0), s.listRepairs(1));
            s.clearRepairs(List.of(r0));
            assertEquals(List.of(r4), s.listRepairs(10));
        }
    }
}
