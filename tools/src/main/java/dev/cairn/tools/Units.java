package dev.cairn.tools;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;

/**
 * Sizes and durations as operators write them ({@code 4MiB}, {@code 90s}, {@code 7d}), parsed for
 * flags and {@code CAIRN_*} variables, and written back for people ({@code 1.5 GiB}, {@code 1:02:03}).
 */
final class Units {
    private static final String[][] SIZE_UNITS = {{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"},
            {"TIB", "1099511627776"}, {"KB", "1000"}, {"MB", "1000000"}, {"GB", "1000000000"},
            {"K", "1024"}, {"M", "1048576"}, {"G", "1073741824"}, {"T", "1099511627776"}, {"B", "1"}};

    private Units() {
    }

    /** A size: plain bytes or with a KiB/MiB/GiB/TiB (or K/M/G/T, KB/MB/GB) suffix. */
    static long parseSize(String v) {
        String s = v.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        for (String[] unit : SIZE_UNITS) {
            if (s.endsWith(unit[0])) {
                mult = Long.parseLong(unit[1]);
                s = s.substring(0, s.length() - unit[0].length()).trim();
                break;
            }
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0) {
                throw new NumberFormatException(v);
            }
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + v + "' is not a size like 4194304, 4MiB or 4M");
        }
    }

    /** A duration: whole seconds, or a number with ms, s, m, h or d (e.g. 500ms, 90s, 10m, 7d). */
    static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            char unit = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
            long n = Long.parseLong(Character.isDigit(unit) ? s : s.substring(0, s.length() - 1).trim());
            return switch (unit) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                case 's' -> Duration.ofSeconds(n);
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException(v);
                    }
                    yield Duration.ofSeconds(n);
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a duration like 30s, 10m or 7d");
        }
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 64.0 MiB}. */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code 0:42}, {@code 12:05}, {@code 3:02:01}; {@code ?} when negative (unknown). */
    static String clock(long seconds) {
        if (seconds < 0) {
            return "?";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    /** Picocli converter of {@link #parseSize}. */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** Picocli converter of {@link #parseDuration}. */
    static final class Time implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
