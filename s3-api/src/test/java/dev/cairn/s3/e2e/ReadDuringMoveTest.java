package dev.cairn.s3.e2e;

import dev.cairn.placement.mover.MoverSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A GET that is streaming while the movers take its pieces elsewhere finishes with the right
 * bytes: the old copies stay until the download ends (its read lease), and go right after.
 */
class ReadDuringMoveTest {
    private static final int CHUNK = 64 * 1024;
    private static TestServer server;
    private static S3Client s3;

    @BeforeAll
    static void start() {
        MoverSettings fast = new MoverSettings(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofSeconds(1),
                Duration.ofDays(7), 256L << 20, 2, 4, false);
        server = TestServer.start(c -> c.withChunkSize(CHUNK).withChunkstores(4, List.of()).withProtection("rs2+1")
                .withMovers(fast));
        s3 = server.client();
    }

    @AfterAll
    static void stop() {
        s3.close();
        server.close();
    }

    private static List<Path> pieceFiles(int store) throws IOException {
        Path dir = server.dataDir().resolve("chunks").resolve(Integer.toString(store)).resolve("pieces");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within 60 s");
            }
            Thread.sleep(100);
        }
    }

    @Test
    void aGetStreamingWhileItsPiecesMoveFinishesWithTheRightBytes() throws Exception {
        String bucket = TestServer.uniqueBucket("read-move");
        s3.createBucket(b -> b.bucket(bucket));
        byte[] data = new byte[16 << 20];
        new Random(5).nextBytes(data);
        s3.putObject(b -> b.bucket(bucket).key("big"), RequestBody.fromBytes(data));
        int before = pieceFiles(3).size();
        assertFalse(before == 0, "local-3 holds pieces of the object");

        byte[] got = new byte[data.length];
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key("big"))) {
            int n = in.readNBytes(got, 0, 1 << 20);
            assertEquals(1 << 20, n);
            var drain = AdminHttp.root(server, "POST", "/admin/nodes/local-3/drain", null);
            assertEquals(200, drain.statusCode(), drain.body());
            await("drained", () -> {
                try {
                    JsonObject r = new JsonObject(AdminHttp.root(server, "GET", "/admin/rebalances", null).body());
                    return r.getLong("settledMapVersion") >= r.getLong("mapVersion")
                            && r.getJsonObject("movers").getJsonObject("drain").getLong("piecesMoved") >= before;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            Thread.sleep(1000); // ten times the delete delay
            assertEquals(before, pieceFiles(3).size(), "the old copies stay while the GET holds the chunks");
            int rest = in.readNBytes(got, n, data.length - n);
            assertEquals(data.length - n, rest);
            assertEquals(-1, in.read());
        }
        assertArrayEquals(data, got, "the GET that outlived the moves has the right bytes");
        await("the old copies deleted once the GET ended", () -> {
            try {
                return pieceFiles(3).isEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("big")).asByteArray(),
                "a new GET reads the new placement");
    }
}
