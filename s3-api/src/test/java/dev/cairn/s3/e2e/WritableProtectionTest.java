package dev.cairn.s3.e2e;

import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.PieceLocation;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Automatic protection is chosen from the nodes that can take the pieces, so a new chunk is
 * never written a piece short: six chunkstores give RS 4+2, and with one of them draining the
 * five writable ones give RS 3+2 - every piece on its own node, nothing left for repair.
 */
class WritableProtectionTest {

    /** Issue 10, behaviour 4: auto protection counted draining and dead nodes and every PUT missed a piece. */
    @Test
    void newChunksGetTheProtectionTheWritableNodesCanHold() throws Exception {
        try (FaultyCluster c = FaultyCluster.start(6, "auto", FaultyCluster.movers(Duration.ofMinutes(10), true))) {
            assertEquals("RS 4+2", c.summary().getString("protection"));
            c.admin("POST", "/admin/nodes/local-5/drain");
            JsonObject summary = c.summary();
            assertEquals(5, summary.getInteger("writableNodes"));
            assertEquals("RS 3+2", summary.getString("protection"), summary.encodePrettily());

            byte[] data = FaultyCluster.random(3 * FaultyCluster.CHUNK + 7, 11);
            c.s3.createBucket(b -> b.bucket("writable"));
            c.s3.putObject(b -> b.bucket("writable").key("k"), RequestBody.fromBytes(data));
            List<ChunkRecord> chunks = c.chunksOf("writable", "k");
            for (ChunkRecord chunk : chunks) {
                assertEquals("RS 3+2", chunk.protection().describe());
                assertEquals(5, chunk.pieces().size(), chunk.toString());
                assertEquals(5, chunk.pieces().stream().map(PieceLocation::nodeId).distinct().count());
                assertTrue(chunk.pieces().stream().noneMatch(l -> l.nodeId().equals("local-5")));
            }
            Thread.sleep(300); // repair rows are written after the answer
            assertEquals(List.of(), c.metadata().listRepairs(100), "no piece left for repair");
            assertArrayEquals(data, c.get("writable", "k"));
        }
    }
}
