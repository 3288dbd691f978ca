package dev.cairn.s3.cors;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CorsResponseTest {
    private static final CorsRule SITE = new CorsRule("site", List.of("https://*.example.com"), List.of("GET", "PUT"),
            List.of("x-amz-*", "Content-Type"), List.of(), null);
    private static final CorsRule ANY = new CorsRule(null, List.of("*"), List.of("GET"), List.of("*"), List.of(), 60);

    @Test
    void oneWildcardMatchesAnyRunOfCharacters() {
        assertTrue(CorsRule.wildcardMatch("https://*.example.com", "https://a.b.example.com"));
        assertTrue(CorsRule.wildcardMatch("*", ""));
        assertTrue(CorsRule.wildcardMatch("x-amz-*", "x-amz-"));
        assertFalse(CorsRule.wildcardMatch("https://*.example.com", "https://example.com"));
        assertFalse(CorsRule.wildcardMatch("https://*.example.com", "http://a.example.com"));
        assertFalse(CorsRule.wildcardMatch("ab*ba", "aba"));
    }

    @Test
    void requestedHeadersMatchCaseInsensitivelyAndAllMustBeAllowed() {
        assertTrue(SITE.allowsHeaders(CorsResponse.requestedHeaders("X-Amz-Date, content-type")));
        assertFalse(SITE.allowsHeaders(CorsResponse.requestedHeaders("x-amz-date, authorization")));
        assertTrue(SITE.allowsHeaders(List.of()));
    }

    @Test
    void firstRuleMatchingOriginMethodAndHeadersWins() {
        List<CorsRule> rules = List.of(SITE, ANY);
        assertEquals(SITE, CorsResponse.match(rules, "https://app.example.com", "GET", List.of("content-type")));
        assertEquals(ANY, CorsResponse.match(rules, "https://other.test", "GET", List.of("authorization")));
        assertNull(CorsResponse.match(rules, "https://other.test", "PUT", List.of()));
        assertNull(CorsResponse.match(rules, "https://app.example.com", "DELETE", List.of()));
    }

    @Test
    void originsAndMethodsAreCaseSensitive() {
        assertNull(CorsResponse.match(List.of(SITE), "HTTPS://app.example.com", "GET", List.of()));
        assertNull(CorsResponse.match(List.of(SITE), "https://app.example.com", "get", List.of()));
    }
}
