package dev.cairn.tools;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How {@code --watch} shows the movers' progress: a live bar with rate and ETA redrawn in place on
 * a terminal, a plain line per change when the output is not a terminal (logs, pipes), or one JSON
 * document per poll with {@code --json}.
 */
interface WatchDisplay {
    /** Shows a fresh status; {@code baselineMoved} is what the movers had moved when the watch began. */
    void update(JsonObject status, long baselineMoved);

    /** Something the operator should know (a retry, an unknown state). */
    void note(String message);

    /** Ends the display (the cursor goes to a new line). */
    void finish();

    static WatchDisplay of(PrintWriter out, PrintWriter err, boolean json, boolean terminal) {
        if (json) {
            return new Json(out, err);
        }
        return terminal ? new Bar(out) : new Lines(out);
    }

    /** The numbers a line shows. */
    record Progress(String state, long moved, long left, long rate, long eta, String pending) {
        static Progress of(JsonObject s, long baselineMoved) {
            long moved = Math.max(0, MoverWatch.number(s, "bytesMoved", 0) - baselineMoved);
            StringBuilder pending = new StringBuilder();
            if (s.getValue("movers") instanceof JsonObject per) {
                for (String m : per.fieldNames()) {
                    long chunks = per.getValue(m) instanceof JsonObject c ? MoverWatch.number(c, "chunksToMove", 0) : 0;
                    if (chunks > 0) {
                        pending.append(pending.length() == 0 ? "" : ", ").append(m).append(' ').append(chunks);
                    }
                }
            }
            return new Progress(MoverWatch.state(s), moved, MoverWatch.number(s, "bytesToMove", 0),
                    MoverWatch.number(s, "bytesPerSecond", 0), MoverWatch.number(s, "etaSeconds", -1),
                    pending.length() == 0 ? "" : pending + " chunks left");
        }

        /** Percent of the bytes seen since the watch began: moved over moved plus left. */
        int percent() {
            long total = moved + left;
            return total == 0 ? (left == 0 ? 100 : 0) : (int) (moved * 100 / total);
        }

        String amounts() {
            return Units.bytes(moved) + " of " + Units.bytes(moved + left);
        }

        String speed() {
            return Units.bytes(rate) + "/s, ETA " + (left == 0 ? "0:00" : Units.clock(eta));
        }
    }

    /** A bar redrawn in place: {@code [#####-----]  50%  1.0 GiB of 2.0 GiB  64.0 MiB/s, ETA 0:16  moving}. */
    final class Bar implements WatchDisplay {
        static final int WIDTH = 30;
        private final PrintWriter out;
        private boolean drawn;

        Bar(PrintWriter out) {
            this.out = out;
        }

        static String render(Progress p) {
            int filled = p.percent() * WIDTH / 100;
            return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                    + String.format(Locale.ROOT, "%3d%%", p.percent()) + "  " + p.amounts() + "  " + p.speed()
                    + "  " + p.state() + (p.pending().isEmpty() ? "" : ": " + p.pending());
        }

        @Override
        public void update(JsonObject status, long baselineMoved) {
            out.print("\r" + render(Progress.of(status, baselineMoved)) + "\033[K");
            out.flush();
            drawn = true;
        }

        @Override
        public void note(String message) {
            out.print((drawn ? "\r\033[K" : "") + message + "\n");
            out.flush();
            drawn = false;
        }

        @Override
        public void finish() {
            if (drawn) {
                out.println();
                out.flush();
            }
            drawn = false;
        }
    }

    /** A line per change, stamped with the time: {@code 12:00:01 moving: 50% (1.0 GiB of 2.0 GiB), ...}. */
    final class Lines implements WatchDisplay {
        /** Always with seconds: LocalTime's own toString drops ":00" on the minute. */
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("HH:mm:ss");
        private final PrintWriter out;
        private String last = "";

        Lines(PrintWriter out) {
            this.out = out;
        }

        static String render(Progress p) {
            return p.state() + ": " + p.percent() + "% (" + p.amounts() + ")"
                    + (p.pending().isEmpty() ? "" : ", " + p.pending()) + ", " + p.speed();
        }

        @Override
        public void update(JsonObject status, long baselineMoved) {
            String line = render(Progress.of(status, baselineMoved));
            if (!line.equals(last)) {
                out.println(STAMP.format(LocalTime.now()) + " " + line);
                out.flush();
                last = line;
            }
        }

        @Override
        public void note(String message) {
            out.println(STAMP.format(LocalTime.now()) + " " + message);
            out.flush();
        }

        @Override
        public void finish() {
            out.flush();
        }
    }

    /** Every status as one line of JSON (notes go to stderr). */
    final class Json implements WatchDisplay {
        private final PrintWriter out;
        private final PrintWriter err;

        Json(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public void update(JsonObject status, long baselineMoved) {
            out.println(status.encode());
            out.flush();
        }

        @Override
        public void note(String message) {
            err.println("cairn: " + message);
            err.flush();
        }

        @Override
        public void finish() {
            out.flush();
        }
    }
}
