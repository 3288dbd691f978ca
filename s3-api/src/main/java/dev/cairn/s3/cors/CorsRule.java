package dev.cairn.s3.cors;

import java.util.List;
import java.util.Locale;

/**
 * One CORSRule of a bucket. Origins and headers may hold one {@code *} wildcard each; methods are
 * GET, PUT, POST, DELETE or HEAD. Header names compare case-insensitively, origins and methods
 * exactly (as S3 does).
 *
 * @param maxAgeSeconds null when the rule sets none
 */
public record CorsRule(String id, List<String> allowedOrigins, List<String> allowedMethods,
                       List<String> allowedHeaders, List<String> exposeHeaders, Integer maxAgeSeconds) {
    public static final List<String> METHODS = List.of("GET", "PUT", "POST", "DELETE", "HEAD");

    public CorsRule {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = List.copyOf(allowedMethods);
        allowedHeaders = List.copyOf(allowedHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }

    /** The allowed origin pattern that matches {@code origin}, or null. */
    public String matchingOrigin(String origin) {
        for (String pattern : allowedOrigins) {
            if (wildcardMatch(pattern, origin)) {
                return pattern;
            }
        }
        return null;
    }

    public boolean allowsMethod(String method) {
        return allowedMethods.contains(method);
    }

    /** Whether every requested header (lower-case) matches an AllowedHeader. */
    public boolean allowsHeaders(List<String> requested) {
        for (String h : requested) {
            boolean ok = false;
            for (String pattern : allowedHeaders) {
                if (wildcardMatch(pattern.toLowerCase(Locale.ROOT), h)) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A pattern with at most one {@code *}, which matches any (possibly empty) run of characters. */
    static boolean wildcardMatch(String pattern, String value) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(value);
        }
        String prefix = pattern.substring(0, star);
        String suffix = pattern.substring(star + 1);
        return value.length() >= prefix.length() + suffix.length()
                && value.startsWith(prefix) && value.endsWith(suffix);
    }
}
