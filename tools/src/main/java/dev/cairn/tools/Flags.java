package dev.cairn.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Command-line flags with environment fallbacks: {@code --chunk-size 8MiB} or
 * {@code --chunk-size=8MiB}, else {@code CAIRN_CHUNK_SIZE}, else the default. Unknown flags are
 * an error, so a typo never silently falls back to a default.
 */
final class Flags {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> env;

    private Flags(Map<String, String> env) {
        this.env = env;
    }

    static Flags parse(List<String> args, Set<String> known, Map<String, String> env) {
        Flags f = new Flags(env);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a);
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args.get(++i);
            }
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name + " (known: --" + String.join(", --", known) + ")");
            }
            f.values.put(name, value);
        }
        return f;
    }

    static String envName(String flag) {
        return "CAIRN_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    String get(String name, String fallback) {
        String v = values.get(name);
        if (v == null) {
            v = env.get(envName(name));
        }
        return v == null || v.isEmpty() ? fallback : v;
    }

    int getInt(String name, int fallback) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got " + v);
        }
    }

    boolean getBoolean(String name, boolean fallback) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("--" + name + " must be true or false, got " + v);
        };
    }

    /** A duration: whole seconds, or a number with ms, s, m, h or d (e.g. 500ms, 90s, 10m, 7d). */
    java.time.Duration getDuration(String name, java.time.Duration fallback) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return java.time.Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            char unit = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
            String digits = Character.isDigit(unit) ? s : s.substring(0, s.length() - 1).trim();
            long n = Long.parseLong(digits);
            return switch (unit) {
                case 'd' -> java.time.Duration.ofDays(n);
                case 'h' -> java.time.Duration.ofHours(n);
                case 'm' -> java.time.Duration.ofMinutes(n);
                case 's' -> java.time.Duration.ofSeconds(n);
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException(v);
                    }
                    yield java.time.Duration.ofSeconds(n);
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a duration like 30s, 10m or 7d, got " + v);
        }
    }

    /** A size: plain bytes or with a KiB/MiB/GiB (or K/M/G) suffix. */
    long getSize(String name, long fallback) {
        String v = get(name, null);
        return v == null ? fallback : parseSize(name, v);
    }

    static long parseSize(String name, String v) {
        String s = v.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        for (String[] unit : new String[][]{{"KIB", "1024"}, {"MIB", "1048576"}, {"GIB", "1073741824"},
                {"TIB", "1099511627776"}, {"KB", "1000"}, {"MB", "1000000"}, {"GB", "1000000000"},
                {"K", "1024"}, {"M", "1048576"}, {"G", "1073741824"}, {"T", "1099511627776"}, {"B", "1"}}) {
            if (s.endsWith(unit[0])) {
                mult = Long.parseLong(unit[1]);
                s = s.substring(0, s.length() - unit[0].length()).trim();
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--" + name + " must be a size like 4194304, 4MiB or 4M, got " + v);
        }
    }
}
