package dev.cairn.s3.xml;

import java.nio.charset.StandardCharsets;

/**
 * encoding-type=url: every byte but unreserved characters and '/' percent-encoded (spaces as %20,
 * '+' as %2B), which every SDK's decoder reads back exactly.
 */
public final class S3Url {
    private S3Url() {
    }

    public static String encode(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
