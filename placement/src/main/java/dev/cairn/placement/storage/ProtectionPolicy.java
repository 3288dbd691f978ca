package dev.cairn.placement.storage;

import dev.cairn.metadata.Protection;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which protection new chunks get, and how many pieces a write must make durable. With no
 * explicit setting the default follows the number of writable storage nodes: RS 4+2 with 6 or
 * more, RS 3+2 with 5, 3 copies with 3 or 4, 2 copies with 2, 1 copy with 1.
 */
public final class ProtectionPolicy {
    private static final Pattern RS = Pattern.compile("rs-?(\\d+)\\+(\\d+)");
    private static final Pattern COPIES = Pattern.compile("(\\d+)-?cop(?:y|ies)");

    private final Protection explicit;
    private final Map<String, Protection> byClass;

    private ProtectionPolicy(Protection explicit, Map<String, Protection> byClass) {
        this.explicit = explicit;
        this.byClass = Map.copyOf(byClass);
    }

    public static ProtectionPolicy automatic() {
        return new ProtectionPolicy(null, Map.of());
    }

    public static ProtectionPolicy fixed(Protection p) {
        return new ProtectionPolicy(p, Map.of());
    }

    /**
     * Maps S3 storage classes onto protections, e.g. "REDUCED_REDUNDANCY=2copies,STANDARD_IA=rs6+3";
     * classes not named use this policy's default.
     */
    public ProtectionPolicy withClasses(String mapping) {
        Map<String, Protection> m = new LinkedHashMap<>();
        for (String entry : mapping.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("storage class mapping entries look like CLASS=protection, got "
                        + entry.trim());
            }
            ProtectionPolicy p = parse(entry.substring(eq + 1));
            if (p.explicit == null) {
                throw new IllegalArgumentException("map a storage class to rsK+M or Ncopies, got " + entry.trim());
            }
            m.put(entry.substring(0, eq).trim().toUpperCase(Locale.ROOT), p.explicit);
        }
        return new ProtectionPolicy(explicit, m);
    }

    /** The protection for new chunks of {@code storageClass} in a cluster of {@code nodes} nodes. */
    public Protection forClass(String storageClass, int nodes) {
        Protection mapped = storageClass == null ? null : byClass.get(storageClass);
        return mapped != null ? mapped : forNodes(nodes);
    }

    /** The storage classes with their own protection, for the admin summary. */
    public Map<String, Protection> classes() {
        return byClass;
    }

    /** "auto", "rs4+2", "RS 4+2", "3copies", "3-copies", "1copy". */
    public static ProtectionPolicy parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.isEmpty() || t.equals("auto")) {
            return automatic();
        }
        Matcher rs = RS.matcher(t);
        if (rs.matches()) {
            return fixed(Protection.erasure(Integer.parseInt(rs.group(1)), Integer.parseInt(rs.group(2))));
        }
        Matcher copies = COPIES.matcher(t);
        if (copies.matches()) {
            return fixed(Protection.replicas(Integer.parseInt(copies.group(1))));
        }
        throw new IllegalArgumentException("protection must be auto, rsK+M (e.g. rs4+2) or Ncopies (e.g. 3copies), got "
                + text);
    }

    public boolean isAutomatic() {
        return explicit == null;
    }

    /** The protection for new chunks when {@code nodes} storage nodes can take pieces. */
    public Protection forNodes(int nodes) {
        if (explicit != null) {
            return explicit;
        }
        if (nodes >= 6) {
            return Protection.erasure(4, 2);
        }
        if (nodes == 5) {
            return Protection.erasure(3, 2);
        }
        if (nodes >= 3) {
            return Protection.replicas(3);
        }
        return Protection.replicas(nodes == 2 ? 2 : 1);
    }

    /** Pieces that must be durable before a write succeeds: k+1 for RS with parity, a majority of copies. */
    public static int writeQuorum(Protection p) {
        if (p.kind() == Protection.Kind.ERASURE) {
            return p.parityPieces() >= 1 ? p.dataPieces() + 1 : p.dataPieces();
        }
        return p.totalPieces() / 2 + 1;
    }

    /** Pieces needed to read the chunk back. */
    public static int readQuorum(Protection p) {
        return p.kind() == Protection.Kind.ERASURE ? p.dataPieces() : 1;
    }
}
