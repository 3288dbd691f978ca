package dev.cairn.tools;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --watch}'s loop over a scripted series of {@code GET /admin/rebalances} answers: it ends
 * only when a pass planned at the starting map version found nothing, ends as blocked when the
 * movers say so (overall or one mover), watches on through a state it does not know, and retries
 * an unreachable server a few times. The live bar and the plain lines are rendered from the same
 * numbers.
 */
class MoverWatchTest {
    private final List<Duration> sleeps = new ArrayList<>();
    private final StringWriter shown = new StringWriter();

    private static JsonObject status(String state, long map, long settled, long toMove, long moved) {
        return new JsonObject().put("state", state).put("mapVersion", map).put("settledMapVersion", settled)
                .put("chunksToMove", toMove > 0 ? toMove / 1000 + 1 : 0).put("bytesToMove", toMove)
                .put("bytesMoved", moved).put("bytesPerSecond", 1000).put("etaSeconds", toMove / 1000)
                .put("movers", new JsonObject().put("drain", new JsonObject().put("chunksToMove",
                        toMove > 0 ? toMove / 1000 + 1 : 0)));
    }

    private MoverWatch.Result watch(Object... answers) throws InterruptedException {
        Deque<Object> queue = new ArrayDeque<>(List.of(answers));
        MoverWatch.Source source = () -> {
            Object next = queue.removeFirst();
            if (next instanceof CliFailure f) {
                throw f;
            }
            return (JsonObject) next;
        };
        WatchDisplay display = WatchDisplay.of(new PrintWriter(shown), new PrintWriter(shown), false, false);
        MoverWatch.Result r = new MoverWatch(source, Duration.ofMillis(250), sleeps::add, display).run();
        assertTrue(queue.isEmpty(), "every answer was read: " + queue);
        return r;
    }

    @Test
    void endsWhenAPassAtTheStartingMapVersionFoundNothingLeft() throws InterruptedException {
        MoverWatch.Result r = watch(
                status("done", 8, 7, 0, 500),     // settled on v7 only: the drain (v8) is not planned yet
                status("planning", 8, 7, 0, 500),
                status("moving", 8, 7, 3000, 500),
                status("moving", 9, 7, 1000, 2500), // a heartbeat bumped the map: v8 is still the target
                status("done", 9, 8, 0, 3500));
        assertEquals(MoverWatch.Outcome.SETTLED, r.outcome());
        assertEquals(4, sleeps.size());
        assertTrue(sleeps.stream().allMatch(d -> d.toMillis() == 250));
        String text = shown.toString();
        assertTrue(text.contains("moving: 0% (0 B of 2.9 KiB), drain 4 chunks left"), text);
        assertTrue(text.contains("done: 100% (2.9 KiB of 2.9 KiB)"), text);
    }

    @Test
    void nothingToMoveEndsAtOnce() throws InterruptedException {
        assertEquals(MoverWatch.Outcome.SETTLED, watch(status("idle", 3, 3, 0, 0)).outcome());
        assertEquals(List.of(), sleeps);
    }

    @Test
    void pausedIsWatchedOnAndBlockedEndsTheWatchWithTheReason() throws InterruptedException {
        MoverWatch.Result r = watch(status("moving", 5, 4, 2000, 0), status("paused", 5, 4, 2000, 0),
                status("blocked", 5, 4, 2000, 0).put("reason", "3 nodes writable, rs4+2 needs 6"));
        assertEquals(MoverWatch.Outcome.BLOCKED, r.outcome());
        assertEquals("3 nodes writable, rs4+2 needs 6", r.reason());

        JsonObject oneMover = status("moving", 5, 4, 2000, 0);
        oneMover.getJsonObject("movers").getJsonObject("drain").put("state", "blocked")
                .put("reason", "no zone left for the pieces");
        assertEquals("drain: no zone left for the pieces", MoverWatch.blockedReason(oneMover));
        assertEquals("the server gave no reason", MoverWatch.blockedReason(new JsonObject().put("state", "BLOCKED")));
    }

