package dev.cairn.s3.e2e;

import static dev.cairn.s3.e2e.S3Asserts.assertS3Error;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cairn.chunkstore.FaultInjectingChunkStoreClient;
import dev.cairn.metadata.ChunkRecord;
import dev.cairn.metadata.PieceLocation;
import dev.cairn.s3.lifecycle.LifecycleSettings;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * Lifecycle transitions end to end, with the AWS SDK, on a server with six in-process chunkstores
 * (behind fault injectors), RS 4+2 as the default protection, STANDARD_IA on 2 copies,
 * INTELLIGENT_TIERING on 3 copies and ONEZONE_IA on RS 3+3, and a lifecycle day of one second:
 * a Transition re-protects an object's chunks (pieces counted before and after, the old ones
 * collected) and the object reads back byte for byte with its new storage class everywhere S3
 * shows one; a noncurrent version moves and the current one stays; an overwrite during a
 * transition wins; a chunk with a node down is moved, or deferred with the reason while the
 * target cannot be written in full, and never lost.
 */
class LifecycleTransitionTest {
    private static final int CHUNK = FaultyCluster.CHUNK;
    private static final String CLASSES = "STANDARD_IA=2copies,INTELLIGENT_TIERING=3copies,ONEZONE_IA=rs3+3";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static FaultyCluster shared;

    @BeforeAll
    static void start() {
        shared = cluster();
    }

    @AfterAll
    static void stop() {
        shared.close();
    }

    private static FaultyCluster cluster() {
        return FaultyCluster.start(6, c -> c.withProtection("rs4+2").withStorageClasses(CLASSES)
                .withMovers(FaultyCluster.movers(Duration.ofMinutes(10), true))
                .withLifecycle(LifecycleSettings.of(1, 1000)).withGcGrace(Duration.ofSeconds(1)));
    }

    private static String bucket(FaultyCluster c, String hint) {
        String b = hint + "-" + BUCKETS.incrementAndGet();
        c.s3.createBucket(r -> r.bucket(b));
        return b;
    }

    private static LifecycleRule.Builder rule(String id, String prefix) {
        return LifecycleRule.builder().id(id).status(ExpirationStatus.ENABLED)
                .filter(LifecycleRuleFilter.builder().prefix(prefix).build());
    }

