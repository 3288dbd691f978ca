package dev.cairn.placement;

import dev.cairn.metadata.NodeState;
import dev.cairn.metadata.RocksMetadataStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Silent chunkstores go DOWN, unless the server has heard none at all where that proves nothing. */
class ClusterMapTest {
    private static final MembershipSettings SETTINGS = MembershipSettings.of(Duration.ofSeconds(5), Duration.ofSeconds(15));

    @TempDir
    Path dir;

    private final StepClock clock = new StepClock();

    @Test
    void aServerThatHeardNoChunkstoreDoesNotMarkThemDownWhenAskedToWaitForOne() {
        Path meta = dir.resolve("meta");
        try (RocksMetadataStore store = RocksMetadataStore.open(meta, clock, Duration.ofMinutes(1))) {
            ClusterMap before = new ClusterMap(store, clock, SETTINGS);
            before.heartbeat(heartbeat("n1"));
            before.heartbeat(heartbeat("n2"));
        }
        try (RocksMetadataStore store = RocksMetadataStore.open(meta, clock, Duration.ofMinutes(1))) {
            ClusterMap map = new ClusterMap(store, clock, SETTINGS);
            clock.advance(Duration.ofMinutes(5)); // long past DOWN for every node, and none heard
            assertFalse(map.tick(true), "no chunkstore has talked to this server: nothing is marked");
            assertEquals(NodeState.UP, map.node("n1").state());

            map.heartbeat(heartbeat("n1"));
            assertTrue(map.tick(true), "once one chunkstore is heard, the silent one is judged");
            assertEquals(NodeState.UP, map.node("n1").state());
            assertEquals(NodeState.DOWN, map.node("n2").state());
        }
    }

    @Test
    void withoutWaitingSilentChunkstoresGoSuspectThenDown() {
        try (RocksMetadataStore store = RocksMetadataStore.open(dir.resolve("meta"), clock, Duration.ofMinutes(1))) {
            ClusterMap map = new ClusterMap(store, clock, SETTINGS);
            map.heartbeat(heartbeat("n1"));
            clock.advance(SETTINGS.suspectAfter().plusSeconds(1));
            assertTrue(map.tick(false));
            assertEquals(NodeState.SUSPECT, map.node("n1").state());
            clock.advance(SETTINGS.downAfter());
            assertTrue(map.tick());
            assertEquals(NodeState.DOWN, map.node("n1").state());
        }
    }

    private static ClusterMap.Heartbeat heartbeat(String id) {
        return new ClusterMap.Heartbeat(id, "http://127.0.0.1:91" + id.substring(1), "", 1L << 30, 0, 0);
    }

    private static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-12-07T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