    @Test
    void anUnknownStateIsShownAndWatchedOn() throws InterruptedException {
        MoverWatch.Result r = watch(status("rebuilding", 5, 4, 2000, 0), status("rebuilding", 5, 4, 1000, 1000),
                status("idle", 5, 5, 0, 2000));
        assertEquals(MoverWatch.Outcome.SETTLED, r.outcome());
        String text = shown.toString();
        assertEquals(1, text.split("does not know: 'rebuilding'", -1).length - 1, "noted once: " + text);
        assertFalse(MoverWatch.settled(new JsonObject().put("state", 42), 0), "a non-string state is not settled");
    }

    @Test
    void anUnreachableServerIsRetriedAFewTimesThenTheWatchFails() throws InterruptedException {
        CliFailure down = new CliFailure(Cairn.UNREACHABLE, "cannot reach the Cairn admin API at http://x");
        assertEquals(MoverWatch.Outcome.SETTLED,
                watch(status("moving", 2, 1, 10, 0), down, down, status("done", 2, 2, 0, 10)).outcome());
        assertTrue(shown.toString().contains("cannot reach the Cairn admin API at http://x; trying again"));

        List<Object> answers = new ArrayList<>(List.of(status("moving", 2, 1, 10, 0)));
        for (int i = 0; i < MoverWatch.MAX_MISSES; i++) {
            answers.add(down);
        }
        CliFailure f = assertThrows(CliFailure.class, () -> watch(answers.toArray()));
        assertEquals(Cairn.UNREACHABLE, f.exitCode);
        CliFailure refused = new CliFailure(Cairn.FAILED, "GET ... answered 403");
        assertThrows(CliFailure.class, () -> watch(status("moving", 2, 1, 10, 0), refused), "not retried");
    }

    @Test
    void theBarShowsPercentAmountsRateAndEta() {
        WatchDisplay.Progress p = WatchDisplay.Progress.of(new JsonObject().put("state", "moving")
                .put("bytesMoved", (5L << 30) + (1L << 30)).put("bytesToMove", 1L << 30)
                .put("bytesPerSecond", 64L << 20).put("etaSeconds", 16)
                .put("movers", new JsonObject().put("repair", new JsonObject().put("chunksToMove", 2))
                        .put("drain", new JsonObject().put("chunksToMove", 30))), 5L << 30);
        assertEquals(50, p.percent());
        assertEquals("[###############---------------]  50%  1.0 GiB of 2.0 GiB  64.0 MiB/s, ETA 0:16  "
                + "moving: repair 2, drain 30 chunks left", WatchDisplay.Bar.render(p));
        assertEquals("moving: 50% (1.0 GiB of 2.0 GiB), repair 2, drain 30 chunks left, 64.0 MiB/s, ETA 0:16",
                WatchDisplay.Lines.render(p));
        WatchDisplay.Progress unknownEta = WatchDisplay.Progress.of(new JsonObject().put("state", "moving")
                .put("bytesToMove", 10).put("etaSeconds", -1), 0);
        assertTrue(WatchDisplay.Lines.render(unknownEta).endsWith("ETA ?"), WatchDisplay.Lines.render(unknownEta));

        StringWriter terminal = new StringWriter();
        WatchDisplay bar = WatchDisplay.of(new PrintWriter(terminal), new PrintWriter(terminal), false, true);
        bar.update(new JsonObject().put("state", "moving").put("bytesToMove", 10), 0);
        bar.update(new JsonObject().put("state", "done"), 0);
        bar.finish();
        assertTrue(terminal.toString().startsWith("\r[") && terminal.toString().contains("\r[###"), terminal.toString());
        assertTrue(terminal.toString().endsWith("\033[K" + System.lineSeparator()), "ends on a new line");
    }
}
