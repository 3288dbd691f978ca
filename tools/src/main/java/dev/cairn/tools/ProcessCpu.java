package dev.cairn.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a Linux process has used, read from {@code /proc/<pid>/stat} (user plus system time of
 * all its threads, fields 14 and 15), and the host's load average from {@code /proc/loadavg}.
 * Lets a benchmark state its results per CPU second of the server, which holds up on a busy host
 * where wall-clock throughput does not.
 */
final class ProcessCpu {
    /** {@code AT_CLKTCK} in the ELF auxiliary vector: the unit of the times in /proc/pid/stat. */
    private static final long AT_CLKTCK = 17;
    private static final double TICKS_PER_SECOND = clockTicks();

    private final long pid;

    ProcessCpu(long pid) {
        this.pid = pid;
    }

    long pid() {
        return pid;
    }

    /** User plus system CPU seconds used so far. */
    double seconds() throws IOException {
        return parseSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), TICKS_PER_SECOND);
    }

    /** A clear error now, not at the end of a long run, when the process cannot be read. */
    void check() {
        secondsOrFail();
    }

    /** {@link #seconds()}, or an {@link IllegalArgumentException} naming the pid (a usage error). */
    double secondsOrFail() {
        try {
            return seconds();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("--server-pid " + pid + ": cannot read /proc/" + pid + "/stat ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * Parses a {@code /proc/<pid>/stat} line. The command name (field 2) is in parentheses and
     * may hold spaces and parentheses itself, so fields are counted after its last ')'.
     */
    static double parseSeconds(String stat, double ticksPerSecond) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/pid/stat line");
        }
        String[] f = stat.substring(close + 2).trim().split(" +");
        // f[0] is field 3 (state): utime (field 14) is f[11], stime (field 15) f[12]
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks / ticksPerSecond;
    }

    /** The 1-minute load average, or NaN where /proc/loadavg cannot be read. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Clock ticks per second from this process's auxiliary vector; 100 (Linux's usual value) if unreadable. */
    private static double clockTicks() {
        try {
            ByteBuffer aux = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv")))
                    .order(ByteOrder.nativeOrder());
            while (aux.remaining() >= 16) {
                long type = aux.getLong();
                long value = aux.getLong();
                if (type == AT_CLKTCK && value > 0) {
                    return value;
                }
                if (type == 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or not readable: fall through
        }
        return 100;
    }

    @Override
    public String toString() {
        return "pid " + pid;
    }
}
