package dev.cairn.s3.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SigV4 primitives: HMAC-SHA256, SHA-256 hex, and the signing key
 * {@code HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request")}, cached
 * per (secret, date, region, service). The cache is bounded: it is emptied when it reaches
 * {@link #MAX_ENTRIES} (keys change once a day per credential, so a refill is cheap).
 */
final class SigningKeys {
    static final int MAX_ENTRIES = 1024;
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final HexFormat HEX = HexFormat.of();

    private record Key(String secret, String date, String region, String service) {
    }

    private final Map<Key, byte[]> cache = new ConcurrentHashMap<>();

    /** The signing key; callers must not modify the returned array. */
    byte[] signingKey(String secret, String date, String region, String service) {
        Key key = new Key(secret, date, region, service);
        byte[] k = cache.get(key);
        if (k == null) {
            k = derive(secret, date, region, service);
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(key, k);
        }
        return k;
    }

    int cachedEntries() {
        return cache.size();
    }

    static byte[] derive(String secret, String date, String region, String service) {
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, region);
        k = hmac(k, service);
        return hmac(k, Credential.TERMINATOR);
    }

    static byte[] hmac(byte[] key, String data) {
        return newMac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    static String sha256Hex(String s) {
        return hex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /** Constant-time comparison of two signatures (as ASCII hex). */
    static boolean signaturesEqual(String expected, String provided) {
        if (provided == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                provided.getBytes(StandardCharsets.US_ASCII));
    }
}
