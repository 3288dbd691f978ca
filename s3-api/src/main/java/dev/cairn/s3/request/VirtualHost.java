package dev.cairn.s3.request;

import java.util.List;
import java.util.Locale;

/**
 * Virtual-hosted-style addressing: with domains configured, a Host of
 * {@code bucket.domain[:port]} names the bucket and the whole path is the key. A Host equal to a
 * domain, or not under any (an IP address, localhost), is path style.
 */
public final class VirtualHost {
    private VirtualHost() {
    }

    /**
     * The bucket a Host header names, or null for path style.
     *
     * @param host    the Host header (may carry a port; null when absent)
     * @param domains the configured domains, lower-case, without port
     */
    public static String bucket(String host, List<String> domains) {
        if (host == null || domains.isEmpty() || host.startsWith("[")) {
            return null;
        }
        String name = host.trim().toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String best = null;
        for (String domain : domains) {
            String suffix = "." + domain;
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                String bucket = name.substring(0, name.length() - suffix.length());
                if (best == null || bucket.length() < best.length()) {
                    best = bucket; // the longest matching domain wins
                }
            }
        }
        return best;
    }

    /** Parses a comma-separated domain list ("example.com, s3.local") into lower-case names. */
    public static List<String> parseDomains(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(","))
                .map(d -> d.trim().toLowerCase(Locale.ROOT))
                .map(d -> d.endsWith(".") ? d.substring(0, d.length() - 1) : d)
                .filter(d -> !d.isEmpty())
                .toList();
    }
}
