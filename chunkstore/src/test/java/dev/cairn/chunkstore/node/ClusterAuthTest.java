package dev.cairn.chunkstore.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.chunkstore.node.ClusterAuth.Signature;
import dev.cairn.chunkstore.node.ClusterAuth.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClusterAuthTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private final ClusterAuth auth = new ClusterAuth("s3cret-s3cret-s3cret", CLOCK);

    @Test
    void signatureIsTheDocumentedHmac() throws Exception {
        Signature sig = auth.sign("PUT", "/v1/pieces/x.0?a=b", "ab".repeat(32));
        assertEquals(Long.toString(NOW.toEpochMilli()), sig.time());
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("s3cret-s3cret-s3cret".getBytes(StandardCharsets.UTF_8),
                "HmacSHA256"));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal(
                ("PUT\n/v1/pieces/x.0?a=b\n" + sig.time() + "\n" + "ab".repeat(32)).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, sig.signature());
        assertEquals(3, sig.headers().size());
    }

    @Test
    void roundTrip() {
        Signature sig = auth.sign("GET", "/v1/pieces?limit=5");
        assertEquals(ClusterAuth.EMPTY_SHA256, sig.contentSha256());
        assertEquals(Verdict.OK, auth.verify("GET", "/v1/pieces?limit=5", sig.time(), sig.contentSha256(), sig.signature()));
    }

    @Test
    void anyChangeBreaksTheSignature() {
        Signature sig = auth.sign("GET", "/v1/pieces?limit=5");
        assertEquals(Verdict.BAD_SIGNATURE, auth.verify("DELETE", "/v1/pieces?limit=5", sig.time(), sig.contentSha256(), sig.signature()));
        assertEquals(Verdict.BAD_SIGNATURE, auth.verify("GET", "/v1/pieces?limit=6", sig.time(), sig.contentSha256(), sig.signature()));
        assertEquals(Verdict.BAD_SIGNATURE, auth.verify("GET", "/v1/pieces?limit=5", Long.toString(NOW.toEpochMilli() + 1),
                sig.contentSha256(), sig.signature()));
        assertEquals(Verdict.BAD_SIGNATURE, auth.verify("GET", "/v1/pieces?limit=5", sig.time(), "00".repeat(32), sig.signature()));
        ClusterAuth other = new ClusterAuth("another-secret-entirely", CLOCK);
        assertEquals(Verdict.BAD_SIGNATURE, other.verify("GET", "/v1/pieces?limit=5", sig.time(), sig.contentSha256(), sig.signature()));
    }

    @Test
    void missingAndMalformedHeaders() {
        Signature sig = auth.sign("GET", "/v1/info");
        assertEquals(Verdict.MISSING, auth.verify("GET", "/v1/info", null, null, null));
        assertEquals(Verdict.MISSING, auth.verify("GET", "/v1/info", sig.time(), sig.contentSha256(), null));
        assertEquals(Verdict.MALFORMED, auth.verify("GET", "/v1/info", "yesterday", sig.contentSha256(), sig.signature()));
        assertEquals(Verdict.MALFORMED, auth.verify("GET", "/v1/info", sig.time(), sig.contentSha256(), "zz"));
        assertEquals(Verdict.MALFORMED, auth.verify("GET", "/v1/info", sig.time(), "abc", sig.signature()));
        assertEquals(Verdict.MALFORMED, auth.verify("GET", "/v1/info", sig.time(), sig.contentSha256(),
                sig.signature().toUpperCase()));
    }

    @Test
    void timeWindowIsFiveMinutesEitherWay() {
        for (Duration skew : new Duration[] {Duration.ofMinutes(5), Duration.ofMinutes(-5)}) {
            ClusterAuth signer = new ClusterAuth("s3cret-s3cret-s3cret", Clock.fixed(NOW.plus(skew), ZoneOffset.UTC));
            Signature sig = signer.sign("GET", "/v1/info");
            assertEquals(Verdict.OK, auth.verify("GET", "/v1/info", sig.time(), sig.contentSha256(), sig.signature()));
        }
        for (Duration skew : new Duration[] {Duration.ofMinutes(5).plusMillis(1), Duration.ofMinutes(-6)}) {
            ClusterAuth signer = new ClusterAuth("s3cret-s3cret-s3cret", Clock.fixed(NOW.plus(skew), ZoneOffset.UTC));
            Signature sig = signer.sign("GET", "/v1/info");
            assertEquals(Verdict.EXPIRED, auth.verify("GET", "/v1/info", sig.time(), sig.contentSha256(), sig.signature()));
        }
    }

    @Test
    void bodyDigest() {
        byte[] body = "hello piece".getBytes(StandardCharsets.UTF_8);
        String sha = ClusterAuth.sha256Hex(body);
        assertTrue(ClusterAuth.bodyMatches(sha, body));
        ByteBuffer offset = ByteBuffer.allocate(20).position(3);
        offset.put(body).flip().position(3);
        assertTrue(ClusterAuth.bodyMatches(sha, offset));
        assertEquals(3, offset.position(), "hashing does not move the buffer");
        body[0] ^= 1;
        assertFalse(ClusterAuth.bodyMatches(sha, body));
        assertFalse(ClusterAuth.bodyMatches(null, body));
        assertFalse(ClusterAuth.bodyMatches("nothex", body));
        assertEquals(ClusterAuth.EMPTY_SHA256, ClusterAuth.sha256Hex(new byte[0]));
    }

    @Test
    void emptySecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClusterAuth("", CLOCK));
        assertThrows(IllegalArgumentException.class, () -> new ClusterAuth(null, CLOCK));
    }
}
