package dev.cairn.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every write acknowledged before a kill -9 is there after reopening. */
class CrashRecoveryTest {

    @Test
    void syncedWritesSurviveKill9(@TempDir Path dir) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classpath, CrashWriter.class.getName(), dir.toString())
                .redirectErrorStream(true)
                .start();
        int lastAck = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (lastAck < 50 && (line = out.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    lastAck = Integer.parseInt(line.substring(4));
                }
            }
            // kill -9 while the child keeps writing; acks it printed after our last read are not checked
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertTrue(lastAck >= 50, "child acknowledged " + lastAck);
        assertEquals(137, child.exitValue());

        try (RocksMetadataStore store = RocksMetadataStore.open(dir, Clock.systemUTC(), Duration.ofHours(1))) {
            for (int i = 0; i <= lastAck; i++) {
                assertEquals("e" + i, store.getObject("crash", "key-" + i).orElseThrow().etag(), "key-" + i);
                ChunkId chunk = store.getObject("crash", "key-" + i).orElseThrow().chunks().get(0).id();
                assertTrue(store.getChunks(List.of(chunk)).get(0).isPresent());
            }
            assertTrue(store.stats().objects() >= lastAck + 1);
        }
    }
}
