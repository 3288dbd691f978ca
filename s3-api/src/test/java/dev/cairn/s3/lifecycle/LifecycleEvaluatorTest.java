package dev.cairn.s3.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cairn.metadata.MetaCommand.Expire.Target;
import dev.cairn.metadata.ObjectRecord;
import dev.cairn.metadata.ObjectVersion;

/** Lifecycle days, AWS's rounding to midnight, and which versions of a key a rule expires. */
class LifecycleEvaluatorTest {
    private static final LifecycleDays REAL = LifecycleDays.REAL;
    private static final long DAY = LifecycleDays.DAY_MILLIS;

    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static LifecycleRule days(String id, String prefix, int days) {
        return new LifecycleRule(id, true, new LifecycleFilter(prefix, Map.of(), null, null), false, days, null, false,
                null, null, null);
    }

    private static LifecycleRule noncurrent(String id, int days, Integer newer) {
        return new LifecycleRule(id, true, LifecycleFilter.ALL, false, null, null, false, days, newer, null);
    }

    private static ObjectRecord object(long millis, long size, Map<String, String> tags, int seq) {
        return new ObjectRecord(size, "e", millis, Map.of(), Map.of(), null, "STANDARD", new byte[0], List.of(),
                List.of(), "o", tags, null, null, new ObjectVersion("v" + seq, seq, false));
    }

    private static ObjectRecord marker(long millis, int seq) {
        return ObjectRecord.deleteMarker(millis, "o", "m" + seq).withVersion(new ObjectVersion("m" + seq, seq, true));
    }

    @Test
    void daysAreRoundedUpToTheNextMidnight() {
        // AWS's example: created 15 January 10:30 UTC, Days=3 -> 19 January 00:00 UTC
        assertEquals(at("2014-01-19T00:00:00Z"), REAL.due(at("2014-01-15T10:30:00Z"), 3));
        assertEquals(at("2014-01-16T00:00:00Z"), REAL.due(at("2014-01-15T00:00:00Z"), 1));
        // a two-second day: created at 10.5 s, Days=1 -> 12.5 s rounded up to 14 s
        assertEquals(14_000, LifecycleDays.ofSeconds(2).due(10_500, 1));
        assertEquals(12_000, LifecycleDays.ofSeconds(2).due(10_000, 1));
    }

    @Test
    void theCurrentVersionExpiresWhenItsRuleIsDue() {
        long created = at("2024-03-01T12:00:00Z");
        List<ObjectRecord> versions = List.of(object(created, 10, Map.of(), 0));
        List<LifecycleRule> rules = List.of(days("logs", "logs/", 1), days("all", "", 30));
        assertTrue(LifecycleEvaluator.evaluate(rules, "logs/a", versions, at("2024-03-02T23:59:59Z"), REAL).isEmpty());
        List<LifecycleEvaluator.Action> due = LifecycleEvaluator.evaluate(rules, "logs/a", versions,
                at("2024-03-03T00:00:00Z"), REAL);
        assertEquals(1, due.size());
        assertEquals(Target.CURRENT, due.get(0).target());
        assertEquals("logs", due.get(0).ruleId());
        assertTrue(LifecycleEvaluator.evaluate(rules, "data/a", versions, at("2024-03-03T00:00:00Z"), REAL).isEmpty());
        assertEquals(new LifecycleEvaluator.Expiry(at("2024-03-03T00:00:00Z"), "logs"),
                LifecycleEvaluator.expiry(rules, "logs/a", versions.get(0), REAL).orElseThrow());
    }

    @Test
    void tagAndSizeFiltersMustAllHold() {
        LifecycleRule r = new LifecycleRule("t", true, new LifecycleFilter("", Map.of("class", "tmp"), 100L, 1000L),
                false, 1, null, false, null, null, null);
        long now = 10 * DAY;
        assertEquals(1, LifecycleEvaluator.evaluate(List.of(r), "k", List.of(object(0, 500, Map.of("class", "tmp",
                "x", "y"), 0)), now, REAL).size());
        assertTrue(LifecycleEvaluator.evaluate(List.of(r), "k", List.of(object(0, 500, Map.of("class", "keep"), 0)),
                now, REAL).isEmpty());
        assertTrue(LifecycleEvaluator.evaluate(List.of(r), "k", List.of(object(0, 100, Map.of("class", "tmp"), 0)),
                now, REAL).isEmpty());
        assertTrue(LifecycleEvaluator.evaluate(List.of(r), "k", List.of(object(0, 1000, Map.of("class", "tmp"), 0)),
                now, REAL).isEmpty());
    }

