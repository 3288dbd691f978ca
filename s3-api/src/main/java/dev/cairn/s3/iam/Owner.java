package dev.cairn.s3.iam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A canonical user as S3 documents name owners and grantees: its canonical id and display name. */
public record Owner(String id, String displayName) {
    /** The root user's display name. */
    public static final String ROOT_DISPLAY_NAME = "cairn-root";

    /** The root user: its canonical id is the SHA-256 of "cairn:" and the root access key, in hex. */
    public static Owner ofRoot(String rootAccessKey) {
        return new Owner(sha256Hex("cairn:" + rootAccessKey), ROOT_DISPLAY_NAME);
    }

    /** A user's canonical id: the SHA-256 of "cairn-user:" and its unique user id, in hex. */
    public static String userCanonicalId(String userId) {
        return sha256Hex("cairn-user:" + userId);
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
