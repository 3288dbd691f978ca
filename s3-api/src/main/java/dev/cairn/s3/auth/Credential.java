package dev.cairn.s3.auth;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/** The Credential of a SigV4 request: {@code AKID/yyyymmdd/region/service/aws4_request}. */
record Credential(String accessKeyId, String date, String region, String service) {
    static final String TERMINATOR = "aws4_request";
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);

    /** "yyyymmdd/region/service/aws4_request". */
    String scope() {
        return date + "/" + region + "/" + service + "/" + TERMINATOR;
    }

    /**
     * Parses the credential value; the reason why not otherwise. Any region is accepted here (the
     * verifier checks it); the service must be {@code service}.
     */
    static Credential parse(String value, String service) throws Malformed {
        String[] parts = value.split("/", -1);
        if (parts.length != 5 || parts[0].isEmpty() || parts[2].isEmpty()) {
            throw new Malformed("the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
        }
        try {
            LocalDate.parse(parts[1], DATE);
        } catch (DateTimeParseException e) {
            throw new Malformed("incorrect date format \"" + parts[1] + "\". This date in the credential must be in the format \"yyyyMMdd\".");
        }
        if (!parts[3].equals(service)) {
            throw new Malformed("the service '" + parts[3] + "' is wrong; expecting '" + service + "'");
        }
        if (!parts[4].equals(TERMINATOR)) {
            throw new Malformed("incorrect terminal \"" + parts[4] + "\". This endpoint uses \"aws4_request\".");
        }
        return new Credential(parts[0], parts[1], parts[2], parts[3]);
    }

    /** A malformed credential; the message completes "... is malformed; ". */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