    @Test
    void noncurrentDaysCountFromWhenTheNextVersionWasMadeAndTheNewestAreKept() {
        // v3 (current, day 10), v2 (noncurrent since day 10), v1 (since day 5), v0 (since day 2)
        List<ObjectRecord> versions = List.of(object(10 * DAY, 1, Map.of(), 3), object(5 * DAY, 1, Map.of(), 2),
                object(2 * DAY, 1, Map.of(), 1), object(0, 1, Map.of(), 0));
        List<LifecycleEvaluator.Action> due = LifecycleEvaluator.evaluate(List.of(noncurrent("n", 4, null)), "k",
                versions, 11 * DAY, REAL);
        assertEquals(List.of("v1", "v0"), due.stream().map(a -> a.version().versionId()).toList());
        assertTrue(due.stream().allMatch(a -> a.target() == Target.NONCURRENT));

        List<LifecycleEvaluator.Action> keepTwo = LifecycleEvaluator.evaluate(List.of(noncurrent("n", 1, 2)), "k",
                versions, 20 * DAY, REAL);
        assertEquals(List.of("v0"), keepTwo.stream().map(a -> a.version().versionId()).toList());
    }

    @Test
    void aLoneDeleteMarkerGoesUnderExpiredObjectDeleteMarkerOrOnceOldEnough() {
        LifecycleRule markers = new LifecycleRule("m", true, LifecycleFilter.ALL, false, null, null, true, null, null,
                null);
        List<ObjectRecord> lone = List.of(marker(5 * DAY, 2));
        assertEquals(Target.LONE_DELETE_MARKER, LifecycleEvaluator.evaluate(List.of(markers), "k", lone, 5 * DAY,
                REAL).get(0).target());
        assertTrue(LifecycleEvaluator.evaluate(List.of(days("d", "", 3)), "k", lone, 7 * DAY, REAL).isEmpty());
        assertEquals(1, LifecycleEvaluator.evaluate(List.of(days("d", "", 3)), "k", lone, 8 * DAY, REAL).size());
        // a marker with versions under it is not expired, nor is the object under it (not current)
        List<ObjectRecord> covered = List.of(marker(5 * DAY, 2), object(0, 1, Map.of(), 1));
        assertTrue(LifecycleEvaluator.evaluate(List.of(markers, days("d", "", 1)), "k", covered, 100 * DAY,
                REAL).isEmpty());
    }

    private static LifecycleRule moves(String id, LifecycleFilter filter, List<LifecycleTransition> current,
                                       List<LifecycleTransition> noncurrent) {
        return new LifecycleRule(id, true, filter, false, null, null, false, null, null, null, current, noncurrent);
    }

    private static ObjectRecord sized(long millis, long size, String storageClass, int seq) {
        return new ObjectRecord(size, "e", millis, Map.of(), Map.of(), null, storageClass, null, List.of(),
                List.of(), "o", Map.of(), null, null, new ObjectVersion("v" + seq, seq, false));
    }

