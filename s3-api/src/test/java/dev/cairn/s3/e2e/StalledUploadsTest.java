package dev.cairn.s3.e2e;

import dev.cairn.s3.ServerConfig;
import dev.cairn.s3.data.IngestBudget;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.services.s3.S3Client;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads whose clients send a byte and stall hold kilobytes each, not a chunk buffer; after the
 * request body timeout each gets S3's answer, 400 RequestTimeout; and meanwhile other clients are
 * served. (With -Xmx256m and 500 stalled uploads: StalledUploadsIT in the tools module.)
 */
class StalledUploadsTest {
    private static final int STALLED = 100;
    private static final long DECLARED = 100L << 20;

    private static long usedHeapAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static long usedDirect() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    /** Issue 10, behaviour 8: 160 one-byte stalled uploads took a 512 MiB heap to OutOfMemoryError. */
    @Test
    void stalledUploadsHoldLittleMemoryTimeOutWithRequestTimeoutAndOthersAreServed() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withLimits(
                new ServerConfig.Limits(0, Duration.ofSeconds(3))));
             S3Client s3 = server.client()) {
            s3.createBucket(b -> b.bucket("stall"));
            long before = usedHeapAfterGc();
            long directBefore = usedDirect();
            long reservedBefore = IngestBudget.shared().reserved();
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < STALLED; i++) {
                RawHttp.Request put = RawHttp.signed(SdkHttpMethod.PUT,
                        server.endpoint().resolve("/stall/stalled-" + i), Map.of(), new byte[0],
                        r -> r.putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false))
                        .withHeader("Content-Length", Long.toString(DECLARED)).withHeader("Expect", "100-continue")
                        .withBody(new byte[1]);
                stalled.add(RawHttp.sendStalled(put, 1));
            }
            Thread.sleep(300); // every upload is reading its body (100 Continue came): its byte has arrived
            long held = usedHeapAfterGc() - before;
            assertTrue(held < 64L << 20, STALLED + " stalled uploads hold " + (held >> 20) + " MiB of heap");
            // chunk buffers are direct memory: a stalled upload holds its first small buffer, not a chunk
            long direct = usedDirect() - directBefore;
            assertTrue(direct < 16L << 20, STALLED + " stalled uploads hold " + (direct >> 20) + " MiB of direct memory");
            long reserved = IngestBudget.shared().reserved() - reservedBefore;
            assertTrue(reserved <= STALLED * 64L * 1024, STALLED + " stalled uploads hold " + reserved
                    + " bytes of upload buffers");

            byte[] data = new byte[10 << 20];
            new Random(1).nextBytes(data);
            s3.putObject(b -> b.bucket("stall").key("served"), RequestBody.fromBytes(data));
            assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket("stall").key("served")).asByteArray());

            for (Socket socket : stalled) {
                RawHttp.Response r = RawHttp.readAnswer(socket);
                assertNotNull(r, "an answer, not a dropped connection");
                assertEquals(400, r.status(), r.toString());
                assertEquals("RequestTimeout", r.errorCode(), r.toString());
            }
            assertTrue(s3.listObjectsV2(b -> b.bucket("stall")).contents().stream()
                    .noneMatch(o -> o.key().startsWith("stalled-")), "nothing stored for them");
        }
    }
}
