package dev.cairn.s3.admin;

import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which nodes may report, by transport: plain HTTP under --cluster-tls, and TLS the server cannot verify. */
class NodeAdmissionTest {
    private final List<String> probed = new ArrayList<>();
    private Throwable failure;
    private long now = 1_000_000;

    private NodeAdmission admission(boolean required) {
        return new NodeAdmission(required, (id, address) -> {
            probed.add(id + " " + address);
            return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
        }, new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now);
            }
        });
    }

    @Test
    void plainHttpNodesAreRefusedOnlyWhenTlsIsRequired() {
        assertNull(admission(false).check("n1", "http://10.0.0.1:9100").join());
        String refusal = admission(true).check("n1", "http://10.0.0.1:9100").join();
        assertTrue(refusal.contains("--cluster-tls") && refusal.contains("n1") && refusal.contains("--tls-cert"), refusal);
        assertEquals(List.of(), probed, "a plain node is never probed");
    }

    @Test
    void aTlsNodeIsProbedOnceAMinuteOrWhenItsAddressChanges() {
        NodeAdmission a = admission(true);
        assertNull(a.check("n1", "https://node1:9100").join());
        assertNull(a.check("n1", "https://node1:9100").join());
        assertEquals(1, probed.size());
        assertNull(a.check("n1", "https://node1:9200").join());
        assertEquals(2, probed.size(), "a new address is checked again");
        now += NodeAdmission.RECHECK.toMillis();
        assertNull(a.check("n1", "https://node1:9200").join());
        assertEquals(3, probed.size(), "and so is an old check");
    }

    @Test
    void aFailedHandshakeRefusesTheNodeOtherFailuresDoNot() {
        NodeAdmission a = admission(false);
        failure = new CompletionException(new RuntimeException("node n2: GET failed",
                new SSLHandshakeException("PKIX path building failed")));
        String refusal = a.check("n2", "https://node2:9100").join();
        assertTrue(refusal.contains("TLS connection to node n2") && refusal.contains("PKIX"), refusal);
        assertEquals("refused again", a.check("n2", "https://node2:9100").join() != null ? "refused again" : "admitted");

        failure = new ConnectException("Connection refused");
        assertNull(a.check("n3", "https://node3:9100").join(), "not reachable is not a TLS refusal");
        assertEquals(3, probed.size());
    }
}
