package dev.cairn.s3.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The SigV4 canonical request as S3 computes it:
 * <pre>
 * method \n canonicalURI \n canonicalQuery \n canonicalHeaders \n signedHeaders \n payloadHash
 * </pre>
 * The URI is the received path decoded once and re-encoded (S3 does not double-encode and
 * does not normalise dot segments), except that an encoded slash stays {@code %2F}. Query names and values are decoded ({@code %XX} only: a
 * raw {@code +} stays a literal plus, so it canonicalises to {@code %2B}; the router must read
 * the query the same way), re-encoded with {@code /} encoded too, and sorted by name then value.
 */
final class CanonicalRequest {
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private CanonicalRequest() {
    }

    /** One query parameter: canonical (re-encoded) name and value, and the decoded name. */
    record QueryParam(String name, String canonicalName, String canonicalValue, String value) {
    }

    static String build(String method, String canonicalUri, String canonicalQuery, String canonicalHeaders,
                        String signedHeaders, String payloadHash) {
        return method + '\n' + canonicalUri + '\n' + canonicalQuery + '\n' + canonicalHeaders + '\n'
                + signedHeaders + '\n' + payloadHash;
    }

    /**
     * Decodes the path once and re-encodes it, keeping '/' literal. An encoded slash ({@code %2F})
     * stays encoded: it is part of a key, and the SDKs sign the path as they send it.
     */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        byte[] in = rawPath.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(in.length + 16);
        for (int i = 0; i < in.length; i++) {
            int b = in[i] & 0xff;
            if (b == '%' && i + 2 < in.length && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
                b = hexValue(in[i + 1]) << 4 | hexValue(in[i + 2]);
                i += 2;
                appendEncoded(sb, b, false);
            } else {
                appendEncoded(sb, b, true);
            }
        }
        return sb.toString();
    }

    /** Parses a raw query string; params without '=' get an empty value; empty segments are skipped. */
    static List<QueryParam> parseQuery(String rawQuery) {
        List<QueryParam> out = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String part : rawQuery.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String rawName = eq < 0 ? part : part.substring(0, eq);
            String rawValue = eq < 0 ? "" : part.substring(eq + 1);
            byte[] name = percentDecode(rawName);
            byte[] value = percentDecode(rawValue);
            out.add(new QueryParam(new String(name, StandardCharsets.UTF_8), encode(name, false), encode(value, false),
                    new String(value, StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** The first value of a query parameter (exact, case-sensitive name), or null. */
    static String param(List<QueryParam> params, String name) {
        for (QueryParam p : params) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        return null;
    }

    static String canonicalQuery(List<QueryParam> params, String excludedName) {
        List<QueryParam> sorted = new ArrayList<>(params.size());
        for (QueryParam p : params) {
            if (excludedName == null || !p.name().equals(excludedName)) {
                sorted.add(p);
            }
        }
        sorted.sort(Comparator.comparing(QueryParam::canonicalName).thenComparing(QueryParam::canonicalValue));
        StringBuilder sb = new StringBuilder();
        for (QueryParam p : sorted) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p.canonicalName()).append('=').append(p.canonicalValue());
        }
        return sb.toString();
    }

    /**
     * "name:value\n" for every signed header, in the order listed. Values are trimmed, runs of
     * whitespace collapse to one space, and repeated headers are joined with ','. A signed header
     * absent from the request contributes an empty value (the signature then fails).
     */
    static String canonicalHeaders(List<Map.Entry<String, String>> headers, List<String> signedHeaders) {
        StringBuilder sb = new StringBuilder();
        for (String name : signedHeaders) {
            sb.append(name).append(':');
            boolean first = true;
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase(name)) {
                    if (!first) {
                        sb.append(',');
                    }
                    appendTrimmed(sb, h.getValue());
                    first = false;
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static void appendTrimmed(StringBuilder sb, String value) {
        if (value == null) {
            return;
        }
        int start = 0;
        int end = value.length();
        while (start < end && isSpace(value.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(value.charAt(end - 1))) {
            end--;
        }
        boolean inSpace = false;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (isSpace(c)) {
                if (!inSpace) {
                    sb.append(' ');
                }
                inSpace = true;
            } else {
                sb.append(c);
                inSpace = false;
            }
        }
    }

    /** The whitespace the AWS SDKs collapse: space, \t, \n, \u000b, \f, \r. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** Decodes %XX escapes (only those) to bytes; other characters as UTF-8; a bad escape stays literal. */
    static byte[] percentDecode(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        if (s.indexOf('%') < 0) {
            return in;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '%' && i + 2 < in.length && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
                out.write(hexValue(in[i + 1]) << 4 | hexValue(in[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** Encodes every byte except unreserved (A-Z a-z 0-9 - . _ ~) and, if asked, '/'; upper-case hex. */
    static String encode(byte[] bytes, boolean keepSlash) {
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte b : bytes) {
            appendEncoded(sb, b & 0xff, keepSlash);
        }
        return sb.toString();
    }

    private static void appendEncoded(StringBuilder sb, int c, boolean keepSlash) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || (keepSlash && c == '/')) {
            sb.append((char) c);
        } else {
            sb.append('%').append(HEX_UPPER[c >>> 4]).append(HEX_UPPER[c & 0xf]);
        }
    }

    private static int hexValue(byte b) {
        return Character.digit(b, 16);
    }
}
