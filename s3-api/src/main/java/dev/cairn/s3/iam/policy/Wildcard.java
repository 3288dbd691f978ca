package dev.cairn.s3.iam.policy;

/**
 * IAM's glob: {@code *} matches any run of characters (none included), {@code ?} any one
 * character; everything else matches itself. Linear in practice (backtracking only to the last
 * {@code *}).
 */
public final class Wildcard {
    private Wildcard() {
    }

    public static boolean matches(String pattern, String value, boolean ignoreCase) {
        int p = 0;
        int v = 0;
        int starP = -1;
        int starV = 0;
        while (v < value.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                starP = p++;
                starV = v;
            } else if (p < pattern.length() && (pattern.charAt(p) == '?' || same(pattern.charAt(p), value.charAt(v),
                    ignoreCase))) {
                p++;
                v++;
            } else if (starP >= 0) {
                p = starP + 1;
                v = ++starV;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
