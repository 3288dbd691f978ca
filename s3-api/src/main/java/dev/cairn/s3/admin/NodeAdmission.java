package dev.cairn.s3.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;

/**
 * Whether a chunkstore node that sends a heartbeat may be in the cluster map, as far as the
 * transport is concerned: with {@code --cluster-tls} a node must serve its piece port over HTTPS
 * (an {@code https://} address), and a node that does must present a certificate this server
 * trusts (the {@code --cluster-ca}, else the JVM's CAs) for the host it advertises. The second is
 * checked by a signed call to the node (a one-piece listing) when the node is new, its address
 * changed, or its last check is older than {@link #RECHECK}, so a node whose certificate this
 * server cannot verify is refused at its heartbeat - and so never UP, or goes SUSPECT then DOWN -
 * instead of failing every piece call. Other failures of the check (the node is slow or not reachable
 * from here) do not refuse it: the data path's own reachability tracking handles those.
 */
public final class NodeAdmission {
    /** How long a verified certificate is trusted before the next heartbeat checks it again. */
    static final Duration RECHECK = Duration.ofMinutes(1);

    /** A signed call to the node at {@code address} over its own scheme; fails when the node cannot be reached. */
    @FunctionalInterface
    public interface Probe {
        CompletableFuture<?> probe(String nodeId, String address);
    }

    private record Verified(String address, long atMillis) {
    }

    private final boolean tlsRequired;
    private final Probe probe;
    private final Clock clock;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    public NodeAdmission(boolean tlsRequired, Probe probe, Clock clock) {
        this.tlsRequired = tlsRequired;
        this.probe = probe;
        this.clock = clock;
    }

    /** Admits every node (tests and servers without remote nodes). */
    public static NodeAdmission open() {
        return new NodeAdmission(false, null, Clock.systemUTC());
    }

    /** Completes with null when the node may report, else with why it is refused. */
    public CompletableFuture<String> check(String nodeId, String address) {
        boolean https = address.startsWith("https://");
        if (!https) {
            return CompletableFuture.completedFuture(tlsRequired ? "this server requires TLS to chunkstores "
                    + "(--cluster-tls) but node " + nodeId + " serves plain HTTP at " + address
                    + ": start it with --tls-cert and --tls-key" : null);
        }
        long now = clock.millis();
        Verified v = verified.get(nodeId);
        if (probe == null || v != null && v.address().equals(address) && now - v.atMillis() < RECHECK.toMillis()) {
            return CompletableFuture.completedFuture(null);
        }
        return probe.probe(nodeId, address).handle((ok, e) -> {
            if (e == null) {
                verified.put(nodeId, new Verified(address, now));
                return null;
            }
            SSLException tls = tlsCause(e);
            if (tls == null) {
                return null; // not a TLS problem: not this check's to refuse
            }
            verified.remove(nodeId);
            return "the TLS connection to node " + nodeId + " at " + address + " failed: " + tls.getMessage()
                    + " (does --cluster-ca hold the CA that signed its certificate, and does the certificate "
                    + "name its --advertise-host?)";
        });
    }

    /** The innermost TLS exception of {@code e}'s causes (the one that says what failed), or null. */
    private static SSLException tlsCause(Throwable e) {
        SSLException found = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException s) {
                found = s;
            }
        }
        return found;
    }
}
