package dev.cairn.tools;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Set;

/**
 * Follows the movers' progress ({@code GET /admin/rebalances}) until they have settled on the
 * cluster map as it was when the watch began, or say they are blocked.
 *
 * <p>Settled is a fact the server reports, not a guess from a quiet moment: a planning pass that
 * began at map version V or later found nothing to move ({@code settledMapVersion >= V}), the
 * state is {@code idle} or {@code done} and nothing is pending. A drain bumps the map version, so
 * watching after it waits for a pass that planned with the node draining. {@code blocked} (the
 * movers cannot meet the plan, with a {@code reason}) ends the watch too. A state this client does
 * not know is shown as it is and watched on. A server that stops answering is retried a few times.
 */
final class MoverWatch {
    static final int MAX_MISSES = 5;
    private static final Set<String> SETTLED_STATES = Set.of("idle", "done");
    private static final Set<String> KNOWN_STATES = Set.of("idle", "planning", "moving", "done", "paused", "blocked",
            "standby");

    /** Where the progress comes from. */
    interface Source {
        JsonObject status();
    }

    /** How the watch waits between polls. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    enum Outcome { SETTLED, BLOCKED }

    record Result(Outcome outcome, JsonObject last, String reason) {
    }

    private final Source source;
    private final Duration interval;
    private final Sleeper sleeper;
    private final WatchDisplay display;

    MoverWatch(Source source, Duration interval, Sleeper sleeper, WatchDisplay display) {
        this.source = source;
        this.interval = interval;
        this.sleeper = sleeper;
        this.display = display;
    }

    Result run() throws InterruptedException {
        long target = Long.MAX_VALUE;
        long baseline = 0;
        boolean first = true;
        int misses = 0;
        String unknownNoted = null;
        while (true) {
            JsonObject s;
            try {
                s = source.status();
                misses = 0;
            } catch (CliFailure f) {
                if (f.exitCode != Cairn.UNREACHABLE || ++misses >= MAX_MISSES) {
                    display.finish();
                    throw f;
                }
                display.note(f.getMessage() + "; trying again");
                sleeper.sleep(interval);
                continue;
            }
            if (first) {
                first = false;
                target = number(s, "mapVersion", 0);
                baseline = number(s, "bytesMoved", 0);
            }
            String state = state(s);
            if (!KNOWN_STATES.contains(state) && !state.equals(unknownNoted)) {
                unknownNoted = state;
                display.note("the movers report a state this cairn does not know: '" + state + "'; watching on");
            }
            display.update(s, baseline);
            String blocked = blockedReason(s);
            if (blocked != null) {
                display.finish();
                return new Result(Outcome.BLOCKED, s, blocked);
            }
            if (settled(s, target)) {
                display.finish();
                return new Result(Outcome.SETTLED, s, null);
            }
            sleeper.sleep(interval);
        }
    }

    static boolean settled(JsonObject s, long mapVersion) {
        return SETTLED_STATES.contains(state(s)) && number(s, "chunksToMove", 1) == 0
                && number(s, "settledMapVersion", -1) >= mapVersion;
    }

    /**
     * Why the movers are blocked, or null when they are not: the overall state {@code blocked},
     * or a mover whose own state is; the reason is the server's {@code reason}, else its last error.
     */
    static String blockedReason(JsonObject s) {
        if (state(s).equals("blocked")) {
            return reason(s);
        }
        Object movers = s.getValue("movers");
        if (movers instanceof JsonObject per) {
            for (String name : per.fieldNames()) {
                if (per.getValue(name) instanceof JsonObject m && state(m).equals("blocked")) {
                    return name + ": " + reason(m);
                }
            }
        }
        return null;
    }

    private static String reason(JsonObject s) {
        if (s.getValue("blocked") instanceof JsonObject b && b.getValue("reason") instanceof String r && !r.isBlank()) {
            return r;
        }
        for (String field : new String[]{"reason", "blockedReason", "lastError"}) {
            if (s.getValue(field) instanceof String r && !r.isBlank()) {
                return r;
            }
        }
        return "the server gave no reason";
    }

    static String state(JsonObject s) {
        Object v = s.getValue("state");
        return v == null ? "unknown" : String.valueOf(v).toLowerCase(java.util.Locale.ROOT);
    }

    static long number(JsonObject s, String field, long fallback) {
        return s.getValue(field) instanceof Number n ? n.longValue() : fallback;
    }
}
