package dev.cairn.s3.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A server restarted on the same data dir with fewer in-process chunkstores (the README's old
 * one-machine recipe reused ./data with --chunkstores 0) must not keep the missing ones as UP
 * nodes with a frozen heartbeat: they are DOWN, no write or read is sent to them, and GETs and
 * PUTs work from the chunkstores that are there.
 */
class PhantomLocalNodeTest {

    private static Map<String, String> states(TestServer server) throws Exception {
        JsonArray nodes = new JsonObject(AdminHttp.root(server, "GET", "/admin/nodes", null).body()).getJsonArray("nodes");
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            out.put(nodes.getJsonObject(i).getString("id"), nodes.getJsonObject(i).getString("state"));
        }
        return out;
    }

    /** Issue 10, behaviour 11: the old embedded node stayed "UP" with a frozen heartbeat, GETs reset and PUTs 500. */
    @Test
    void aServerRestartedWithFewerChunkstoresKeepsNoPhantomLocalNode() throws Exception {
        AtomicInteger stores = new AtomicInteger(3);
        try (TestServer server = TestServer.start(c -> c.withChunkstores(stores.get(), List.of())
                .withProtection("auto").withChunkSize(64 * 1024)
                .withMovers(FaultyCluster.movers(Duration.ofMinutes(10), false)))) {
            byte[] data = new byte[200_000];
            new Random(4).nextBytes(data);
            try (S3Client s3 = server.client()) {
                s3.createBucket(b -> b.bucket("phantom"));
                s3.putObject(b -> b.bucket("phantom").key("before"), RequestBody.fromBytes(data));
            }
            stores.set(1);
            server.restart();
            Map<String, String> states = states(server);
            assertEquals("UP", states.get("local-0"));
            assertNotEquals("UP", states.get("local-1"), "local-1 is not in this process: " + states);
            assertNotEquals("UP", states.get("local-2"), "local-2 is not in this process: " + states);
            try (S3Client s3 = server.client()) {
                for (int i = 0; i < 5; i++) {
                    assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("phantom").key("before")).asByteArray());
                }
                s3.putObject(b -> b.bucket("phantom").key("after"), RequestBody.fromBytes(data));
                assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("phantom").key("after")).asByteArray());
            }
            JsonObject summary = new JsonObject(AdminHttp.root(server, "GET", "/admin/summary", null).body());
            assertEquals(1, summary.getInteger("writableNodes"), summary.encodePrettily());
        }
    }
}
