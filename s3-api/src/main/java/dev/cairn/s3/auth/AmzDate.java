package dev.cairn.s3.auth;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** SigV4 timestamps: ISO 8601 basic ({@code 20130524T000000Z}), and RFC 1123 for the Date header. */
final class AmzDate {
    static final DateTimeFormatter BASIC =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).withResolverStyle(ResolverStyle.STRICT);
    /** ServerTime in error documents: {@code 2013-05-24T00:20:01Z}. */
    static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    private AmzDate() {
    }

    /** Parses {@code yyyyMMdd'T'HHmmss'Z'}; null if it is not. */
    static Instant parseBasic(String value) {
        if (value == null || value.length() != 16) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value, BASIC).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Parses an HTTP Date header (RFC 1123); null if it is not one. */
    static Instant parseHttpDate(String value) {
        if (value == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String basic(Instant t) {
        return BASIC.format(t);
    }

    static String iso(Instant t) {
        return ISO.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
}