    private static void lifecycle(FaultyCluster c, String bucket, LifecycleRule... rules) {
        c.s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(l -> l.rules(rules)));
    }

    private static JsonObject info(FaultyCluster c, String bucket, String key, String versionId) throws Exception {
        return c.admin("GET", "/admin/object?bucket=" + query(bucket) + "&key=" + query(key)
                + (versionId == null ? "" : "&versionId=" + query(versionId)));
    }

    private static String query(String v) {
        return java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String storageClass(FaultyCluster c, String bucket, String key, String versionId) {
        try {
            return info(c, bucket, key, versionId).getString("storageClass");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject lifecycleStatus(FaultyCluster c) throws Exception {
        return c.admin("GET", "/admin/lifecycle");
    }

    private static long total(FaultyCluster c, String count) throws Exception {
        return lifecycleStatus(c).getJsonObject("totals").getLong(count);
    }

    private static void await(FaultyCluster c, String fact, BooleanSupplier check) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("timed out waiting until " + fact + "; lifecycle: "
                        + lifecycleStatus(c).encodePrettily());
            }
            Thread.sleep(100);
        }
    }

    /** Waits for two more lifecycle passes: everything due before this call was looked at. */
    private static void awaitPasses(FaultyCluster c) throws Exception {
        long from = lifecycleStatus(c).getLong("passes");
        await(c, "two more passes", () -> {
            try {
                return lifecycleStatus(c).getLong("passes") >= from + 2;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static double metric(FaultyCluster c, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(c.metrics());
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }

    private static List<Path> pieceFiles(FaultyCluster c, List<ChunkRecord> chunks) {
        List<Path> out = new ArrayList<>();
        for (ChunkRecord chunk : chunks) {
            for (PieceLocation p : chunk.pieces()) {
                out.add(c.pieceFile(p.nodeId(), chunk.id(), p.index()));
            }
        }
        return out;
    }

    private static void assertProtection(String describe, int pieces, List<ChunkRecord> chunks) {
        for (ChunkRecord chunk : chunks) {
            assertEquals(describe, chunk.protection().describe(), chunk.toString());
            assertEquals(pieces, chunk.pieces().size(), chunk.toString());
            assertEquals(pieces, chunk.pieces().stream().map(PieceLocation::nodeId).distinct().count(), chunk.toString());
        }
    }

    @Test
    void aTransitionMovesTheChunksToTheClassProtectionAndTheObjectReadsBackTheSame() throws Exception {
        FaultyCluster c = shared;
        String b = bucket(c, "ia");
        byte[] big = FaultyCluster.random(3 * CHUNK + 7, 1);
        byte[] small = FaultyCluster.random(100 * 1024, 2); // under 128 KiB: AWS's default keeps it where it is
        byte[] other = FaultyCluster.random(3 * CHUNK, 3);
        c.s3.putObject(r -> r.bucket(b).key("logs/big"), RequestBody.fromBytes(big));
        c.s3.putObject(r -> r.bucket(b).key("logs/small"), RequestBody.fromBytes(small));
        c.s3.putObject(r -> r.bucket(b).key("keep/other"), RequestBody.fromBytes(other));
        List<ChunkRecord> before = c.chunksOf(b, "logs/big");
        assertEquals(4, before.size());
        assertProtection("RS 4+2", 6, before);
        List<Path> oldFiles = pieceFiles(c, before);
        assertEquals(24, oldFiles.stream().filter(Files::exists).count(), "six pieces per chunk on disk");
        double transitionedBefore = metric(c, "cairn_lifecycle_objects_transitioned_total");
        double bytesBefore = metric(c, "cairn_lifecycle_transitioned_bytes_total");

        lifecycle(c, b, rule("ia", "logs/").transitions(t -> t.days(30).storageClass(TransitionStorageClass.STANDARD_IA))
                .build());
        await(c, "logs/big is STANDARD_IA", () -> "STANDARD_IA".equals(storageClass(c, b, "logs/big", null)));

        assertEquals("STANDARD_IA", c.s3.headObject(r -> r.bucket(b).key("logs/big")).storageClassAsString());
        assertEquals("STANDARD_IA", c.s3.getObjectAsBytes(r -> r.bucket(b).key("logs/big")).response()
                .storageClassAsString());
        assertArrayEquals(big, c.get(b, "logs/big"));
        Map<String, String> listed = new java.util.HashMap<>();
        for (S3Object o : c.s3.listObjectsV2(r -> r.bucket(b)).contents()) {
            listed.put(o.key(), o.storageClassAsString());
        }
        assertEquals(Map.of("logs/big", "STANDARD_IA", "logs/small", "STANDARD", "keep/other", "STANDARD"), listed);
        assertEquals("STANDARD_IA", c.s3.listObjects(r -> r.bucket(b).prefix("logs/big")).contents().get(0)
                .storageClassAsString());

        List<ChunkRecord> after = c.chunksOf(b, "logs/big");
        assertEquals(4, after.size());
        assertProtection("2 copies", 2, after);
        for (int i = 0; i < after.size(); i++) {
            assertEquals(before.get(i).size(), after.get(i).size(), "the stored bytes are copied as they are");
            assertFalse(after.get(i).id().equals(before.get(i).id()));
        }
        assertEquals(8, pieceFiles(c, after).stream().filter(Files::exists).count(), "two copies per chunk on disk");
        JsonObject shown = info(c, b, "logs/big", null);
        assertEquals("2 copies", shown.getJsonArray("chunks").getJsonObject(0).getString("protection"));
        await(c, "the old pieces are collected", () -> oldFiles.stream().noneMatch(Files::exists));
        assertArrayEquals(big, c.get(b, "logs/big"));

        awaitPasses(c);
        assertEquals("STANDARD", storageClass(c, b, "logs/small", null));
        assertProtection("RS 4+2", 6, c.chunksOf(b, "logs/small"));
        assertProtection("RS 4+2", 6, c.chunksOf(b, "keep/other"));
        assertTrue(metric(c, "cairn_lifecycle_objects_transitioned_total") >= transitionedBefore + 1);
        long stored = before.stream().mapToLong(ChunkRecord::size).sum();
        assertTrue(metric(c, "cairn_lifecycle_transitioned_bytes_total") >= bytesBefore + stored);
        assertTrue(total(c, "objectsTransitioned") >= 1);
    }

    @Test
    void aNoncurrentVersionMovesAndTheCurrentOneStays() throws Exception {
        FaultyCluster c = shared;
        String b = bucket(c, "nc");
        c.s3.putBucketVersioning(r -> r.bucket(b).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        byte[] v1 = FaultyCluster.random(2 * CHUNK + 5, 4);
        byte[] v2 = FaultyCluster.random(2 * CHUNK + 9, 5);
        String id1 = c.s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromBytes(v1)).versionId();
        String id2 = c.s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromBytes(v2)).versionId();
        lifecycle(c, b, rule("nc", "").noncurrentVersionTransitions(t -> t.noncurrentDays(1)
                .storageClass(TransitionStorageClass.INTELLIGENT_TIERING)).expiration(e -> e.days(1000)).build());
        // x-amz-expiration describes the current object's Expiration: sent without a versionId, never with
        // one (not even the current version's id), as AWS answers
        assertTrue(c.s3.headObject(r -> r.bucket(b).key("k")).expiration().contains("rule-id=\"nc\""));
        assertEquals(null, c.s3.headObject(r -> r.bucket(b).key("k").versionId(id2)).expiration());
        assertEquals(null, c.s3.getObjectAsBytes(r -> r.bucket(b).key("k").versionId(id1)).response().expiration());

        await(c, "the noncurrent version is INTELLIGENT_TIERING",
                () -> "INTELLIGENT_TIERING".equals(storageClass(c, b, "k", id1)));
        awaitPasses(c);
        assertEquals("STANDARD", storageClass(c, b, "k", id2));
        Map<String, String> classes = new java.util.HashMap<>();
        for (ObjectVersion v : c.s3.listObjectVersions(r -> r.bucket(b)).versions()) {
            classes.put(v.versionId(), v.storageClassAsString());
        }
        assertEquals(Map.of(id1, "INTELLIGENT_TIERING", id2, "STANDARD"), classes);
        assertEquals("INTELLIGENT_TIERING", c.s3.headObject(r -> r.bucket(b).key("k").versionId(id1))
                .storageClassAsString());
        assertArrayEquals(v1, c.s3.getObjectAsBytes(r -> r.bucket(b).key("k").versionId(id1)).asByteArray());
        assertArrayEquals(v2, c.get(b, "k"));
        JsonObject shown = info(c, b, "k", id1);
        for (int i = 0; i < shown.getJsonArray("chunks").size(); i++) {
            assertEquals("3 copies", shown.getJsonArray("chunks").getJsonObject(i).getString("protection"));
        }
        assertEquals("RS 4+2", info(c, b, "k", null).getJsonArray("chunks").getJsonObject(0).getString("protection"));
        assertTrue(total(c, "noncurrentVersionsTransitioned") >= 1);
    }

    @Test
    void aCompressedChunkIsMovedAsItIsStored() throws Exception {
        FaultyCluster c = shared;
        String b = bucket(c, "zstd");
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 3 * CHUNK; i++) {
            text.append("2026-12-07T23:").append(i % 60).append(" GET /bucket/key-").append(i).append(" 200\n");
        }
        byte[] data = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        c.s3.putObject(r -> r.bucket(b).key("log"), RequestBody.fromBytes(data));
        List<ChunkRecord> before = c.chunksOf(b, "log");
        List<Long> logical = c.metadata().getObject(b, "log").orElseThrow().chunks().stream()
                .map(dev.cairn.metadata.ChunkRef::size).toList();
        assertTrue(before.get(0).size() < logical.get(0), "stored compressed: " + before.get(0));
        lifecycle(c, b, rule("it", "").transitions(t -> t.days(1).storageClass(TransitionStorageClass.INTELLIGENT_TIERING))
                .build());
        await(c, "log is INTELLIGENT_TIERING", () -> "INTELLIGENT_TIERING".equals(storageClass(c, b, "log", null)));
        List<ChunkRecord> after = c.chunksOf(b, "log");
        assertProtection("3 copies", 3, after);
        assertEquals(before.stream().map(ChunkRecord::size).toList(), after.stream().map(ChunkRecord::size).toList(),
                "the compressed bytes are copied as they are, not expanded");
        assertEquals(logical, c.metadata().getObject(b, "log").orElseThrow().chunks().stream()
                .map(dev.cairn.metadata.ChunkRef::size).toList());
        assertArrayEquals(data, c.get(b, "log"));
    }

    @Test
    void anOverwriteDuringATransitionWinsAndTheNewPiecesGo() throws Exception {
        try (FaultyCluster c = cluster()) {
            String b = bucket(c, "race");
            byte[] first = FaultyCluster.random(3 * CHUNK, 6);
            c.s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromBytes(first));
            List<ChunkRecord> firstChunks = c.chunksOf(b, "k");
            List<FaultInjectingChunkStoreClient> nodes = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                nodes.add(c.node("local-" + i).slow(Duration.ofMillis(700)));
            }
            long putsBefore = nodes.stream().mapToLong(n -> n.calls(FaultInjectingChunkStoreClient.Op.PUT)).sum();
            lifecycle(c, b, rule("it", "").transitions(t -> t.days(1).storageClass(TransitionStorageClass.INTELLIGENT_TIERING))
                    .build());
            // the transition has written a new piece: overwrite the object under it
            await(c, "the transition writes", () -> nodes.stream()
                    .mapToLong(n -> n.calls(FaultInjectingChunkStoreClient.Op.PUT)).sum() > putsBefore);
            c.s3.putObject(r -> r.bucket(b).key("k"), RequestBody.fromString("the overwrite"));
            nodes.forEach(FaultInjectingChunkStoreClient::heal);
            await(c, "the transition gave way", () -> {
                try {
                    return total(c, "skippedChanged") >= 1;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("the overwrite", c.s3.getObjectAsBytes(r -> r.bucket(b).key("k")).asUtf8String());
            assertEquals("STANDARD", storageClass(c, b, "k", null));
            assertEquals(0, total(c, "objectsTransitioned"));
            // the first object's chunks and the transition's new pieces are all deleted: only live chunks have files
            await(c, "no piece file but those of live chunks", () -> {
                try {
                    return PieceFiles.under(c.server().dataDir()).equals(new java.util.HashSet<>(pieceFiles(c,
                            c.allChunks())));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(pieceFiles(c, firstChunks).stream().noneMatch(Files::exists));
        }
    }

    @Test
    void aChunkWithANodeDownIsMovedOrDeferredWithTheReasonAndNeverLost() throws Exception {
        try (FaultyCluster c = cluster()) {
            String b = bucket(c, "degraded");
            byte[] data = FaultyCluster.random(3 * CHUNK + 1, 7);
            byte[] data2 = FaultyCluster.random(3 * CHUNK + 2, 8);
            c.s3.putObject(r -> r.bucket(b).key("to-3copies"), RequestBody.fromBytes(data));
            c.s3.putObject(r -> r.bucket(b).key("to-rs3+3"), RequestBody.fromBytes(data2));
            // a node holding the first data piece of both objects' first chunks, when there is one
            String down = c.chunksOf(b, "to-rs3+3").get(0).pieces().get(0).nodeId();
            c.node(down).down(true);
            lifecycle(c, b, rule("two", "to-3copies").transitions(t -> t.days(1)
                            .storageClass(TransitionStorageClass.INTELLIGENT_TIERING)).build(),
                    rule("six", "to-rs3+3").transitions(t -> t.days(30)
                            .storageClass(TransitionStorageClass.ONEZONE_IA)).build());

            // 3 copies fit on the five nodes left: the chunks are read (rebuilt where a piece is on the
            // node that is down) and moved
            await(c, "to-3copies moved", () -> "INTELLIGENT_TIERING".equals(storageClass(c, b, "to-3copies", null)));
            assertProtection("3 copies", 3, c.chunksOf(b, "to-3copies"));
            assertTrue(c.chunksOf(b, "to-3copies").stream().flatMap(ch -> ch.pieces().stream())
                    .noneMatch(p -> p.nodeId().equals(down)));
            assertArrayEquals(data, c.get(b, "to-3copies"));

            // RS 3+3 needs six nodes: deferred with the reason, the object stays whole where it was
            await(c, "to-rs3+3 deferred", () -> {
                try {
                    String d = lifecycleStatus(c).getString("lastDeferral");
                    return d != null && d.contains("to-rs3+3") && d.contains("ONEZONE_IA");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String reason = lifecycleStatus(c).getString("lastDeferral");
            assertTrue(reason.contains("RS 3+3") && reason.contains("6"), reason);
            assertEquals("STANDARD", storageClass(c, b, "to-rs3+3", null));
            assertProtection("RS 4+2", 6, c.chunksOf(b, "to-rs3+3"));
            assertArrayEquals(data2, c.get(b, "to-rs3+3"));
            assertTrue(total(c, "transitionsDeferred") >= 1);

            // the node is back: the next passes move it
            c.node(down).down(false);
            // the movers (paused so far) verify the pieces reads failed on: the node answers, so it takes
            // pieces again, as an operator's cluster finds out
            c.admin("POST", "/admin/rebalances/resume");
            await(c, "to-rs3+3 moved once six nodes are writable", () -> {
                assertArrayEquals(data2, c.get(b, "to-rs3+3"));
                return "ONEZONE_IA".equals(storageClass(c, b, "to-rs3+3", null));
            });
            assertProtection("RS 3+3", 6, c.chunksOf(b, "to-rs3+3"));
            assertArrayEquals(data2, c.get(b, "to-rs3+3"));
        }
    }

    @Test
    void transitionsAreValidatedAsAwsDoesAndToServedClassesOnly() {
        FaultyCluster c = shared;
        String b = bucket(c, "bad");
        lifecycle(c, b, rule("kept", "").transitions(t -> t.days(30).storageClass(TransitionStorageClass.STANDARD_IA))
                .expiration(e -> e.days(31)).build());
        assertS3Error(400, "InvalidArgument", () -> lifecycle(c, b, rule("a", "")
                .transitions(t -> t.days(29).storageClass(TransitionStorageClass.STANDARD_IA)).build()));
        assertS3Error(400, "InvalidArgument", () -> lifecycle(c, b, rule("a", "")
                .noncurrentVersionTransitions(t -> t.noncurrentDays(10).storageClass(TransitionStorageClass.ONEZONE_IA))
                .build()));
        assertS3Error(400, "InvalidArgument", () -> lifecycle(c, b, rule("a", "")
                .transitions(t -> t.days(30).storageClass(TransitionStorageClass.STANDARD_IA))
                .expiration(e -> e.days(30)).build()));
        assertS3Error(400, "InvalidArgument", () -> lifecycle(c, b, rule("a", "").transitions(
                t -> t.days(30).storageClass(TransitionStorageClass.STANDARD_IA),
                t -> t.days(40).storageClass(TransitionStorageClass.ONEZONE_IA)).build()));
        assertS3Error(400, "InvalidRequest", () -> lifecycle(c, b, rule("a", "").transitions(
                t -> t.days(30).storageClass(TransitionStorageClass.STANDARD_IA),
                t -> t.date(Instant.parse("2031-01-01T00:00:00Z")).storageClass(TransitionStorageClass.ONEZONE_IA))
                .build()));
        assertS3Error(400, "InvalidStorageClass", () -> lifecycle(c, b, rule("a", "")
                .transitions(t -> t.days(1).storageClass(TransitionStorageClass.GLACIER_IR)).build()));
        assertS3Error(501, "NotImplemented", () -> lifecycle(c, b, rule("a", "")
                .transitions(t -> t.days(1).storageClass(TransitionStorageClass.DEEP_ARCHIVE)).build()));
        List<LifecycleRule> kept = c.s3.getBucketLifecycleConfiguration(r -> r.bucket(b)).rules();
        assertEquals(1, kept.size());
        assertEquals("STANDARD_IA", kept.get(0).transitions().get(0).storageClassAsString());
        assertEquals(30, kept.get(0).transitions().get(0).days());
    }
}
