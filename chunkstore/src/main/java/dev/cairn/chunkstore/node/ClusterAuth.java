package dev.cairn.chunkstore.node;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates requests between the gateway and the storage nodes (and node heartbeats to the
 * server) with the shared cluster secret ({@code CAIRN_CLUSTER_SECRET}). Independent of any HTTP
 * library: the caller passes the method, the request target exactly as sent (path and query,
 * still percent-encoded) and the three header values, and gets a {@link Verdict}.
 *
 * <pre>
 * X-Cairn-Time            epoch milliseconds when the request was signed
 * X-Cairn-Content-Sha256  lowercase hex SHA-256 of the body ({@link #EMPTY_SHA256} when there is none)
 * X-Cairn-Signature       lowercase hex HMAC-SHA256(secret, METHOD "\n" target "\n" time "\n" contentSha256)
 * </pre>
 *
 * A request is accepted when the signature matches (compared in constant time) and its time is
 * within {@link #MAX_SKEW} of this clock. The body is checked separately, once it has been
 * received and before anything is done with it: {@link #bodyMatches}. A captured request can be
 * replayed within the window; what it could undo is bound to the signed time instead: a node
 * stores each piece with the signed time of the PUT that wrote it and refuses a DELETE signed
 * before that (so a replayed delete cannot remove a piece written again since), and the server
 * refuses a heartbeat older than the last one it took from that node. Other operations are
 * idempotent. It does not encrypt: run the cluster network where that is enough.
 * Thread-safe.
 */
public final class ClusterAuth {
    public static final String TIME_HEADER = "X-Cairn-Time";
    public static final String CONTENT_SHA256_HEADER = "X-Cairn-Content-Sha256";
    public static final String SIGNATURE_HEADER = "X-Cairn-Signature";
    /** SHA-256 of zero bytes, the content digest of a request without a body. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final String HMAC = "HmacSHA256";
    private static final HexFormat HEX = HexFormat.of();

    private final SecretKeySpec key;
    private final Clock clock;

    /** Outcome of {@link #verify}: only {@link #OK} is accepted. */
    public enum Verdict {
        OK,
        /** One of the three headers is absent: the request is not signed at all (HTTP 401). */
        MISSING,
        /** A header is present but not well-formed (HTTP 403). */
        MALFORMED,
        /** The signature does not match this secret (HTTP 403). */
        BAD_SIGNATURE,
        /** Correctly signed, but the time is more than {@link #MAX_SKEW} away from now (HTTP 403). */
        EXPIRED
    }

    /** The three header values of a signed request. */
    public record Signature(String time, String contentSha256, String signature) {
        /** The headers in the order they are documented, ready to copy onto a request. */
        public Map<String, String> headers() {
            Map<String, String> h = new LinkedHashMap<>();
            h.put(TIME_HEADER, time);
            h.put(CONTENT_SHA256_HEADER, contentSha256);
            h.put(SIGNATURE_HEADER, signature);
            return h;
        }
    }

    /**
     * @param secret the cluster secret; must not be empty
     * @param clock  the time source for signing and for the freshness check
     */
    public ClusterAuth(String secret, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("the cluster secret must not be empty (set CAIRN_CLUSTER_SECRET)");
        }
        if (clock == null) {
            throw new NullPointerException("clock");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
        this.clock = clock;
        newMac(); // fail fast if the JDK lacks HmacSHA256
    }

    /** Signs a request now. {@code target} is the path with its query, exactly as it will be sent. */
    public Signature sign(String method, String target, String contentSha256) {
        String time = Long.toString(clock.millis());
        return new Signature(time, contentSha256, HEX.formatHex(mac(method, target, time, contentSha256)));
    }

    /** Signs a request that has no body. */
    public Signature sign(String method, String target) {
        return sign(method, target, EMPTY_SHA256);
    }

    /**
     * Checks the signature headers of a received request (any of them may be null when absent).
     * Does not look at the body: call {@link #bodyMatches} once it has arrived.
     */
    public Verdict verify(String method, String target, String time, String contentSha256, String signature) {
        if (time == null || contentSha256 == null || signature == null) {
            return Verdict.MISSING;
        }
        long millis;
        try {
            millis = Long.parseLong(time);
        } catch (NumberFormatException e) {
            return Verdict.MALFORMED;
        }
        if (!isSha256Hex(contentSha256) || !isSha256Hex(signature)) {
            return Verdict.MALFORMED;
        }
        byte[] expected = mac(method, target, time, contentSha256);
        if (!MessageDigest.isEqual(expected, HEX.parseHex(signature))) {
            return Verdict.BAD_SIGNATURE;
        }
        long skew = Math.abs(clock.millis() - millis);
        if (skew > MAX_SKEW.toMillis()) {
            return Verdict.EXPIRED;
        }
        return Verdict.OK;
    }

    /** True when {@code contentSha256} is the digest of exactly the remaining bytes of {@code body}. */
    public static boolean bodyMatches(String contentSha256, ByteBuffer body) {
        if (contentSha256 == null || !isSha256Hex(contentSha256)) {
            return false;
        }
        return MessageDigest.isEqual(HEX.parseHex(contentSha256), sha256(body));
    }

    public static boolean bodyMatches(String contentSha256, byte[] body) {
        return bodyMatches(contentSha256, ByteBuffer.wrap(body));
    }

    /** Lowercase hex SHA-256 of the remaining bytes (the buffer's position is not moved). */
    public static String sha256Hex(ByteBuffer body) {
        return HEX.formatHex(sha256(body));
    }

    public static String sha256Hex(byte[] body) {
        return sha256Hex(ByteBuffer.wrap(body));
    }

    private static byte[] sha256(ByteBuffer body) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(body.duplicate());
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static boolean isSha256Hex(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private byte[] mac(String method, String target, String time, String contentSha256) {
        Mac mac = newMac();
        String toSign = method + "\n" + target + "\n" + time + "\n" + contentSha256;
        return mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
