package dev.cairn.metadata;

import static dev.cairn.metadata.Fixtures.bucket;
import static dev.cairn.metadata.Fixtures.inlineObject;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * The metadata disk guard as the committer's admission check: growing commands are refused before
 * they are queued (the state machine never sees them), the others still commit, and a group
 * RocksDB fails for lack of space is reported as OutOfSpace until a group is written again.
 */
class SpaceGuardTest {
    @TempDir
    Path dir;

    @Test
    void belowTheReserveGrowingCommandsAreRefusedBeforeTheyAreQueuedAndDeletesCommit() {
        try (RocksMetadataStore store = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofMinutes(1))) {
            store.createBucket(bucket("b"));
            store.putObject("b", "k", inlineObject("e", new byte[] {1}), List.of(), WriteCondition.NONE);
        }
        // a reserve no disk has: every growing command is refused
        try (RocksMetadataStore store = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofMinutes(1),
                Long.MAX_VALUE / 2)) {
            long applied = store.committer().commandsApplied();
            var e = assertThrows(MetadataException.OutOfSpace.class, () -> store.putObject("b", "k2",
                    inlineObject("e", new byte[] {2}), List.of(), WriteCondition.NONE));
            assertTrue(e.getMessage().contains("metadata disk is full"), e.getMessage());
            assertThrows(MetadataException.OutOfSpace.class, () -> store.createBucket(bucket("c")));
            assertThrows(MetadataException.OutOfSpace.class, () -> store.setObjectTags("b", "k", java.util.Map.of()));
            assertEquals(applied, store.committer().commandsApplied(), "refused commands never reached apply");

            assertTrue(store.deleteObject("b", "k", WriteCondition.NONE).isPresent(), "deletes still commit");
            store.deleteBucket("b");
            assertTrue(store.getBucket("b").isEmpty());
        }
    }

    @Test
    void aGroupRocksDbFailsForSpaceIsOutOfSpaceUntilAGroupIsWrittenAgain() {
        SpaceGuard guard = new SpaceGuard(dir, 0, () -> 0);
        MetaCommand<?> grow = new MetaCommand.CreateBucket(bucket("b"));
        MetaCommand<?> delete = new MetaCommand.DeleteBucket("b", 0);
        guard.admit(grow); // no reserve: admitted

        RuntimeException other = new MetadataException.StorageFailure("x", new RocksDBException("corrupt"));
        assertSame(other, guard.failed(other), "a failure not about space stays what it is");
        guard.admit(grow);

        RuntimeException enospc = new MetadataException.StorageFailure("applying failed",
                new RocksDBException("IO error", new Status(Status.Code.IOError, Status.SubCode.NoSpace, "")));
        assertTrue(guard.failed(enospc) instanceof MetadataException.OutOfSpace);
        assertThrows(MetadataException.OutOfSpace.class, () -> guard.admit(grow), "growing refused after ENOSPC");
        guard.admit(delete);
        guard.written(List.of(delete));
        guard.admit(grow); // RocksDB wrote again
        assertTrue(guard.failed(new MetadataException.StorageFailure("f", new RocksDBException(
                "While appending to file: No space left on device"))) instanceof MetadataException.OutOfSpace);
    }
}