    @Test
    void theCurrentVersionMovesDownTheWaterfallToTheFurthestClassDue() {
        long big = LifecycleTransition.DEFAULT_MINIMUM_SIZE;
        List<LifecycleRule> rules = List.of(moves("down", LifecycleFilter.ALL, List.of(
                LifecycleTransition.current(30, null, "STANDARD_IA"), LifecycleTransition.current(60, null, "ONEZONE_IA")),
                List.of()));
        List<ObjectRecord> versions = List.of(sized(0, big, "STANDARD", 0));
        assertTrue(LifecycleEvaluator.transitions(rules, "k", versions, 30 * DAY - 1, REAL).isEmpty());
        List<LifecycleEvaluator.Move> at30 = LifecycleEvaluator.transitions(rules, "k", versions, 30 * DAY, REAL);
        assertEquals(1, at30.size());
        assertEquals(Target.CURRENT, at30.get(0).target());
        assertEquals("STANDARD_IA", at30.get(0).storageClass());
        assertEquals("ONEZONE_IA", LifecycleEvaluator.transitions(rules, "k", versions, 90 * DAY, REAL).get(0)
                .storageClass());
        // already there, or further down: nothing to do; never up the waterfall
        assertTrue(LifecycleEvaluator.transitions(rules, "k", List.of(sized(0, big, "ONEZONE_IA", 0)), 90 * DAY, REAL)
                .isEmpty());
        assertEquals("ONEZONE_IA", LifecycleEvaluator.transitions(rules, "k", List.of(sized(0, big, "STANDARD_IA", 0)),
                90 * DAY, REAL).get(0).storageClass());
        assertTrue(LifecycleEvaluator.transitions(rules, "k", List.of(sized(0, big, "OUTPOSTS", 0)), 90 * DAY, REAL)
                .isEmpty());
        assertTrue(LifecycleEvaluator.transitions(rules, "k", List.of(marker(0, 0)), 90 * DAY, REAL).isEmpty());
    }

    @Test
    void objectsUnder128KiBStayUnlessTheFilterNamesASize() {
        LifecycleTransition it = LifecycleTransition.current(0, null, "INTELLIGENT_TIERING");
        long small = LifecycleTransition.DEFAULT_MINIMUM_SIZE - 1;
        List<ObjectRecord> versions = List.of(sized(0, small, "STANDARD", 0));
        assertTrue(LifecycleEvaluator.transitions(List.of(moves("all", LifecycleFilter.ALL, List.of(it), List.of())),
                "k", versions, DAY, REAL).isEmpty());
        LifecycleFilter sized = new LifecycleFilter("", Map.of(), 1000L, null);
        assertEquals(1, LifecycleEvaluator.transitions(List.of(moves("sized", sized, List.of(it), List.of())), "k",
                versions, DAY, REAL).size());
        LifecycleFilter tooSmall = new LifecycleFilter("", Map.of(), small, null);
        assertTrue(LifecycleEvaluator.transitions(List.of(moves("bigger", tooSmall, List.of(it), List.of())), "k",
                versions, DAY, REAL).isEmpty());
    }

    @Test
    void noncurrentVersionsMoveAfterTheirDaysExceptTheNewestKept() {
        long big = LifecycleTransition.DEFAULT_MINIMUM_SIZE;
        List<LifecycleRule> rules = List.of(moves("nc", LifecycleFilter.ALL, List.of(),
                List.of(LifecycleTransition.noncurrent(1, 1, "INTELLIGENT_TIERING"))));
        // newest first: v4 current (made day 10), v3 noncurrent since day 10, v2 since day 5, a marker (day 2),
        // v0 noncurrent since the marker
        List<ObjectRecord> versions = List.of(sized(10 * DAY, big, "STANDARD", 4), sized(5 * DAY, big, "STANDARD", 3),
                sized(3 * DAY, big, "STANDARD", 2), marker(2 * DAY, 1), sized(DAY, big, "STANDARD", 0));
        List<LifecycleEvaluator.Move> due = LifecycleEvaluator.transitions(rules, "k", versions, 20 * DAY, REAL);
        // v3 is the newest noncurrent version and is kept; v2 and v0 move; the marker never does
        assertEquals(List.of("v2", "v0"), due.stream().map(m -> m.version().versionId()).toList());
        assertTrue(due.stream().allMatch(m -> m.target() == Target.NONCURRENT));
        // v0 became noncurrent when the marker was made (day 2): due day 3, not before; v2 on day 6
        assertEquals(List.of(), LifecycleEvaluator.transitions(rules, "k", versions, 3 * DAY - 1, REAL));
        assertEquals(List.of("v0"), LifecycleEvaluator.transitions(rules, "k", versions, 3 * DAY, REAL).stream()
                .map(m -> m.version().versionId()).toList());
    }
}
