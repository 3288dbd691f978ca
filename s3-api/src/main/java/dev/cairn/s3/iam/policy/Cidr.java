package dev.cairn.s3.iam.policy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 address range in CIDR notation (a bare address is a /32 or /128). Never resolves names. */
record Cidr(byte[] network, int prefix) {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            return null;
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (prefix < 0 || prefix > bits) {
                return null;
            }
        }
        return new Cidr(bytes, prefix);
    }

    boolean contains(String address) {
        byte[] a = literal(address);
        if (a == null || a.length != network.length) {
            return false;
        }
        int bits = network.length * 8;
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                .shiftRight(prefix).xor(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
        return new BigInteger(1, a).and(mask).equals(new BigInteger(1, network).and(mask));
    }

    private static boolean dottedQuad(String a) {
        String[] parts = a.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IP literal; null for anything else (no name is ever looked up). */
    private static byte[] literal(String address) {
        String a = address.trim();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.isEmpty() || !LITERAL.matcher(a).matches() || a.indexOf(':') < 0 && !dottedQuad(a)) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
