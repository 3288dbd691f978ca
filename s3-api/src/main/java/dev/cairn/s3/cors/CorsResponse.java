package dev.cairn.s3.cors;

import io.vertx.core.http.HttpServerResponse;

import java.util.List;

/**
 * Answers CORS requests from a bucket's rules the way S3 does: the first rule that matches the
 * Origin, the method and (for a preflight) every requested header decides. A rule allowing any
 * origin ({@code *}) answers {@code Access-Control-Allow-Origin: *}; any other echoes the origin
 * and allows credentials.
 */
public final class CorsResponse {
    private static final String VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    private CorsResponse() {
    }

    /** The first rule matching, or null. */
    public static CorsRule match(List<CorsRule> rules, String origin, String method, List<String> requestHeaders) {
        for (CorsRule rule : rules) {
            if (rule.matchingOrigin(origin) != null && rule.allowsMethod(method) && rule.allowsHeaders(requestHeaders)) {
                return rule;
            }
        }
        return null;
    }

    /**
     * Sets the Access-Control-* headers of a matched rule.
     *
     * @param allowHeaders the headers a preflight asked for (echoed back), or an empty list
     */
    public static void apply(HttpServerResponse r, CorsRule rule, String origin, List<String> allowHeaders) {
        boolean any = "*".equals(rule.matchingOrigin(origin));
        r.putHeader("Access-Control-Allow-Origin", any ? "*" : origin);
        if (!any) {
            r.putHeader("Access-Control-Allow-Credentials", "true");
        }
        r.putHeader("Access-Control-Allow-Methods", String.join(", ", rule.allowedMethods()));
        if (!allowHeaders.isEmpty()) {
            r.putHeader("Access-Control-Allow-Headers", String.join(", ", allowHeaders));
        }
        if (!rule.exposeHeaders().isEmpty()) {
            r.putHeader("Access-Control-Expose-Headers", String.join(", ", rule.exposeHeaders()));
        }
        if (rule.maxAgeSeconds() != null) {
            r.putHeader("Access-Control-Max-Age", rule.maxAgeSeconds().toString());
        }
        r.putHeader("Vary", VARY);
    }

    /** The Access-Control-Request-Headers value as lower-case names (empty when absent). */
    public static List<String> requestedHeaders(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(value.split(","))
                .map(h -> h.trim().toLowerCase(java.util.Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .toList();
    }
}
